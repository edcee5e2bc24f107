package io.pinpipe.emulator;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.KinesisStreams;
import io.pinpipe.services.KafkaBroker;
import io.pinpipe.services.KinesisLocal;
import io.pinpipe.services.LocalProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kinesis start|stop|status}: a local Kinesis-compatible endpoint ({@link KinesisLocal},
 * npm {@code kinesis-local}) for the demo and for trying the streaming job by hand; {@code start}
 * also creates the three streams {@code streaming-<prefix>-pin|geo|user}.
 */
final class KinesisCommand implements Subcommand {
  static final String DEFAULT_DATA_DIR = "target/local-kinesis";
  static final int DEFAULT_PORT = 4568;

  /** The options of {@code kinesis}, bound by picocli ({@link Cli}). */
  @Command(
      name = "kinesis",
      customSynopsis = "usage: " + Cli.JAR + " kinesis start|stop|status [options]%n",
      description = {
        "A Kinesis-compatible endpoint (npm kinesis-local, run by Node) on http://127.0.0.1:<port>.",
        "start returns once it answers and the streams are ACTIVE; it runs until stop. Streams",
        "live in memory: a restart starts empty."
      })
  static final class Options {
    @Parameters(index = "0", arity = "0..1", paramLabel = "start|stop|status", description = "what to do")
    String action;

    @Option(names = "--dataDir", paramLabel = "DIR", description = "log and pid file (default: ${DEFAULT-VALUE})")
    String dataDir = DEFAULT_DATA_DIR;

    @Option(names = "--port", paramLabel = "N", description = "HTTP port (default: ${DEFAULT-VALUE})")
    long port = DEFAULT_PORT;

    @Option(names = "--topicPrefix", paramLabel = "P", description = "create streaming-P-pin|geo|user (default: ${DEFAULT-VALUE})")
    String topicPrefix = "pinterest";

    @Option(names = "--shards", paramLabel = "N", description = "shards per stream (default: ${DEFAULT-VALUE})")
    long shards = 1;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long start waits (default: ${DEFAULT-VALUE})")
    long timeout = 60;

    @Option(names = "--kinesisHome", paramLabel = "DIR",
        description = "the kinesis-local package (default: $" + KinesisLocal.HOME_ENV + ", else local-services/kinesis/node_modules/kinesis-local of the project)")
    String kinesisHome;

    @Option(names = "--help", description = "show this help")
    boolean help;
  }

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
    return Cli.usage(new Options());
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options options = new Options();
    if (!Cli.parse(options, args, out)) {
      return 0;
    }
    if (options.action == null) {
      throw new UsageException("kinesis needs an action: start, stop or status");
    }
    Path dataDir = Path.of(options.dataDir).toAbsolutePath();
    switch (options.action) {
      case "start":
        return start(options, dataDir, out);
      case "stop":
        out.println(
            KinesisLocal.SERVICE.stopRecorded(dataDir)
                ? "kinesis: endpoint stopped (" + dataDir + ")"
                : "kinesis: no endpoint running on " + dataDir);
        return 0;
      case "status":
        return status(dataDir, out);
      default:
        throw new UsageException("unknown kinesis action '" + options.action + "' (start, stop or status)");
    }
  }

  private static int start(Options options, Path dataDir, PrintStream out) throws Exception {
    int port = (int) Cli.inRange(options.port, "--port", 1, 65535);
    int shards = (int) Cli.inRange(options.shards, "--shards", 1, 50);
    long timeout = Cli.inRange(options.timeout, "--timeout", 1, 3600);
    String prefix = GenerateCommand.topicPrefix(options.topicPrefix);
    if (KinesisLocal.SERVICE.running(dataDir).isPresent()) {
      throw new IOException("an endpoint is already running on " + dataDir + " (stop it first)");
    }
    if (LocalProcess.accepting(port)) {
      throw new IOException("port " + port + " on 127.0.0.1 is already in use");
    }
    KinesisLocal endpoint =
        KinesisLocal.at(dataDir, port, Optional.ofNullable(options.kinesisHome).map(Path::of));
    endpoint.start(Duration.ofSeconds(timeout));
    List<String> streams = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      streams.add(KinesisStreams.name(prefix, kind));
    }
    endpoint.createStreams(streams, shards);
    out.println(
        "kinesis: endpoint ready at " + endpoint.endpoint() + " (region " + endpoint.region() + "), streams "
            + String.join(", ", streams) + "; log in " + dataDir);
    return 0;
  }

  /** Exit status 0 when the endpoint runs and accepts connections, 3 otherwise (like LSB). */
  private static int status(Path dataDir, PrintStream out) throws IOException {
    Optional<ProcessHandle> endpoint = KinesisLocal.SERVICE.running(dataDir);
    if (endpoint.isEmpty()) {
      out.println("kinesis: not running (" + dataDir + ")");
      return 3;
    }
    int port = KinesisLocal.recordedPort(dataDir).orElse(DEFAULT_PORT);
    boolean accepting = LocalProcess.accepting(port);
    out.println(
        "kinesis: running, pid " + endpoint.get().pid() + ", "
            + (accepting ? "accepting connections on http://127.0.0.1:" + port : "port " + port + " not answering"));
    return accepting ? 0 : 3;
  }
}
