package io.pinpipe.emulator;

import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.kafka.KafkaClientConfig;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code post}: the posting emulator. Reads events from the generator or the original's
 * database and sends each event's three records to Kafka, a Kafka REST proxy, Kinesis, the
 * original's Kinesis API gateway or the archived layout, at a set rate, for a count or a duration; Ctrl-C stops it cleanly with final counts.
 */
final class PostCommand implements Subcommand {
  private static final Set<String> VALUED =
      Set.of(
          "source", "sink", "count", "duration", "rate", "seed", "firstIndex", "duplicateRate",
          "selection", "jdbcUrl", "user", "topicPrefix", "bootstrapServers", "clientConfig",
          "restProxyUrl", "output", "partitions", "recordsPerFile", "kinesisEndpoint", "kinesisRegion",
          "gatewayUrl");
  private static final Set<String> FLAGS = Set.of("overwrite", "help");

  private final Clock clock;
  private final Map<String, String> env;
  private final boolean handleInterrupts;

  PostCommand() {
    this(Clock.SYSTEM, System.getenv(), true);
  }

  /** With an injected clock and environment, and without a JVM shutdown hook (tests). */
  PostCommand(Clock clock, Map<String, String> env, boolean handleInterrupts) {
    this.clock = clock;
    this.env = env;
    this.handleInterrupts = handleInterrupts;
  }

  @Override
  public String name() {
    return "post";
  }

  @Override
  public String summary() {
    return "send events to Kafka, Kinesis, their HTTP gateways or files, from the generator or a database";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: java -jar pinterest-emulator.jar post [options]",
        "",
        "Sends each event's pin, geo and user record to the topics <prefix>.pin, .geo and .user",
        "(kinesis, kinesis-gateway: to the streams streaming-<prefix>-pin, -geo and -user).",
        "",
        "Source:",
        "  --source generator|jdbc   (default generator)",
        "  --count N                 events: distinct events for the generator (plus resends),",
        "                            events read for jdbc; with --duration, whichever comes first",
        "  --duration D              stop after D (500ms, 30s, 5m, 2h)",
        "  --rate R                  events per second (default 0: as fast as the sink takes them)",
        "  --seed S                  generator seed, or the random row selection's (default 42)",
        "  --firstIndex I            generator: row number of the first event (default 1)",
        "  --duplicateRate R         generator: share of events sent twice (default 0)",
        "  --selection random|sequential  jdbc: rows with replacement like the original (default),",
        "                            or every row once in row-number order",
        "  --jdbcUrl URL             jdbc (default " + Database.DEFAULT_URL + ")",
        "  --user U                  jdbc user (default root); password from $" + Database.PASSWORD_ENV,
        "Sink:",
        "  --sink kafka|rest-proxy|kinesis|kinesis-gateway|files  (default kafka)",
        "  --topicPrefix P           (default pinterest)",
        "  --bootstrapServers HOSTS  kafka (default 127.0.0.1:9092)",
        "  --clientConfig FILE       kafka client properties (TLS, SASL); or $" + KafkaClientConfig.FILE_ENV,
        "                            and " + KafkaClientConfig.ENV_PREFIX + "<PROPERTY> variables",
        "  --restProxyUrl URL        rest-proxy: POST <URL>/topics/<topic> (Kafka REST proxy v2)",
        "  --kinesisEndpoint URL     kinesis: endpoint override (default: the region's); streams are",
        "                            streaming-<prefix>-pin|geo|user; credentials from the AWS SDK's",
        "                            default chain (environment, AWS_PROFILE), never an option",
        "  --kinesisRegion R         kinesis (default: the SDK's region chain, else us-east-1)",
        "  --gatewayUrl URL          kinesis-gateway: PUT <URL>/streams/<stream>/record (the original's API)",
        "  --output DIR              files: archive root; --partitions, --recordsPerFile, --overwrite",
        "                            as for generate",
        "",
        "The generator needs --count or --duration; Ctrl-C stops any run with final counts.",
        "");
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    CommandLine line = CommandLine.parse(args, VALUED, FLAGS);
    if (line.flag("help")) {
      out.print(usage());
      return 0;
    }
    String sourceName = line.string("source", "generator");
    String sinkName = line.string("sink", "kafka");
    long count = line.longValue("count", Long.MAX_VALUE, 1, Long.MAX_VALUE);
    long maxNanos =
        line.string("duration", null) == null
            ? Long.MAX_VALUE
            : Durations.parseNanos("duration", line.string("duration", null));
    double rate = line.doubleValue("rate", 0, 0, 10_000_000);
    long seed = line.longValue("seed", GenerateCommand.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
    String prefix = line.string("topicPrefix", GenerateCommand.DEFAULT_TOPIC_PREFIX);
    if (!prefix.matches("[A-Za-z0-9._-]+")) {
      throw new UsageException("--topicPrefix may hold letters, digits, '.', '_' and '-' only, got '" + prefix + "'");
    }

    PostSource source;
    long maxEvents;
    switch (sourceName) {
      case "generator":
        if (count == Long.MAX_VALUE && maxNanos == Long.MAX_VALUE) {
          throw new UsageException("the generator needs --count or --duration (or both)");
        }
        GeneratorSettings settings =
            GeneratorSettings.defaults()
                .withDuplicateRate(line.doubleValue("duplicateRate", 0, 0, 1))
                .withFirstIndex(line.longValue("firstIndex", 1, 0, Long.MAX_VALUE / 2));
        source = new GeneratorSource(seed, settings, count);
        maxEvents = Long.MAX_VALUE;
        break;
      case "jdbc":
        JdbcSource.Selection selection = selection(line.string("selection", "random"));
        if (selection == JdbcSource.Selection.RANDOM && count == Long.MAX_VALUE && maxNanos == Long.MAX_VALUE) {
          throw new UsageException("random selection needs --count or --duration (or both)");
        }
        source =
            JdbcSource.open(
                Database.connect(
                    line.string("jdbcUrl", Database.DEFAULT_URL), line.string("user", Database.DEFAULT_USER), env),
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
      return send(source, sinkName, line, prefix, rate, maxEvents, maxNanos, stop, err);
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
      PostSource source, String sinkName, CommandLine line, String prefix, double rate, long maxEvents,
      long maxNanos, AtomicBoolean stop, PrintStream err) throws Exception {
    Poster.Result result;
    long sent;
    long acknowledged;
    long failed;
    String firstFailure;
    String from;
    String to;
    try (PostSource events = source; PostSink sink = openSink(sinkName, line, prefix)) {
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

  private PostSink openSink(String name, CommandLine line, String prefix) throws Exception {
    switch (name) {
      case "kafka":
        Map<String, Object> clientConfig =
            KafkaClientConfig.load(Optional.ofNullable(line.string("clientConfig", null)).map(Path::of), env);
        return KafkaSink.open(line.string("bootstrapServers", "127.0.0.1:9092"), clientConfig, prefix);
      case "rest-proxy":
        return RestProxySink.open(line.required("restProxyUrl"), prefix);
      case "kinesis":
        return KinesisSink.open(
            Optional.ofNullable(line.string("kinesisEndpoint", null)),
            Optional.ofNullable(line.string("kinesisRegion", null)),
            prefix);
      case "kinesis-gateway":
        return KinesisGatewaySink.open(line.required("gatewayUrl"), prefix);
      case "files":
        Path output = Path.of(line.required("output"));
        if (Files.exists(output) && !Files.isDirectory(output)) {
          throw new UsageException("--output " + output + " is a file, not a directory");
        }
        GenerateCommand.prepareTopics(output, prefix, line.flag("overwrite"));
        return new FilesSink(
            output,
            prefix,
            (int) line.longValue("partitions", ArchiveWriter.DEFAULT_PARTITIONS, 1, 1024),
            line.longValue("recordsPerFile", ArchiveWriter.DEFAULT_RECORDS_PER_FILE, 1, Long.MAX_VALUE));
      default:
        throw new UsageException(
            "--sink must be kafka, rest-proxy, kinesis, kinesis-gateway or files, got '" + name + "'");
    }
  }
}
