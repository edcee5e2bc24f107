package io.pinpipe.emulator;

import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.archive.ArchiveWriteSummary;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.generate.GeneratorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.function.LongSupplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: synthetic posting events written in the archived raw layout. */
final class GenerateCommand extends OptionsCommand<GenerateCommand.Options> {
  static final long DEFAULT_COUNT = 10_000;
  static final long DEFAULT_SEED = 42;
  static final String DEFAULT_TOPIC_PREFIX = "pinterest";

  /** The options of {@code generate}, bound by picocli ({@link Cli}). */
  @Command(
      name = "generate",
      customSynopsis = "usage: " + Cli.JAR + " generate --output=DIR [options]%n",
      description = {
        "Writes synthetic posting events, the same bytes for the same seed, as",
        "  DIR/topics/<prefix>.<kind>/partition=<p>/<prefix>.<kind>+<p>+<startOffset>.json",
        "for kind pin, geo and user (newline-delimited JSON)."
      })
  static final class Options {
    @ArgGroup(validate = false, heading = "%nOutput:%n")
    Output output = new Output();

    @ArgGroup(validate = false, heading = "%nEvents:%n")
    Events events = new Events();

    @Option(names = "--help", description = "show this help")
    boolean help;
  }

  /** Where and how the archive is written ({@code post --sink files} shares these). */
  static final class Output {
    @Option(names = "--output", paramLabel = "DIR", description = "the archive root to write under (required)")
    String dir;

    @Option(names = "--topicPrefix", paramLabel = "P", description = "topics are P.pin, P.geo, P.user (default: ${DEFAULT-VALUE})")
    String topicPrefix = DEFAULT_TOPIC_PREFIX;

    @Option(names = "--partitions", paramLabel = "N", description = "partitions per topic; row number i goes to i mod N (default: ${DEFAULT-VALUE})")
    long partitions = ArchiveWriter.DEFAULT_PARTITIONS;

    @Option(names = "--recordsPerFile", paramLabel = "N", description = "a new file every N records of a partition (default: ${DEFAULT-VALUE})")
    long recordsPerFile = ArchiveWriter.DEFAULT_RECORDS_PER_FILE;

    @Option(names = "--overwrite", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
        description = "replace the prefix's topic directories if they hold files (default: false)")
    boolean overwrite;
  }

  /** What is generated. */
  static final class Events {
    @Option(names = "--count", paramLabel = "N", description = "distinct events, i.e. row numbers (default: ${DEFAULT-VALUE})")
    long count = DEFAULT_COUNT;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = DEFAULT_SEED;

    @Option(names = "--duplicateRate", paramLabel = "R", description = "share of events also sent a second time, 0 <= R < 1 (default: ${DEFAULT-VALUE})")
    double duplicateRate = 0;

    @Option(names = "--firstIndex", paramLabel = "I", description = "row number of the first event (default: ${DEFAULT-VALUE})")
    long firstIndex = 1;
  }

  private final LongSupplier nanoClock;

  GenerateCommand() {
    this(System::nanoTime);
  }

  /** With the clock that times progress lines (never the generated data). */
  GenerateCommand(LongSupplier nanoClock) {
    super(
        "generate",
        "write synthetic posting events (pin, geo, user) in the archived raw layout",
        Options::new);
    this.nanoClock = nanoClock;
  }

  @Override
  int run(Options options, PrintStream out, PrintStream err)
      throws UsageException, IOException {
    Events events = options.events;
    long count = Cli.inRange(events.count, "--count", 1, Long.MAX_VALUE);
    long seed = events.seed;
    String prefix = topicPrefix(options.output.topicPrefix);
    int partitions = (int) Cli.inRange(options.output.partitions, "--partitions", 1, 1024);
    long recordsPerFile = Cli.inRange(options.output.recordsPerFile, "--recordsPerFile", 1, Long.MAX_VALUE);
    double duplicateRate = Cli.inRange(events.duplicateRate, "--duplicateRate", 0, 1);
    long firstIndex = Cli.inRange(events.firstIndex, "--firstIndex", 0, Long.MAX_VALUE - count);
    Path output = outputDirectory(options.output.dir);
    prepareTopics(output, prefix, options.output.overwrite);

    GeneratorSettings settings =
        GeneratorSettings.defaults().withDuplicateRate(duplicateRate).withFirstIndex(firstIndex);
    ProgressReporter progress = new ProgressReporter(err, nanoClock);
    ArchiveWriteSummary summary =
        ArchiveWriter.generate(
            output, prefix, count, seed, settings, partitions, recordsPerFile, progress);
    long nanos = progress.elapsedNanos();
    err.printf(
        Locale.ROOT,
        "generate: wrote %,d events (%,d resent) as %,d pin, %,d geo, %,d user records under %s"
            + " in %.1f s (%,d events/s)%n",
        summary.events(),
        summary.resent(),
        summary.records(RecordKind.PIN),
        summary.records(RecordKind.GEO),
        summary.records(RecordKind.USER),
        ArchiveLayout.topicsDirectory(output),
        nanos / 1e9,
        ProgressReporter.perSecond(summary.events(), nanos));
    return 0;
  }

  /** Topic names allow letters, digits, '.', '_' and '-'. */
  static String topicPrefix(String prefix) throws UsageException {
    if (!prefix.matches("[A-Za-z0-9._-]+")) {
      throw new UsageException(
          "--topicPrefix may hold letters, digits, '.', '_' and '-' only, got '" + prefix + "'");
    }
    return prefix;
  }

  /** The required --output, which must be a directory or not exist yet. */
  static Path outputDirectory(String dir) throws UsageException {
    Path output = Path.of(Cli.required(dir, "--output"));
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new UsageException("--output " + output + " is a file, not a directory");
    }
    return output;
  }

  /**
   * Only this prefix's three topic directories count: other topics under the same {@code
   * topics/} are another run's and stay untouched, as in a Kafka archive.
   */
  static void prepareTopics(Path output, String prefix, boolean overwrite)
      throws UsageException, IOException {
    for (RecordKind kind : RecordKind.values()) {
      Path topic = ArchiveLayout.topicDirectory(output, prefix, kind);
      if (!ArchiveWriter.holdsFiles(topic)) {
        continue;
      }
      if (!overwrite) {
        throw new UsageException(
            topic + " already holds files (use --overwrite to replace this prefix's topics)");
      }
      deleteRecursively(topic);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    Files.walkFileTree(
        path,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
