package io.pinpipe.emulator;

import io.pinpipe.services.KafkaBroker;
import io.pinpipe.services.LocalProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kafka start|stop|status}: a local single-node Kafka broker (KRaft) for the demo and for
 * trying the pipelines by hand. The broker is a real Apache Kafka 3.9 JVM ({@link KafkaBroker});
 * {@code start} returns once it answers, and the broker keeps running until {@code stop}.
 */
final class KafkaCommand implements Subcommand {
  static final String DEFAULT_DATA_DIR = "target/local-kafka";
  static final int DEFAULT_PORT = 9092;

  /** The options of {@code kafka}, bound by picocli ({@link Cli}). */
  @Command(
      name = "kafka",
      customSynopsis = "usage: " + Cli.JAR + " kafka start|stop|status [options]%n",
      description = {
        "A real Apache Kafka 3.9 broker (KRaft, broker and controller in one JVM) on 127.0.0.1.",
        "start returns once the broker answers; it keeps running until stop. Topics and",
        "committed offsets stay in the data directory across restarts."
      })
  static final class Options {
    @Parameters(index = "0", arity = "0..1", paramLabel = "start|stop|status", description = "what to do")
    String action;

    @Option(names = "--dataDir", paramLabel = "DIR", description = "configuration, logs, pid file and data (default: ${DEFAULT-VALUE})")
    String dataDir = DEFAULT_DATA_DIR;

    @Option(names = "--port", paramLabel = "N", description = "client port (default: ${DEFAULT-VALUE})")
    long port = DEFAULT_PORT;

    @Option(names = "--controllerPort", paramLabel = "N", description = "controller port (default: port + 1)")
    Long controllerPort;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "how long start waits for the broker (default: ${DEFAULT-VALUE})")
    long timeout = 90;

    @Option(names = "--kafkaLib", paramLabel = "DIR",
        description = "the broker's jars (default: $" + KafkaBroker.LIB_ENV + ", else local-services/target/kafka/lib of the project)")
    String kafkaLib;

    @Option(names = "--help", description = "show this help")
    boolean help;
  }

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
    return Cli.usage(new Options());
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    Options options = new Options();
    if (!Cli.parse(options, args, out)) {
      return 0;
    }
    if (options.action == null) {
      throw new UsageException("kafka needs an action: start, stop or status");
    }
    Path dataDir = Path.of(options.dataDir).toAbsolutePath();
    int port = (int) Cli.inRange(options.port, "--port", 1, 65535);
    switch (options.action) {
      case "start":
        return start(options, dataDir, port, out);
      case "stop":
        return stop(dataDir, out);
      case "status":
        return status(dataDir, port, out);
      default:
        throw new UsageException("unknown kafka action '" + options.action + "' (start, stop or status)");
    }
  }

  private static int start(Options options, Path dataDir, int port, PrintStream out)
      throws Exception {
    int controllerPort =
        (int) Cli.inRange(options.controllerPort == null ? port + 1L : options.controllerPort, "--controllerPort", 1, 65535);
    long timeout = Cli.inRange(options.timeout, "--timeout", 1, 3600);
    if (KafkaBroker.SERVICE.running(dataDir).isPresent()) {
      throw new IOException("a broker is already running on " + dataDir + " (stop it first)");
    }
    for (int p : new int[] {port, controllerPort}) {
      if (LocalProcess.accepting(p)) {
        throw new IOException("port " + p + " on 127.0.0.1 is already in use");
      }
    }
    Optional<Path> lib = Optional.ofNullable(options.kafkaLib).map(Path::of);
    KafkaBroker broker = KafkaBroker.at(dataDir, port, controllerPort, lib);
    broker.start(Duration.ofSeconds(timeout));
    out.println(
        "kafka: broker ready at " + broker.bootstrapServers() + " (data and broker.log in "
            + dataDir + ")");
    return 0;
  }

  private static int stop(Path dataDir, PrintStream out) throws Exception {
    if (KafkaBroker.SERVICE.stopRecorded(dataDir)) {
      out.println("kafka: broker stopped (" + dataDir + ")");
    } else {
      out.println("kafka: no broker running on " + dataDir);
    }
    return 0;
  }

  /** Exit status 0 when the broker runs and accepts connections, 3 otherwise (like LSB). */
  private static int status(Path dataDir, int port, PrintStream out) throws IOException {
    Optional<ProcessHandle> broker = KafkaBroker.SERVICE.running(dataDir);
    if (broker.isEmpty()) {
      out.println("kafka: not running (" + dataDir + ")");
      return 3;
    }
    boolean accepting = LocalProcess.accepting(port);
    out.println(
        "kafka: running, pid " + broker.get().pid() + ", "
            + (accepting ? "accepting connections on 127.0.0.1:" + port : "port " + port + " not answering"));
    return accepting ? 0 : 3;
  }
}
