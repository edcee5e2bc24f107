package io.pinpipe.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.PipelinesMain;
import io.pinpipe.pipelines.batch.ParquetTable;
import io.pinpipe.pipelines.io.sink.ParquetTables;
import io.pinpipe.pipelines.io.kafka.CommitWrittenOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The live streaming job killed as {@code kill -9} would, in a child JVM, while events are being
 * posted (so a window is always open), then restarted (docs/streaming.md#restarts-what-resumes-where):
 *
 * <ul>
 *   <li>On DirectRunner, halted at named points ({@link CrashPoint}: a table file written, an
 *       offset about to be committed, one just committed) and killed at seeded random times, with
 *       the window options changed between runs; after each kill every offset below the group's
 *       committed offset is in the tables, and a last bounded replay from the committed offsets
 *       leaves every (topic, partition, offset) posted in the tables.
 *   <li>On FlinkRunner with checkpoints retained under {@code --flinkCheckpointDir}, each run after the
 *       first restarted with {@code --restoreFromLatestCheckpoint} (the documented restart), killed
 *       at random times and at a named point; the last restored run, left to run until every
 *       posted offset is in the tables, proves Flink restored (its checkpoints are numbered on from
 *       the one restored) and that nothing was lost.
 * </ul>
 *
 * <p>Each loop kills {@code pinpipe.streamingCrash.iterations} times at random (3 by default;
 * {@code bench/streaming-crash-soak.sh} runs more) from seed {@code pinpipe.streamingCrash.seed},
 * and prints its figures: iterations, records behind the committed offsets at each kill, and rows
 * the restarts wrote twice.
 */
public class StreamingCrashTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final int PARTITIONS = 2;
  /** Events posted per second while a job runs: few enough that DirectRunner, re-reading from the committed offsets, catches up. */
  private static final int POSTS_PER_SECOND = 4;

  /** One record as the broker stored it, with its kind and row number (unique per kind). */
  record Posted(RecordKind kind, long ind, String topic, int partition, long offset) {
    String row() {
      return kind.id() + ":" + ind;
    }
  }

  /** A finished child run. */
  record Child(int status, String stdout, String stderr, boolean killed, double seconds) {}

  @Test
  public void directRunnerKilledWithAWindowOpenLosesNoOffset() throws Exception {
    int iterations = Integer.getInteger("pinpipe.streamingCrash.iterations", 3);
    long seed = Long.getLong("pinpipe.streamingCrash.seed", 21);
    String prefix = "crashdirect";
    KAFKA.createTopics(prefix, PARTITIONS);
    Path output = tmp.newFolder("direct").toPath();
    PostGenerator generator = new PostGenerator(seed);
    Random random = new Random(seed);
    List<Posted> posted = new ArrayList<>();
    Figures figures = new Figures("DirectRunner", seed);
    List<String> common = kafkaArgs(prefix, output);

    // Named points first, each in a run of its own, with the window options changed between runs.
    record Step(String point, List<String> windows) {}
    long spanMillis = Long.MAX_VALUE;
    for (Step step :
        List.of(
            new Step(CommitWrittenOffsets.AFTER_COMMIT + "#1", List.of("--windowSeconds=1")),
            new Step(ParquetTables.TABLE_FILE_WRITTEN + "#3", List.of("--windowSeconds=2", "--earlyFiringSeconds=1")),
            new Step(CommitWrittenOffsets.BEFORE_COMMIT + "#2", List.of("--windowSeconds=1", "--allowedLatenessSeconds=2")))) {
      Child child = live(concat(common, step.windows()), List.of(), Optional.of(step.point()), null, generator, posted);
      assertEquals(child.stderr(), CrashPoint.STATUS, child.status());
      assertTrue(child.stderr(), child.stderr().contains("pinpipe.crashAt: halting at " + step.point()));
      Map<String, Long> committed = groupOffsets(prefix);
      Set<String> rows = tableRows(output);
      assertCommittedOffsetsAreInTheTables(posted, committed, rows);
      if (step.point().startsWith(CommitWrittenOffsets.BEFORE_COMMIT)) {
        // Halted between a window's files and its commit: rows at or above a committed offset.
        assertTrue(
            "a written record not committed yet",
            posted.stream().anyMatch(p -> p.offset() >= committed.getOrDefault(p.topic() + "+" + p.partition(), 0L) && rows.contains(p.row())));
      }
      figures.killed(step.point(), posted, committed);
      spanMillis = Math.min(spanMillis, Math.round(child.seconds() * 1_000));
    }

    // Then kills at seeded random times, up to 1.2 x the shortest run to a named point (the first
    // commit): from before the job reads to after it has written windows.
    List<List<String>> windowOptions =
        List.of(
            List.of("--windowSeconds=1"),
            List.of("--windowSeconds=2", "--earlyFiringSeconds=1"),
            List.of("--windowSeconds=1", "--allowedLatenessSeconds=2"));
    for (int i = 0; i < iterations; i++) {
      List<String> windows = windowOptions.get(random.nextInt(windowOptions.size()));
      long killAfter = 2_000 + random.nextInt((int) (spanMillis * 6 / 5));
      Child child = live(concat(common, windows), List.of(), Optional.empty(), killAfter(killAfter), generator, posted);
      assertTrue("killed, not ended: " + child.stderr(), child.killed());
      Map<String, Long> committed = groupOffsets(prefix);
      assertCommittedOffsetsAreInTheTables(posted, committed, tableRows(output));
      figures.killed(String.join(" ", windows) + ", killed after " + killAfter + " ms", posted, committed);
    }

    // The restart: a bounded replay from the committed offsets to the logs' ends. One bound serves
    // the three reads only if each has as much left, so the topics behind get single records.
    Map<String, Long> committed = groupOffsets(prefix);
    Map<RecordKind, Long> left = new HashMap<>();
    for (RecordKind kind : RecordKind.values()) {
      left.put(kind, posted.stream().filter(p -> p.kind() == kind && p.offset() >= committed.getOrDefault(p.topic() + "+" + p.partition(), 0L)).count());
    }
    long bound = left.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    List<ProducerRecord<byte[], byte[]>> topUp = new ArrayList<>();
    List<RecordKind> topUpKinds = new ArrayList<>();
    List<Long> topUpInds = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      for (long n = left.get(kind); n < bound; n++) {
        GeneratedPost post = generator.next();
        topUp.add(KafkaFixture.record(prefix, kind, post));
        topUpKinds.add(kind);
        topUpInds.add(post.index());
      }
    }
    posted.addAll(send(topUp, topUpKinds, topUpInds));
    Child replay = child(concat(common, List.of("--windowSeconds=1", "--maxRecordsPerStream=" + bound)), List.of(), Optional.empty(), null);
    assertEquals(replay.stderr(), 0, replay.status());

    Set<String> rows = tableRows(output);
    List<String> missing = posted.stream().filter(p -> !rows.contains(p.row())).map(Object::toString).toList();
    assertEquals("every posted offset is in the tables", List.of(), missing);
    Map<String, Long> finalOffsets = groupOffsets(prefix);
    for (PartitionOffsets p : partitions(prefix)) {
      assertEquals(p.toString(), Optional.of(p.end()), Optional.ofNullable(finalOffsets.get(p.topic() + "+" + p.partition())));
    }
    figures.print(posted, tableRowCount(output));
  }

  @Test
  public void flinkRunnerRestoredFromTheLatestCheckpointLosesNoOffset() throws Exception {
    int iterations = Integer.getInteger("pinpipe.streamingCrash.iterations", 3);
    long seed = Long.getLong("pinpipe.streamingCrash.seed", 21);
    String prefix = "crashflink";
    KAFKA.createTopics(prefix, PARTITIONS);
    Path output = tmp.newFolder("flink").toPath();
    Path checkpoints = tmp.newFolder("checkpoints").toPath();
    PostGenerator generator = new PostGenerator(seed + 1);
    Random random = new Random(seed);
    List<Posted> posted = new ArrayList<>();
    Figures figures = new Figures("FlinkRunner", seed);
    // The documented restart: the same command with --restoreFromLatestCheckpoint.
    List<String> command =
        concat(
            kafkaArgs(prefix, output),
            List.of(
                "--runner=FlinkRunner", "--parallelism=1", "--windowSeconds=1",
                "--flinkCheckpointDir=" + checkpoints, "--checkpointingInterval=1000"));
    List<String> restart = concat(command, List.of("--restoreFromLatestCheckpoint"));
    List<String> jvm = List.of("-Xmx1g");

    // The first run, killed at a random time once it has retained a checkpoint (what a restart
    // needs; whether it had committed yet is up to chance, like the rest of the kill).
    long extra = random.nextInt(5_000);
    BooleanSupplier[] kill = {null};
    BooleanSupplier ready = atMostEvery(1_000, () -> hasCheckpoint(checkpoints, 3));
    Child first =
        live(
            command, jvm, Optional.empty(),
            () -> {
              if (kill[0] == null && ready.getAsBoolean()) {
                kill[0] = killAfter(extra);
              }
              return kill[0] != null && kill[0].getAsBoolean();
            },
            generator, posted);
    assertTrue(first.stderr(), first.killed());
    Map<String, Long> committed = groupOffsets(prefix);
    assertCommittedOffsetsAreInTheTables(posted, committed, tableRows(output));
    figures.killed("fresh run, killed " + extra + " ms after its first checkpoint", posted, committed);
    long spanMillis = Math.round(first.seconds() * 1_000);

    for (int i = 0; i < iterations; i++) {
      // One run halted with a table pane partly written; the others killed at random times.
      // (Not at a commit: the DirectRunner loop halts there.)
      Optional<String> point = i == 0 ? Optional.of(ParquetTables.TABLE_FILE_WRITTEN + "#5") : Optional.empty();
      long killAfter = spanMillis / 2 + random.nextInt((int) spanMillis);
      Child child = live(restart, jvm, point, point.isPresent() ? null : killAfter(killAfter), generator, posted);
      // Said as soon as the options are read (a run killed in its first second may not get there).
      assertTrue(child.stdout(), child.stdout().isEmpty() || child.stdout().startsWith("streaming: restoring from checkpoint " + checkpoints));
      if (point.isPresent()) {
        assertEquals(child.stderr(), CrashPoint.STATUS, child.status());
        assertTrue(child.stderr(), child.stderr().contains("pinpipe.crashAt: halting at " + point.get()));
      } else {
        assertTrue("killed, not ended: " + child.stderr(), child.killed());
      }
      committed = groupOffsets(prefix);
      assertCommittedOffsetsAreInTheTables(posted, committed, tableRows(output));
      figures.killed(point.orElse("killed after " + killAfter + " ms"), posted, committed);
    }

    // The last restart runs until every posted offset is in the tables and it has taken a
    // checkpoint of its own, then is stopped (Ctrl-C).
    Path restored = latestCheckpoint(checkpoints);
    Set<Path> jobsBefore = jobFolders(checkpoints);
    Child last =
        child(
            restart, jvm, Optional.empty(),
            atMostEvery(
                2_000,
                () -> {
                  Set<String> rows = tableRows(output);
                  return posted.stream().allMatch(p -> rows.contains(p.row()))
                      && jobFolders(checkpoints).stream().anyMatch(job -> !jobsBefore.contains(job) && hasCheckpoint(job, 2));
                }),
            false);
    assertTrue(last.stdout(), last.stdout().contains("streaming: restoring from checkpoint " + restored));
    Set<String> rows = tableRows(output);
    assertEquals(
        "every posted offset is in the tables", List.of(),
        posted.stream().filter(p -> !rows.contains(p.row())).map(Object::toString).toList());
    // Flink numbers a restored job's checkpoints on from the one it restored.
    long restoredNumber = checkpointNumber(restored);
    for (Path job : jobFolders(checkpoints)) {
      if (!jobsBefore.contains(job)) {
        try (Stream<Path> chk = Files.list(job)) {
          chk.filter(c -> c.getFileName().toString().startsWith("chk-"))
              .forEach(c -> assertTrue(c + " after " + restored, checkpointNumber(c) > restoredNumber));
        }
      }
    }
    figures.print(posted, tableRowCount(output));
  }

  // ---- the job in a child JVM --------------------------------------------------------------

  private List<String> kafkaArgs(String prefix, Path output) {
    // Plain Parquet tables: this test is about their at-least-once restart from the group's offsets
    // (the Iceberg tables' exactly-once restart is StreamingIcebergCrashTest's).
    return List.of(
        "streaming", "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topicPrefix=" + prefix, "--groupId=" + prefix + "-streaming", "--output=" + output, "--tableFormat=parquet");
  }

  /** {@code condition}, looked at no more often than every {@code millis} (it reads files or asks Kafka). */
  private static BooleanSupplier atMostEvery(long millis, BooleanSupplier condition) {
    long[] next = {0};
    return () -> {
      if (System.nanoTime() < next[0]) {
        return false;
      }
      next[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      return condition.getAsBoolean();
    };
  }

  private static BooleanSupplier killAfter(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    return () -> System.nanoTime() >= deadline;
  }

  /** Runs the job while events are posted, until it halts or {@code killWhen} holds (then SIGKILL). */
  private Child live(
      List<String> args,
      List<String> jvm,
      Optional<String> crashAt,
      BooleanSupplier killWhen,
      PostGenerator generator,
      List<Posted> posted)
      throws Exception {
    try (KafkaPoster poster = new KafkaPoster(KAFKA, generator, prefixOf(args), POSTS_PER_SECOND)) {
      Child child = child(args, jvm, crashAt, killWhen, true);
      for (KafkaPoster.Stored s : poster.stop()) {
        posted.add(new Posted(s.kind(), s.ind(), s.where().topic(), s.where().partition(), s.where().offset()));
      }
      return child;
    }
  }

  private Child child(List<String> args, List<String> jvm, Optional<String> crashAt, BooleanSupplier killWhen)
      throws Exception {
    return child(args, jvm, crashAt, killWhen, true);
  }

  /**
   * Runs {@code PipelinesMain} in a child JVM on the test class path; when {@code stopWhen} holds,
   * it is killed (SIGKILL) or, with {@code kill} false, stopped as Ctrl-C would.
   */
  private Child child(
      List<String> args, List<String> jvm, Optional<String> crashAt, BooleanSupplier stopWhen, boolean kill)
      throws Exception {
    File out = tmp.newFile();
    File err = tmp.newFile();
    Path scratch = tmp.newFolder().toPath(); // the JVM's temporary files (Flink's, the job's logs)
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + scratch));
    command.addAll(jvm);
    crashAt.ifPresent(point -> command.add("-D" + CrashPoint.PROPERTY + "=" + point));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), PipelinesMain.class.getName()));
    command.addAll(args);
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
    boolean killed = false;
    long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (process.isAlive() && System.nanoTime() < limit) {
      if (stopWhen != null && stopWhen.getAsBoolean()) {
        if (kill) {
          process.destroyForcibly(); // SIGKILL
        } else {
          process.destroy(); // SIGTERM: the job cancels its pipeline and says so
        }
        killed = true;
        break;
      }
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    if (!process.waitFor(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(limit - System.nanoTime())) + 60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      String prefix = prefixOf(args);
      throw new AssertionError(
          "the job did not end within 300 s (files under the output's parent: " + listing(out.toPath().getParent())
              + "; group offsets " + groupOffsets(prefix) + "): " + Files.readString(err.toPath()));
    }
    return new Child(
        process.exitValue(),
        Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8),
        killed,
        (System.nanoTime() - started) / 1e9);
  }

  /** For a failure message: the checkpoint folders and table files there are. */
  private static String listing(Path root) {
    try (Stream<Path> files = Files.walk(root, 4)) {
      return files.filter(f -> f.toString().contains("chk-") || f.toString().endsWith(".parquet"))
          .map(f -> root.relativize(f).toString())
          .filter(f -> f.split("/").length <= 3)
          .sorted()
          .limit(40)
          .toList()
          .toString();
    } catch (Exception e) {
      return "(" + e + ")";
    }
  }

  private static String prefixOf(List<String> args) {
    return args.stream().filter(a -> a.startsWith("--topicPrefix=")).findFirst().orElseThrow().substring("--topicPrefix=".length());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  // ---- posting -----------------------------------------------------------------------------

  private static List<Posted> send(List<ProducerRecord<byte[], byte[]>> records, List<RecordKind> kinds, List<Long> inds)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.producer()) {
      List<Future<RecordMetadata>> futures = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> r : records) {
        futures.add(producer.send(r));
      }
      producer.flush();
      return resolve(futures, kinds, inds);
    }
  }

  private static List<Posted> resolve(List<Future<RecordMetadata>> futures, List<RecordKind> kinds, List<Long> inds)
      throws Exception {
    List<Posted> posted = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      RecordMetadata m = futures.get(i).get();
      posted.add(new Posted(kinds.get(i), inds.get(i), m.topic(), m.partition(), m.offset()));
    }
    return posted;
  }

  // ---- what Kafka and the tables hold ------------------------------------------------------

  private static List<PartitionOffsets> partitions(String prefix) {
    return KafkaOffsets.offsets(
        Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
        List.of(prefix + ".pin", prefix + ".geo", prefix + ".user"), StartPosition.earliest(),
        Optional.of(prefix + "-streaming"));
  }

  /** The group's committed offsets, by {@code <topic>+<partition>}. */
  private static Map<String, Long> groupOffsets(String prefix) {
    Map<String, Long> committed = new HashMap<>();
    for (PartitionOffsets p : partitions(prefix)) {
      p.committed().ifPresent(c -> committed.put(p.topic() + "+" + p.partition(), c));
    }
    return committed;
  }

  /** {@code <kind>:<ind>} of every row in the tables. */
  private static Set<String> tableRows(Path output) {
    Set<String> rows = new HashSet<>();
    for (RecordKind kind : RecordKind.values()) {
      for (long ind : table(output, kind)) {
        rows.add(kind.id() + ":" + ind);
      }
    }
    return rows;
  }

  private static long tableRowCount(Path output) {
    long n = 0;
    for (RecordKind kind : RecordKind.values()) {
      n += table(output, kind).size();
    }
    return n;
  }

  /** Row numbers per table file, read once: the streaming job never rewrites a file it appended. */
  private static final Map<Path, List<Long>> FILES_READ = new java.util.concurrent.ConcurrentHashMap<>();

  /** Every row's {@code ind} in a table, a row per occurrence. */
  private static List<Long> table(Path output, RecordKind kind) {
    Path folder = output.resolve("tables").resolve(kind.id());
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<Long> inds = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
        inds.addAll(
            FILES_READ.computeIfAbsent(
                file,
                f -> {
                  try {
                    return ParquetTable.read(folder, f.getFileName().toString()).stream()
                        .map(r -> (Long) r.get("ind"))
                        .toList();
                  } catch (Exception e) {
                    throw new AssertionError("cannot read " + f, e);
                  }
                }));
      }
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot list " + folder, e);
    }
    return inds;
  }

  /** What a commit promises: every record below a partition's committed offset is in a table. */
  private static void assertCommittedOffsetsAreInTheTables(
      List<Posted> posted, Map<String, Long> committed, Set<String> rows) {
    List<String> missing = new ArrayList<>();
    for (Posted p : posted) {
      Long c = committed.get(p.topic() + "+" + p.partition());
      if (c != null && p.offset() < c && !rows.contains(p.row())) {
        missing.add(p.toString());
      }
    }
    assertEquals("committed but in no table (committed " + committed + ")", List.of(), missing);
  }

  // ---- Flink's checkpoints -----------------------------------------------------------------

  /** Flink's folder per job id under the checkpoint directory. */
  private static Set<Path> jobFolders(Path checkpoints) {
    try (Stream<Path> jobs = Files.list(checkpoints)) {
      return new HashSet<>(jobs.filter(Files::isDirectory).toList());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** A completed checkpoint ({@code chk-<n>/_metadata}) within {@code depth} levels of {@code folder}. */
  private static boolean hasCheckpoint(Path folder, int depth) {
    try (Stream<Path> files = Files.walk(folder, depth)) {
      return files.anyMatch(f -> f.getFileName().toString().equals("_metadata"));
    } catch (Exception e) {
      return false; // a folder Flink is creating or deleting this instant
    }
  }

  private static Path latestCheckpoint(Path checkpoints) throws Exception {
    try (Stream<Path> files = Files.walk(checkpoints, 3)) {
      return files
          .filter(f -> f.getFileName().toString().equals("_metadata"))
          .map(Path::getParent)
          .max(java.util.Comparator.comparing((Path c) -> c.resolve("_metadata").toFile().lastModified()).thenComparingLong(StreamingCrashTest::checkpointNumber))
          .orElseThrow();
    }
  }

  private static long checkpointNumber(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
  }

  // ---- figures -----------------------------------------------------------------------------

  /** What the soak reports: per kill, the records behind the committed offsets. */
  private static final class Figures {
    private final String runner;
    private final long seed;
    private final List<Long> behind = new ArrayList<>();
    private final long started = System.nanoTime();

    Figures(String runner, long seed) {
      this.runner = runner;
      this.seed = seed;
    }

    void killed(String how, List<Posted> posted, Map<String, Long> committed) {
      long n = posted.stream().filter(p -> p.offset() >= committed.getOrDefault(p.topic() + "+" + p.partition(), 0L)).count();
      behind.add(n);
      System.out.printf(
          Locale.ROOT, "%s kill %d (%s): %d records posted, %d at or above the committed offsets (%.0f s into the test)%n",
          runner, behind.size(), how, posted.size(), n, (System.nanoTime() - started) / 1e9);
    }

    /** Every kill was followed by a restart. */
    void print(List<Posted> posted, long tableRows) {
      int restarts = behind.size();
      long distinct = posted.size();
      System.out.printf(
          Locale.ROOT,
          "%s streaming crash loop (seed %d): %d kills, %d restarts, %d records posted, all in the tables;"
              + " %.0f records at or above the committed offsets per kill (mean), %d rows written twice"
              + " (%.1f per restart)%n",
          runner, seed, behind.size(), restarts, distinct,
          behind.stream().mapToLong(Long::longValue).average().orElse(0), tableRows - distinct,
          (tableRows - distinct) / (double) restarts);
    }
  }
}
