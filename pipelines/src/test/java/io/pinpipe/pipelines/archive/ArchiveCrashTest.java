package io.pinpipe.pipelines.archive;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.PipelinesMain;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.kafka.ArchiveContents;
import io.pinpipe.pipelines.kafka.KafkaFixture.Sent;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code archive} killed as {@code kill -9} would, in a child JVM, at each named point of a run
 * ({@link CrashPoint}) and at seeded random times, with more events posted and {@code
 * --maxRecordsPerFile} changed between runs: after each kill no record is in two files, and after a
 * last complete run every (topic, partition, offset) is in exactly one line and one range record.
 *
 * <p>The random loop runs {@code pinpipe.archiveCrash.iterations} times (3 by default; {@code
 * bench/archive-crash-soak.sh} runs it longer) from seed {@code pinpipe.archiveCrash.seed}.
 */
public class ArchiveCrashTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final int PARTITIONS = 2;

  /** A finished child run: its exit status and what it printed. */
  private record Child(int status, String stdout, String stderr, boolean killed, double seconds) {}

  @Test
  public void killedAtEachNamedPointThenRerunArchivesEveryOffsetOnce() throws Exception {
    String prefix = "crashpoints";
    KAFKA.createTopics(prefix, PARTITIONS);
    Path root = tmp.newFolder("archive").toPath();
    PostGenerator generator = new PostGenerator(41);
    List<Sent> sent = new ArrayList<>(KAFKA.send(prefix, posts(generator, 2_000)));

    // The case first: killed once its first chunk was final, at 500 records a file.
    record Step(String point, long maxRecordsPerFile) {}
    List<Step> steps = List.of(
        new Step(WriteChunks.RANGE_RECORDED, 500),
        new Step(WriteChunks.DATA_WRITTEN, 300),
        new Step(WriteChunks.DATA_RENAMED + "#2", 700),
        new Step(ArchivePipeline.BEFORE_GROUP_COMMIT, 100_000),
        new Step(ArchivePipeline.AFTER_GROUP_COMMIT, 250));
    for (Step step : steps) {
      Child child = archive(prefix, root, step.maxRecordsPerFile(), Optional.of(step.point()), Optional.empty());
      assertEquals(child.stderr(), CrashPoint.STATUS, child.status());
      assertTrue(child.stderr(), child.stderr().contains("pinpipe.crashAt: halting at " + step.point()));
      assertStateAt(step.point(), prefix, root);
      ArchiveExactlyOnceTest.assertAtMostOnce(sent, root);
      sent.addAll(KAFKA.send(prefix, posts(generator, 300)));
    }

    Child last = archive(prefix, root, 100_000, Optional.empty(), Optional.empty());
    assertEquals(last.stderr(), 0, last.status());
    ArchiveExactlyOnceTest.assertExactlyOnce(sent, root, 100_000);
    assertEquals("no dead letters", List.of(), ArchiveContents.files(root, "dead-letter"));
    assertGroupFollowsTheArchive(prefix, sent);
  }

  /** What the archive holds right after a kill at {@code point}: proof the point was where it says. */
  private static void assertStateAt(String point, String prefix, Path root) throws Exception {
    List<Path> data = ArchiveContents.files(root, "topics");
    Set<String> recorded = new HashSet<>();
    for (Path f : ArchiveContents.files(root, "ranges")) {
      recorded.add(f.getFileName().toString());
    }
    if (point.startsWith(WriteChunks.DATA_WRITTEN)) {
      assertTrue("a temporary data file: " + data, data.stream().anyMatch(f -> f.getFileName().toString().endsWith(".inprogress")));
    } else if (point.startsWith(WriteChunks.DATA_RENAMED)) {
      assertTrue(
          "a final data file without its range record: " + data,
          data.stream()
              .map(f -> f.getFileName().toString())
              .anyMatch(n -> !n.startsWith(".") && !recorded.contains(n)));
    } else if (point.startsWith(WriteChunks.RANGE_RECORDED)) {
      assertTrue("a range record", !recorded.isEmpty());
    }
    if (point.equals(ArchivePipeline.BEFORE_GROUP_COMMIT) || point.equals(ArchivePipeline.AFTER_GROUP_COMMIT)) {
      boolean committed = point.equals(ArchivePipeline.AFTER_GROUP_COMMIT);
      for (PartitionOffsets p : groupOffsets(prefix)) {
        assertEquals(p.toString(), committed, p.committed().equals(Optional.of(p.end())));
      }
    }
  }

  @Test
  public void killedAtSeededRandomTimesThenRerunArchivesEveryOffsetOnce() throws Exception {
    int iterations = Integer.getInteger("pinpipe.archiveCrash.iterations", 3);
    long seed = Long.getLong("pinpipe.archiveCrash.seed", 21);
    String prefix = "crashloop";
    KAFKA.createTopics(prefix, PARTITIONS);
    Path root = tmp.newFolder("archive").toPath();
    PostGenerator generator = new PostGenerator(seed);
    Random random = new Random(seed);
    long[] maxRecordsPerFile = {50, 333, 1_000, 100_000};
    long started = System.nanoTime();

    List<Sent> sent = new ArrayList<>(KAFKA.send(prefix, posts(generator, 1_000)));
    // A complete run first: how long one takes is the span the kills are drawn from (kept to the
    // last run that finished before its kill: the machine's speed changes).
    Child first = archive(prefix, root, 100_000, Optional.empty(), Optional.empty());
    assertEquals(first.stderr(), 0, first.status());
    long spanMillis = span(first);

    int killed = 0;
    for (int i = 0; i < iterations; i++) {
      sent.addAll(KAFKA.send(prefix, posts(generator, 200 + random.nextInt(800))));
      long max = maxRecordsPerFile[random.nextInt(maxRecordsPerFile.length)];
      long killAfter = random.nextInt((int) spanMillis);
      Child child = archive(prefix, root, max, Optional.empty(), Optional.of(killAfter));
      killed += child.killed() ? 1 : 0;
      System.out.printf(
          Locale.ROOT, "iteration %d: --maxRecordsPerFile=%d, kill after %d ms: %s%n",
          i + 1, max, killAfter, child.killed() ? "killed" : "finished first, status " + child.status());
      assertTrue(child.stderr(), child.killed() || child.status() == 0);
      ArchiveExactlyOnceTest.assertAtMostOnce(sent, root);
      if (!child.killed()) {
        spanMillis = span(child);
      }
    }

    Child last = archive(prefix, root, 100_000, Optional.empty(), Optional.empty());
    assertEquals(last.stderr(), 0, last.status());
    ArchiveExactlyOnceTest.assertExactlyOnce(sent, root, 100_000);
    assertGroupFollowsTheArchive(prefix, sent);
    int lines = ArchiveContents.lines(root).size();
    System.out.printf(
        Locale.ROOT,
        "archive crash loop (seed %d): %d iterations, %d killed mid-run, %d records sent, %d lines archived,"
            + " 0 duplicates, 0 missing, %.0f s%n",
        seed, iterations, killed, sent.size(), lines, (System.nanoTime() - started) / 1e9);
  }

  /** Kills are drawn from [0, 1.3 x a complete run's time): most land mid-run, some after it. */
  private static long span(Child complete) {
    return Math.max(1_000, Math.round(complete.seconds() * 1_300));
  }

  private static List<GeneratedPost> posts(PostGenerator generator, int count) {
    List<GeneratedPost> posts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      posts.add(generator.next());
    }
    return posts;
  }

  /**
   * Runs {@code archive} in a child JVM on the test classpath: halted at {@code crashAt}, or
   * killed with SIGKILL after {@code killAfterMillis} if it is still running then.
   */
  private Child archive(
      String prefix, Path root, long maxRecordsPerFile, Optional<String> crashAt, Optional<Long> killAfterMillis)
      throws Exception {
    File out = tmp.newFile();
    File err = tmp.newFile();
    List<String> command = new ArrayList<>();
    command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
    // A short job: the C1 compiler and the serial collector start faster and leave the 2 cores
    // to the broker and the job.
    command.addAll(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    crashAt.ifPresent(point -> command.add("-D" + CrashPoint.PROPERTY + "=" + point));
    command.addAll(List.of(
        "-cp", System.getProperty("java.class.path"), PipelinesMain.class.getName(), "archive",
        "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topicPrefix=" + prefix,
        "--output=" + root,
        "--groupId=" + prefix + "-archive",
        "--maxRecordsPerFile=" + maxRecordsPerFile));
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
    boolean killed = false;
    if (killAfterMillis.isPresent() && !process.waitFor(killAfterMillis.get(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly(); // SIGKILL
      killed = true;
    }
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("archive did not end within 180 s: " + Files.readString(err.toPath()));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Child(
        process.exitValue(),
        Files.readString(out.toPath(), StandardCharsets.UTF_8),
        Files.readString(err.toPath(), StandardCharsets.UTF_8),
        killed,
        seconds);
  }

  private static List<PartitionOffsets> groupOffsets(String prefix) {
    Map<String, Object> config = Map.of("bootstrap.servers", KAFKA.bootstrapServers());
    return KafkaOffsets.offsets(
        config, List.of(prefix + ".pin", prefix + ".geo", prefix + ".user"), StartPosition.earliest(),
        Optional.of(prefix + "-archive"));
  }

  /** After a complete run the group's offsets (monitoring) are the log's ends. */
  private static void assertGroupFollowsTheArchive(String prefix, List<Sent> sent) {
    for (PartitionOffsets p : groupOffsets(prefix)) {
      long end = sent.stream()
          .filter(s -> s.topic().equals(p.topic()) && s.partition() == p.partition())
          .mapToLong(s -> s.offset() + 1).max().orElse(0);
      assertEquals(p.toString(), end, p.end());
      assertEquals(p.toString(), Optional.of(end), p.committed());
    }
  }
}
