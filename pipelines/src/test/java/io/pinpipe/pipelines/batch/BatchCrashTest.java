package io.pinpipe.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.pipelines.ChildJob;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.output.OutputFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code batch --overwrite} killed at any instant leaves the previous complete output or the new
 * one, each with its {@code _SUCCESS}, never a mix (docs/design.md#outputs). The job runs in a
 * child JVM; it halts at each named {@link CrashPoint} (asserted reached), then at seeded random
 * times it is killed with SIGKILL. After each crash the output is checked whole: the run the manifest
 * names holds exactly the files its {@code _SUCCESS} lists, and they are, byte for byte (tables row
 * for row), one of the two expected outputs; the root's links show a complete run too. Runs alternate
 * between two inputs, so a mix would show. A last run leaves one run and nothing else.
 *
 * <p>Each child run costs about 20 s of CPU, so CI stops at the four points that leave different
 * states behind (a part-written run; a staged manifest; a new manifest with the old links; an old run
 * half deleted) and kills at {@code pinpipe.crashIterations} (3) random times; the soak,
 * bench/batch-crash-soak.sh, stops at every point ({@code -Dpinpipe.crashAllPoints=true}) and kills
 * at more random times ({@code -Dpinpipe.crashIterations=N -Dpinpipe.crashSeed=S}).
 */
public class BatchCrashTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  /** In the order a run reaches them; from "batch-committed" on the new run is the output. */
  private static final List<String> POINTS =
      List.of(
          "whole-file-written", // the pipeline has written some of its files
          "batch-files-written", // every file of the run, no _SUCCESS yet
          "batch-success-written", // the run's _SUCCESS, not committed
          "batch-commit-staged", // the new manifest written beside the old, not renamed
          "batch-committed", // the manifest names the new run; current still the old
          "batch-shown", // current points at the new run; the old one not yet deleted
          "batch-removing-previous"); // some of the old run's files deleted
  private static final Set<String> NEW_AFTER = Set.of("batch-committed", "batch-shown", "batch-removing-previous");
  private static final List<String> CI_POINTS =
      List.of("whole-file-written", "batch-commit-staged", "batch-committed", "batch-removing-previous");

  private static final int ITERATIONS = Integer.getInteger("pinpipe.crashIterations", 3);
  private static final long SEED = Long.getLong("pinpipe.crashSeed", 21);
  private static final boolean ALL_POINTS = Boolean.getBoolean("pinpipe.crashAllPoints");

  private static Path inputA;
  private static Path inputB;
  private static Map<String, String> expectedA;
  private static Map<String, String> expectedB;
  private static Path startingOutput;

  @BeforeClass
  public static void expectedOutputs() throws Exception {
    inputA = archive("a", 3);
    inputB = archive("b", 5);
    startingOutput = TMP.getRoot().toPath().resolve("expected-a");
    assertEquals(CommandLine.OK, BatchPipeline.run("--tableFormat=parquet", "--input=" + inputA, "--output=" + startingOutput));
    expectedA = content(OutputFiles.committedRun(startingOutput));
    Path b = TMP.getRoot().toPath().resolve("expected-b");
    assertEquals(CommandLine.OK, BatchPipeline.run("--tableFormat=parquet", "--input=" + inputB, "--output=" + b));
    expectedB = content(OutputFiles.committedRun(b));
    assertFalse(expectedA.equals(expectedB));
  }

  /** A small archive of {@code posts} posts, different per name. */
  private static Path archive(String name, int posts) throws IOException {
    return new ArchiveFixture(TMP.newFolder("archive-" + name).toPath()).posts(name, posts).root();
  }

  @Test
  public void killedAnywhereTheOutputIsTheOldRunOrTheNewWhole() throws Exception {
    Path out = TMP.getRoot().toPath().resolve("out");
    copyTree(startingOutput, out);
    Path committedInput = inputA;
    long fullRunMillis = 0;

    for (String point : ALL_POINTS ? POINTS : CI_POINTS) {
      Path next = committedInput.equals(inputA) ? inputB : inputA;
      long started = System.nanoTime();
      ChildJob.Ended crash = runBatch(next, out, point, -1);
      fullRunMillis = Math.max(fullRunMillis, (System.nanoTime() - started) / 1_000_000);
      assertEquals(crash.stderr, CrashPoint.STATUS, crash.status);
      assertThat(crash.stderr, containsString("pinpipe.crashAt: halting at " + point));
      Path expected = NEW_AFTER.contains(point) ? next : committedInput;
      assertEquals("after " + point, expected, assertWhole(out, point));
      report("halted at " + point, expected.equals(next));
      committedInput = expected;
    }

    Random random = new Random(SEED);
    for (int i = 0; i < ITERATIONS; i++) {
      Path next = committedInput.equals(inputA) ? inputB : inputA;
      long delay = (long) (random.nextDouble() * fullRunMillis);
      ChildJob.Ended crash = runBatch(next, out, null, delay);
      assertTrue(crash.stderr, crash.status == CommandLine.OK || crash.killed);
      String when = crash.killed ? "killed after " + delay + " ms" : "ended before its kill at " + delay + " ms";
      committedInput = assertWhole(out, when);
      if (!crash.killed) {
        assertEquals(next, committedInput);
      }
      report("random " + (i + 1) + "/" + ITERATIONS + ", " + when, committedInput.equals(next));
    }

    // A run that finishes puts everything right: one run, shown at the root, nothing left over.
    assertEquals(CommandLine.OK, BatchPipeline.run("--tableFormat=parquet", "--input=" + inputA, "--output=" + out, "--overwrite"));
    assertEquals(inputA, assertWhole(out, "a complete run"));
    String run = OutputFiles.committedRun(out).getFileName().toString();
    try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
      assertEquals(List.of(run), runs.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
    }
    for (String file : OutputFiles.snapshot(out).keySet()) {
      assertFalse(file, file.contains(".tmp") || file.contains(".temp-beam"));
    }
    try (Stream<Path> all = Files.walk(out)) {
      assertFalse(all.anyMatch(p -> p.getFileName().toString().startsWith(".temp-beam")));
    }
  }

  /**
   * Checks the output is one complete run and returns the input it is the output of: the manifest's
   * run holds exactly the files its _SUCCESS lists, with their sizes, and equals one expected output;
   * the root's {@code current} names a complete run (the new one, or just after the commit the old).
   */
  private static Path assertWhole(Path out, String when) throws Exception {
    Path run = OutputFiles.committedRun(out);
    JsonNode success = new ObjectMapper().readTree(run.resolve("_SUCCESS").toFile());
    Map<String, Long> listed = new TreeMap<>();
    success.path("files").fields().forEachRemaining(e -> listed.put(e.getKey(), e.getValue().asLong()));
    Map<String, Long> present = new TreeMap<>();
    for (Map.Entry<String, String> file : OutputFiles.snapshot(run).entrySet()) {
      if (!file.getKey().equals("_SUCCESS")) {
        present.put(file.getKey(), (long) file.getValue().length());
      }
    }
    assertEquals("the committed run's files after " + when, listed, present);
    Path input = inputOf(content(run), when);

    Path current = out.resolve(Files.readSymbolicLink(out.resolve("current")));
    assertTrue("current names a run with _SUCCESS after " + when, Files.exists(current.resolve("_SUCCESS")));
    inputOf(content(current), when);
    if (!when.equals("batch-committed")) {
      assertEquals("current after " + when, run.toRealPath(), current.toRealPath());
    }
    assertEquals(Files.readString(current.resolve("summary.json")), Files.readString(out.resolve("summary.json")));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    return input;
  }

  /** One line per crash, which the soak script sums up. */
  private static void report(String crash, boolean isNew) {
    System.out.println("batch crash: " + crash + ": the output is the " + (isNew ? "new" : "old") + " run, whole");
  }

  private static Path inputOf(Map<String, String> content, String when) {
    if (content.equals(expectedA)) {
      return inputA;
    }
    if (content.equals(expectedB)) {
      return inputB;
    }
    fail("after " + when + " the output is neither complete run: " + content.keySet());
    return null;
  }

  /**
   * What a run's folder holds, comparably: every file's bytes, except the report (which states the
   * time taken: only its presence) and the tables (part names carry a shard count: their rows).
   */
  private static Map<String, String> content(Path run) throws Exception {
    Map<String, String> content = new TreeMap<>();
    for (Map.Entry<String, String> file : OutputFiles.snapshot(run).entrySet()) {
      String name = file.getKey();
      if (name.startsWith("tables/") || name.equals("_SUCCESS")) {
        continue;
      }
      content.put(name, name.equals("report.html") ? "present" : file.getValue());
    }
    for (String kind : List.of("pin", "geo", "user")) {
      List<String> rows = new ArrayList<>();
      for (GenericRecord row : ParquetTable.read(run.resolve("tables/" + kind))) {
        rows.add(row.toString());
      }
      rows.sort(null);
      content.put("tables/" + kind, String.join("\n", rows));
    }
    return content;
  }

  /** {@code batch --overwrite} in a child JVM, halting at {@code point} or killed after {@code killAfterMillis}. */
  private static ChildJob.Ended runBatch(Path input, Path out, String point, long killAfterMillis) throws Exception {
    return ChildJob.run(
        TMP.newFile(), point, killAfterMillis, List.of(), "batch", "--input=" + input, "--output=" + out, "--overwrite", "--tableFormat=parquet");
  }

  /** Copies a folder, links as links. */
  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.createSymbolicLink(target, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
