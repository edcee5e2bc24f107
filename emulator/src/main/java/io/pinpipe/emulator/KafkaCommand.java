package io.pinpipe.emulator;

import io.pinpipe.services.KafkaBroker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kafka start|stop|status}: a local single-node Kafka broker (KRaft) for the demo and for
 * trying the pipelines by hand. The broker is a real Apache Kafka 3.9 JVM ({@link KafkaBroker});
 * {@code start} returns once it answers, and the broker keeps running until {@code stop}.
 */
final class KafkaCommand extends OptionsCommand<KafkaCommand.Options> {
  static final String DEFAULT_DATA_DIR = "target/local-kafka";
  static final int DEFAULT_PORT = 9092;
  private static final LocalServiceControl CONTROL =
      new LocalServiceControl("kafka", "a", "broker", "127.0.0.1:", KafkaBroker.SERVICE);

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

  KafkaCommand() {
    super(
        "kafka",
        "start, stop or check a local single-node Kafka broker (KRaft)",
        Options::new);
  }

  @Override
  int run(Options options, PrintStream out, PrintStream err) throws Exception {
    String action = CONTROL.requireAction(options.action);
    Path dataDir = Path.of(options.dataDir).toAbsolutePath();
    int port = (int) Cli.inRange(options.port, "--port", 1, 65535);
    return CONTROL.run(action, dataDir, () -> start(options, dataDir, port, out), () -> port, out);
  }

  private static int start(Options options, Path dataDir, int port, PrintStream out)
      throws Exception {
    int controllerPort =
        (int) Cli.inRange(options.controllerPort == null ? port + 1L : options.controllerPort, "--controllerPort", 1, 65535);
    long timeout = Cli.inRange(options.timeout, "--timeout", 1, 3600);
    CONTROL.refuseBusy(dataDir, port, controllerPort);
    Optional<Path> lib = Optional.ofNullable(options.kafkaLib).map(Path::of);
    KafkaBroker broker = KafkaBroker.at(dataDir, port, controllerPort, lib);
    broker.start(Duration.ofSeconds(timeout));
    out.println(
        "kafka: broker ready at " + broker.bootstrapServers() + " (data and broker.log in "
            + dataDir + ")");
    return 0;
  }
}
