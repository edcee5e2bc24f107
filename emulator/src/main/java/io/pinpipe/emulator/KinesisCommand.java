package io.pinpipe.emulator;

import io.pinpipe.emulator.generate.RecordKind;
import io.pinpipe.emulator.post.KinesisSink;
import io.pinpipe.emulator.services.KafkaBroker;
import io.pinpipe.emulator.services.KinesisLocal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kinesis start|stop|status}: a local Kinesis-compatible endpoint ({@link KinesisLocal},
 * npm {@code kinesis-local}) for the demo and for trying the streaming job by hand; {@code start}
 * also creates the three streams {@code streaming-<prefix>-pin|geo|user}.
 */
final class KinesisCommand implements Subcommand {
  static final String DEFAULT_DATA_DIR = "target/local-kinesis";
  static final int DEFAULT_PORT = 4568;

  private static final Set<String> VALUED = Set.of("dataDir", "port", "topicPrefix", "shards", "kinesisHome", "timeout");
  private static final Set<String> FLAGS = Set.of("help");

  @Override
  public String name() {
    return "kinesis";
  }

  @Override
  public String summary() {
    return "start, stop or check a local Kinesis endpoint (kinesis-mock) with the three streams";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: java -jar pinterest-emulator.jar kinesis start|stop|status [options]",
        "",
        "A Kinesis-compatible endpoint (npm kinesis-local, run by Node) on http://127.0.0.1:<port>.",
        "start returns once it answers and the streams are ACTIVE; it runs until stop. Streams",
        "live in memory: a restart starts empty.",
        "",
        "  --dataDir DIR         log and pid file (default " + DEFAULT_DATA_DIR + ")",
        "  --port N              HTTP port (default " + DEFAULT_PORT + ")",
        "  --topicPrefix P       create streaming-<P>-pin|geo|user (default pinterest)",
        "  --shards N            shards per stream (default 1)",
        "  --timeout SECONDS     how long start waits (default 60)",
        "  --kinesisHome DIR     the kinesis-local package (default: $" + KinesisLocal.HOME_ENV + ", else",
        "                        local-services/kinesis/node_modules/kinesis-local of the project)",
        "  --help                show this help",
        "");
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    if (args.isEmpty() || args.get(0).startsWith("--")) {
      if (args.contains("--help")) {
        out.print(usage());
        return 0;
      }
      throw new UsageException("kinesis needs an action: start, stop or status");
    }
    String action = args.get(0);
    CommandLine line = CommandLine.parse(args.subList(1, args.size()), VALUED, FLAGS);
    if (line.flag("help")) {
      out.print(usage());
      return 0;
    }
    Path dataDir = Path.of(line.string("dataDir", DEFAULT_DATA_DIR)).toAbsolutePath();
    switch (action) {
      case "start":
        return start(line, dataDir, out);
      case "stop":
        out.println(
            KinesisLocal.stopRecorded(dataDir)
                ? "kinesis: endpoint stopped (" + dataDir + ")"
                : "kinesis: no endpoint running on " + dataDir);
        return 0;
      case "status":
        return status(dataDir, out);
      default:
        throw new UsageException("unknown kinesis action '" + action + "' (start, stop or status)");
    }
  }

  private static int start(CommandLine line, Path dataDir, PrintStream out) throws Exception {
    int port = (int) line.longValue("port", DEFAULT_PORT, 1, 65535);
    int shards = (int) line.longValue("shards", 1, 1, 50);
    long timeout = line.longValue("timeout", 60, 1, 3600);
    String prefix = line.string("topicPrefix", "pinterest");
    if (KinesisLocal.running(dataDir).isPresent()) {
      throw new IOException("an endpoint is already running on " + dataDir + " (stop it first)");
    }
    if (KafkaBroker.accepting(port)) {
      throw new IOException("port " + port + " on 127.0.0.1 is already in use");
    }
    KinesisLocal endpoint =
        KinesisLocal.at(dataDir, port, Optional.ofNullable(line.string("kinesisHome", null)).map(Path::of));
    endpoint.start(Duration.ofSeconds(timeout));
    List<String> streams = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      streams.add(KinesisSink.streamName(prefix, kind));
    }
    endpoint.createStreams(streams, shards);
    out.println(
        "kinesis: endpoint ready at " + endpoint.endpoint() + " (region " + endpoint.region() + "), streams "
            + String.join(", ", streams) + "; log in " + dataDir);
    return 0;
  }

  /** Exit status 0 when the endpoint runs and accepts connections, 3 otherwise (like LSB). */
  private static int status(Path dataDir, PrintStream out) throws IOException {
    Optional<ProcessHandle> endpoint = KinesisLocal.running(dataDir);
    if (endpoint.isEmpty()) {
      out.println("kinesis: not running (" + dataDir + ")");
      return 3;
    }
    int port = KinesisLocal.recordedPort(dataDir).orElse(DEFAULT_PORT);
    boolean accepting = KafkaBroker.accepting(port);
    out.println(
        "kinesis: running, pid " + endpoint.get().pid() + ", "
            + (accepting ? "accepting connections on http://127.0.0.1:" + port : "port " + port + " not answering"));
    return accepting ? 0 : 3;
  }
}
