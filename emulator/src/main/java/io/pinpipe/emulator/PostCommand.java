package io.pinpipe.emulator;

import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.contract.KafkaClientConfig;
import io.pinpipe.emulator.post.Clock;
import io.pinpipe.emulator.post.FilesSink;
import io.pinpipe.emulator.post.GeneratorSource;
import io.pinpipe.emulator.post.JdbcSource;
import io.pinpipe.emulator.post.KafkaSink;
import io.pinpipe.emulator.post.KinesisGatewaySink;
import io.pinpipe.emulator.post.KinesisSink;
import io.pinpipe.emulator.post.PostSink;
import io.pinpipe.emulator.post.PostSource;
import io.pinpipe.emulator.post.Poster;
import io.pinpipe.emulator.post.RestProxySink;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code post}: the posting emulator. Reads events from the generator or the original's
 * database and sends each event's three records to Kafka, a Kafka REST proxy, Kinesis, the
 * original's Kinesis API gateway or the archived layout, at a set rate, for a count or a duration; Ctrl-C stops it cleanly with final counts.
 */
final class PostCommand extends OptionsCommand<PostCommand.Options> {
  /** The options of {@code post}, bound by picocli ({@link Cli}), grouped as the help shows them. */
  @Command(
      name = "post",
      customSynopsis = "usage: " + Cli.JAR + " post (--count=N | --duration=D) [--sink=kafka|...] [options]%n",
      description = {
        "Sends each event's pin, geo and user record to the topics <prefix>.pin, .geo and .user",
        "(kinesis, kinesis-gateway: to the streams streaming-<prefix>-pin, -geo and -user).",
        "The generator needs --count or --duration; Ctrl-C stops any run with final counts."
      })
  static final class Options {
    @ArgGroup(validate = false, heading = "%nSource:%n")
    Source source = new Source();

    @ArgGroup(validate = false, heading = "%nAmount and pace:%n")
    Pace pace = new Pace();

    @ArgGroup(validate = false, heading = "%nSink:%n")
    Sink sink = new Sink();

    @ArgGroup(validate = false, heading = "%nKafka (--sink=kafka):%n")
    Kafka kafka = new Kafka();

    @ArgGroup(validate = false, heading = "%nKinesis (--sink=kinesis):%n")
    Kinesis kinesis = new Kinesis();

    @ArgGroup(validate = false, heading = "%nHTTP gateways (--sink=rest-proxy, --sink=kinesis-gateway):%n")
    Gateways gateways = new Gateways();

    @ArgGroup(validate = false, heading = "%nFiles (--sink=files):%n")
    Files files = new Files();

    @Option(names = "--help", description = "show this help")
    boolean help;
  }

  static final class Source {
    @Option(names = "--source", paramLabel = "generator|jdbc", description = "where events come from (default: ${DEFAULT-VALUE})")
    String name = "generator";

    @Option(names = "--seed", paramLabel = "S", description = "generator seed, or the random row selection's (default: ${DEFAULT-VALUE})")
    long seed = GenerateCommand.DEFAULT_SEED;

    @Option(names = "--firstIndex", paramLabel = "I", description = "generator: row number of the first event (default: ${DEFAULT-VALUE})")
    long firstIndex = 1;

    @Option(names = "--duplicateRate", paramLabel = "R", description = "generator: share of events sent twice, 0 <= R < 1 (default: ${DEFAULT-VALUE})")
    double duplicateRate = 0;

    @Option(names = "--selection", paramLabel = "random|sequential",
        description = "jdbc: rows at random with replacement like the original, or every row once in row-number order (default: ${DEFAULT-VALUE})")
    String selection = "random";

    @Option(names = "--jdbcUrl", paramLabel = "URL", description = "jdbc: the source database (default: ${DEFAULT-VALUE})")
    String jdbcUrl = Database.DEFAULT_URL;

    @Option(names = "--user", paramLabel = "U", description = "jdbc: database user (default: ${DEFAULT-VALUE}); the password only from $" + Database.PASSWORD_ENV)
    String user = Database.DEFAULT_USER;
  }

  static final class Pace {
    @Option(names = "--count", paramLabel = "N",
        description = "events: distinct events for the generator (plus resends), rows read for jdbc; with --duration, whichever comes first")
    Long count;

    @Option(names = "--duration", paramLabel = "D", converter = Cli.DurationNanos.class, description = "stop after D: 500ms, 30s, 5m, 2h")
    Long durationNanos;

    @Option(names = "--rate", paramLabel = "R", description = "events per second on an absolute schedule (default: 0, as fast as the sink takes them)")
    double rate = 0;
  }

  static final class Sink {
    @Option(names = "--sink", paramLabel = "NAME", description = "kafka, rest-proxy, kinesis, kinesis-gateway or files (default: ${DEFAULT-VALUE})")
    String name = "kafka";

    @Option(names = "--topicPrefix", paramLabel = "P", description = "topics P.pin, P.geo, P.user; streams streaming-P-pin|geo|user (default: ${DEFAULT-VALUE})")
    String topicPrefix = GenerateCommand.DEFAULT_TOPIC_PREFIX;
  }

  static final class Kafka {
    @Option(names = "--bootstrapServers", paramLabel = "HOST:PORT,...", description = "the brokers (default: ${DEFAULT-VALUE})")
    String bootstrapServers = "127.0.0.1:9092";

    @Option(names = "--clientConfig", paramLabel = "FILE",
        description = "client properties (TLS, SASL); or $" + KafkaClientConfig.FILE_ENV + " and " + KafkaClientConfig.ENV_PREFIX + "<PROPERTY> variables")
    String clientConfig;
  }

  static final class Kinesis {
    @Option(names = "--kinesisEndpoint", paramLabel = "URL",
        description = "endpoint override (default: the region's); credentials from the AWS SDK's default chain (environment, AWS_PROFILE), never an option")
    String endpoint;

    @Option(names = "--kinesisRegion", paramLabel = "R", description = "region (default: the SDK's region chain, else us-east-1)")
    String region;
  }

  static final class Gateways {
    @Option(names = "--restProxyUrl", paramLabel = "URL", description = "rest-proxy: POST <URL>/topics/<topic> (Kafka REST proxy v2); required with it")
    String restProxyUrl;

    @Option(names = "--gatewayUrl", paramLabel = "URL", description = "kinesis-gateway: PUT <URL>/streams/<stream>/record (the original's API); required with it")
    String gatewayUrl;
  }

  static final class Files {
    @Option(names = "--output", paramLabel = "DIR", description = "the archive root; required with --sink=files")
    String dir;

    @Option(names = "--partitions", paramLabel = "N", description = "partitions per topic (default: ${DEFAULT-VALUE})")
    long partitions = ArchiveWriter.DEFAULT_PARTITIONS;

    @Option(names = "--recordsPerFile", paramLabel = "N", description = "a new file every N records of a partition (default: ${DEFAULT-VALUE})")
    long recordsPerFile = ArchiveWriter.DEFAULT_RECORDS_PER_FILE;

    @Option(names = "--overwrite", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
        description = "replace the prefix's topic directories if they hold files (default: false)")
    boolean overwrite;
  }

  private final Clock clock;
  private final Map<String, String> env;
  private final boolean handleInterrupts;

  PostCommand() {
    this(Clock.SYSTEM, System.getenv(), true);
  }

  /** With an injected clock and environment, and without a JVM shutdown hook (tests). */
  PostCommand(Clock clock, Map<String, String> env, boolean handleInterrupts) {
    super(
        "post",
        "send events to Kafka, Kinesis, their HTTP gateways or files, from the generator or a database",
        Options::new);
    this.clock = clock;
    this.env = env;
    this.handleInterrupts = handleInterrupts;
  }

  @Override
  int run(Options options, PrintStream out, PrintStream err) throws Exception {
    String sourceName = options.source.name;
    String sinkName = options.sink.name;
    long count = options.pace.count == null ? Long.MAX_VALUE : Cli.inRange(options.pace.count, "--count", 1, Long.MAX_VALUE);
    long maxNanos = options.pace.durationNanos == null ? Long.MAX_VALUE : options.pace.durationNanos;
    double rate = Cli.inRange(options.pace.rate, "--rate", 0, 10_000_000);
    long seed = options.source.seed;
    String prefix = GenerateCommand.topicPrefix(options.sink.topicPrefix);

    PostSource source;
    long maxEvents;
    switch (sourceName) {
      case "generator":
        if (count == Long.MAX_VALUE && maxNanos == Long.MAX_VALUE) {
          throw new UsageException("the generator needs --count or --duration (or both)");
        }
        GeneratorSettings settings =
            GeneratorSettings.defaults()
                .withDuplicateRate(Cli.inRange(options.source.duplicateRate, "--duplicateRate", 0, 1))
                .withFirstIndex(Cli.inRange(options.source.firstIndex, "--firstIndex", 0, Long.MAX_VALUE / 2));
        source = new GeneratorSource(seed, settings, count);
        maxEvents = Long.MAX_VALUE;
        break;
      case "jdbc":
        JdbcSource.Selection selection = selection(options.source.selection);
        if (selection == JdbcSource.Selection.RANDOM && count == Long.MAX_VALUE && maxNanos == Long.MAX_VALUE) {
          throw new UsageException("random selection needs --count or --duration (or both)");
        }
        source =
            JdbcSource.open(
                Database.connect(
                    options.source.jdbcUrl, options.source.user, env),
                selection,
                seed);
        maxEvents = count;
        break;
      default:
        throw new UsageException("--source must be generator or jdbc, got '" + sourceName + "'");
    }

    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    // Ctrl-C: stop taking events, then let the run flush and close its sink (files are complete,
    // the producer has its acknowledgements) and print its final counts before the JVM exits.
    Thread hook =
        new Thread(
            () -> {
              stop.set(true);
              try {
                finished.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "post-shutdown");
    if (handleInterrupts) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try {
      return send(source, sinkName, options, prefix, rate, maxEvents, maxNanos, stop, err);
    } finally {
      finished.countDown();
      if (handleInterrupts) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the hook is running and waits for `finished`, counted down above.
        }
      }
    }
  }

  /** Runs the loop; the source and the sink are closed (files complete) before this returns. */
  private int send(
      PostSource source, String sinkName, Options options, String prefix, double rate, long maxEvents,
      long maxNanos, AtomicBoolean stop, PrintStream err) throws Exception {
    Poster.Result result;
    long sent;
    long acknowledged;
    long failed;
    String firstFailure;
    String from;
    String to;
    try (PostSource events = source; PostSink sink = openSink(sinkName, options, prefix)) {
      result = new Poster(clock, err).run(events, sink, rate, maxEvents, maxNanos, stop);
      sink.close();
      sent = sink.recordsSent();
      acknowledged = sink.recordsAcknowledged();
      failed = sink.recordsFailed();
      firstFailure = sink.firstFailure();
      from = events.describe();
      to = sink.describe();
    }
    err.printf(
        Locale.ROOT,
        "post: %s %,d events (%,d records) from %s to %s in %.1f s (%,d events/s): %,d records"
            + " acknowledged, %,d failed%n",
        result.ending() == Poster.Ending.STOPPED ? "stopped after" : "sent",
        result.events(), sent, from, to, result.elapsedNanos() / 1e9,
        Poster.perSecond(result.events(), result.elapsedNanos()), acknowledged, failed);
    if (failed > 0) {
      err.println("error: " + failed + " records failed; the first: " + firstFailure);
      return EmulatorMain.FAILURE;
    }
    return 0;
  }

  private static JdbcSource.Selection selection(String name) throws UsageException {
    switch (name) {
      case "random":
        return JdbcSource.Selection.RANDOM;
      case "sequential":
        return JdbcSource.Selection.SEQUENTIAL;
      default:
        throw new UsageException("--selection must be random or sequential, got '" + name + "'");
    }
  }

  private PostSink openSink(String name, Options options, String prefix) throws Exception {
    switch (name) {
      case "kafka":
        Map<String, Object> clientConfig =
            KafkaClientConfig.load(Optional.ofNullable(options.kafka.clientConfig).map(Path::of), env);
        return KafkaSink.open(options.kafka.bootstrapServers, clientConfig, prefix);
      case "rest-proxy":
        return RestProxySink.open(Cli.required(options.gateways.restProxyUrl, "--restProxyUrl"), prefix);
      case "kinesis":
        return KinesisSink.open(
            Optional.ofNullable(options.kinesis.endpoint),
            Optional.ofNullable(options.kinesis.region),
            prefix);
      case "kinesis-gateway":
        return KinesisGatewaySink.open(Cli.required(options.gateways.gatewayUrl, "--gatewayUrl"), prefix);
      case "files":
        Path output = GenerateCommand.outputDirectory(options.files.dir);
        GenerateCommand.prepareTopics(output, prefix, options.files.overwrite);
        return new FilesSink(
            output,
            prefix,
            (int) Cli.inRange(options.files.partitions, "--partitions", 1, 1024),
            Cli.inRange(options.files.recordsPerFile, "--recordsPerFile", 1, Long.MAX_VALUE));
      default:
        throw new UsageException(
            "--sink must be kafka, rest-proxy, kinesis, kinesis-gateway or files, got '" + name + "'");
    }
  }
}
