package io.pinpipe.emulator;

import io.pinpipe.emulator.archive.ArchiveLayout;
import io.pinpipe.emulator.archive.ArchiveSummary;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.RecordKind;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/** {@code generate}: synthetic posting events written in the archived raw layout. */
final class GenerateCommand implements Subcommand {
  static final long DEFAULT_COUNT = 10_000;
  static final long DEFAULT_SEED = 42;
  static final String DEFAULT_TOPIC_PREFIX = "pinterest";

  private static final Set<String> VALUED =
      Set.of(
          "count", "seed", "topicPrefix", "output", "partitions", "recordsPerFile",
          "duplicateRate", "firstIndex");
  private static final Set<String> FLAGS = Set.of("overwrite", "help");

  private final LongSupplier nanoClock;

  GenerateCommand() {
    this(System::nanoTime);
  }

  /** With the clock that times progress lines (never the generated data). */
  GenerateCommand(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  @Override
  public String name() {
    return "generate";
  }

  @Override
  public String summary() {
    return "write synthetic posting events (pin, geo, user) in the archived raw layout";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: java -jar pinterest-emulator.jar generate --output DIR [options]",
        "",
        "Writes synthetic posting events, the same bytes for the same seed, as",
        "  DIR/topics/<prefix>.<kind>/partition=<p>/<prefix>.<kind>+<p>+<startOffset>.json",
        "for kind pin, geo and user (newline-delimited JSON).",
        "",
        "  --output DIR          where to write (required)",
        "  --count N             distinct events, i.e. row numbers (default " + DEFAULT_COUNT + ")",
        "  --seed S              random seed (default " + DEFAULT_SEED + ")",
        "  --topicPrefix P       topics are P.pin, P.geo, P.user (default " + DEFAULT_TOPIC_PREFIX + ")",
        "  --partitions N        partitions per topic; row number i goes to i mod N (default 1)",
        "  --recordsPerFile N    a new file every N records of a partition (default 100000)",
        "  --duplicateRate R     share of events also sent a second time, 0 <= R < 1 (default 0)",
        "  --firstIndex I        row number of the first event (default 1)",
        "  --overwrite           replace the prefix's topic directories if they hold files",
        "  --help                show this help",
        "",
        "Options are written --name=value or --name value.",
        "");
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err)
      throws UsageException, IOException {
    CommandLine line = CommandLine.parse(args, VALUED, FLAGS);
    if (line.flag("help")) {
      out.print(usage());
      return 0;
    }
    long count = line.longValue("count", DEFAULT_COUNT, 1, Long.MAX_VALUE);
    long seed = line.longValue("seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
    String prefix = line.string("topicPrefix", DEFAULT_TOPIC_PREFIX);
    if (!prefix.matches("[A-Za-z0-9._-]+")) {
      throw new UsageException(
          "--topicPrefix may hold letters, digits, '.', '_' and '-' only, got '" + prefix + "'");
    }
    int partitions = (int) line.longValue("partitions", ArchiveWriter.DEFAULT_PARTITIONS, 1, 1024);
    long recordsPerFile =
        line.longValue(
            "recordsPerFile", ArchiveWriter.DEFAULT_RECORDS_PER_FILE, 1, Long.MAX_VALUE);
    double duplicateRate = line.doubleValue("duplicateRate", 0, 0, 1);
    long firstIndex = line.longValue("firstIndex", 1, 0, Long.MAX_VALUE - count);
    Path output = Path.of(line.required("output"));
    if (Files.exists(output) && !Files.isDirectory(output)) {
      throw new UsageException("--output " + output + " is a file, not a directory");
    }
    prepareTopics(output, prefix, line.flag("overwrite"));

    GeneratorSettings settings =
        GeneratorSettings.defaults().withDuplicateRate(duplicateRate).withFirstIndex(firstIndex);
    ProgressReporter progress = new ProgressReporter(err, nanoClock);
    ArchiveSummary summary =
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
        output.resolve("topics"),
        nanos / 1e9,
        ProgressReporter.perSecond(summary.events(), nanos));
    return 0;
  }

  /**
   * Only this prefix's three topic directories count: other topics under the same {@code
   * topics/} are another run's and stay untouched, as in a Kafka archive.
   */
  static void prepareTopics(Path output, String prefix, boolean overwrite)
      throws UsageException, IOException {
    for (RecordKind kind : RecordKind.values()) {
      Path topic = ArchiveLayout.topicDirectory(output, prefix, kind);
      if (!holdsAnything(topic)) {
        continue;
      }
      if (!overwrite) {
        throw new UsageException(
            topic + " already holds files (use --overwrite to replace this prefix's topics)");
      }
      deleteRecursively(topic);
    }
  }

  private static boolean holdsAnything(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return false;
    }
    if (!Files.isDirectory(directory)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isPresent();
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
