package io.pinpipe.emulator;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.KinesisStreams;
import io.pinpipe.services.KinesisLocal;
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
final class KinesisCommand extends OptionsCommand<KinesisCommand.Options> {
  static final String DEFAULT_DATA_DIR = "target/local-kinesis";
  static final int DEFAULT_PORT = 4568;
  private static final LocalServiceControl CONTROL =
      new LocalServiceControl("kinesis", "an", "endpoint", "http://127.0.0.1:", KinesisLocal.SERVICE);

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

  KinesisCommand() {
    super(
        "kinesis",
        "start, stop or check a local Kinesis endpoint (kinesis-mock) with the three streams",
        Options::new);
  }

  @Override
  int run(Options options, PrintStream out, PrintStream err) throws Exception {
    String action = CONTROL.requireAction(options.action);
    Path dataDir = Path.of(options.dataDir).toAbsolutePath();
    // status looks at the port the running endpoint recorded, not at --port
    return CONTROL.run(
        action, dataDir, () -> start(options, dataDir, out),
        () -> KinesisLocal.recordedPort(dataDir).orElse(DEFAULT_PORT), out);
  }

  private static int start(Options options, Path dataDir, PrintStream out) throws Exception {
    int port = (int) Cli.inRange(options.port, "--port", 1, 65535);
    int shards = (int) Cli.inRange(options.shards, "--shards", 1, 50);
    long timeout = Cli.inRange(options.timeout, "--timeout", 1, 3600);
    String prefix = GenerateCommand.topicPrefix(options.topicPrefix);
    CONTROL.refuseBusy(dataDir, port);
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
}
