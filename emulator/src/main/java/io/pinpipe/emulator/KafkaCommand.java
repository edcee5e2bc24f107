package io.pinpipe.emulator;

import io.pinpipe.emulator.services.KafkaBroker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kafka start|stop|status}: a local single-node Kafka broker (KRaft) for the demo and for
 * trying the pipelines by hand. The broker is a real Apache Kafka 3.9 JVM ({@link KafkaBroker});
 * {@code start} returns once it answers, and the broker keeps running until {@code stop}.
 */
final class KafkaCommand implements Subcommand {
  static final String DEFAULT_DATA_DIR = "target/local-kafka";
  static final int DEFAULT_PORT = 9092;

  private static final Set<String> VALUED = Set.of("dataDir", "port", "controllerPort", "kafkaLib", "timeout");
  private static final Set<String> FLAGS = Set.of("help");

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String summary() {
    return "start, stop or check a local single-node Kafka broker (KRaft)";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: java -jar pinterest-emulator.jar kafka start|stop|status [options]",
        "",
        "A real Apache Kafka 3.9 broker (KRaft, broker and controller in one JVM) on 127.0.0.1.",
        "start returns once the broker answers; it keeps running until stop. Topics and",
        "committed offsets stay in the data directory across restarts.",
        "",
        "  --dataDir DIR         configuration, logs, pid file and data (default " + DEFAULT_DATA_DIR + ")",
        "  --port N              client port (default " + DEFAULT_PORT + ")",
        "  --controllerPort N    controller port (default: port + 1)",
        "  --timeout SECONDS     how long start waits for the broker (default 90)",
        "  --kafkaLib DIR        the broker's jars (default: $" + KafkaBroker.LIB_ENV + ", else",
        "                        local-services/target/kafka/lib of the project)",
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
      throw new UsageException("kafka needs an action: start, stop or status");
    }
    String action = args.get(0);
    CommandLine line = CommandLine.parse(args.subList(1, args.size()), VALUED, FLAGS);
    if (line.flag("help")) {
      out.print(usage());
      return 0;
    }
    Path dataDir = Path.of(line.string("dataDir", DEFAULT_DATA_DIR)).toAbsolutePath();
    int port = (int) line.longValue("port", DEFAULT_PORT, 1, 65535);
    switch (action) {
      case "start":
        return start(line, dataDir, port, out);
      case "stop":
        return stop(dataDir, out);
      case "status":
        return status(dataDir, port, out);
      default:
        throw new UsageException("unknown kafka action '" + action + "' (start, stop or status)");
    }
  }

  private static int start(CommandLine line, Path dataDir, int port, PrintStream out)
      throws Exception {
    int controllerPort = (int) line.longValue("controllerPort", port + 1L, 1, 65535);
    long timeout = line.longValue("timeout", 90, 1, 3600);
    if (KafkaBroker.running(dataDir).isPresent()) {
      throw new IOException("a broker is already running on " + dataDir + " (stop it first)");
    }
    for (int p : new int[] {port, controllerPort}) {
      if (KafkaBroker.accepting(p)) {
        throw new IOException("port " + p + " on 127.0.0.1 is already in use");
      }
    }
    Optional<Path> lib = Optional.ofNullable(line.string("kafkaLib", null)).map(Path::of);
    KafkaBroker broker = KafkaBroker.at(dataDir, port, controllerPort, lib);
    broker.start(Duration.ofSeconds(timeout));
    out.println(
        "kafka: broker ready at " + broker.bootstrapServers() + " (data and broker.log in "
            + dataDir + ")");
    return 0;
  }

  private static int stop(Path dataDir, PrintStream out) throws Exception {
    if (KafkaBroker.stopRecorded(dataDir, Duration.ofSeconds(30))) {
      out.println("kafka: broker stopped (" + dataDir + ")");
    } else {
      out.println("kafka: no broker running on " + dataDir);
    }
    return 0;
  }

  /** Exit status 0 when the broker runs and accepts connections, 3 otherwise (like LSB). */
  private static int status(Path dataDir, int port, PrintStream out) throws IOException {
    Optional<ProcessHandle> broker = KafkaBroker.running(dataDir);
    if (broker.isEmpty()) {
      out.println("kafka: not running (" + dataDir + ")");
      return 3;
    }
    boolean accepting = KafkaBroker.accepting(port);
    out.println(
        "kafka: running, pid " + broker.get().pid() + ", "
            + (accepting ? "accepting connections on 127.0.0.1:" + port : "port " + port + " not answering"));
    return accepting ? 0 : 3;
  }
}
