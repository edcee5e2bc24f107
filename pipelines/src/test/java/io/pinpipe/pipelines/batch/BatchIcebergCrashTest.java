package io.pinpipe.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.pipelines.ChildJob;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.iceberg.BatchTables;
import io.pinpipe.pipelines.iceberg.CommitTables;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.pipelines.output.OutputFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code batch} with its default Iceberg tables killed and rerun on the same {@code --date}
 * (docs/iceberg.md#what-a-failure-leaves): the commit step commits the fifteen tables one after
 * the other, so a kill leaves the tables committed before it with the killed run's day and the
 * others as they were; a rerun of the day makes them all the rerun's. The job runs in a child JVM
 * ({@link BatchCrashTest}'s scaffolding) and halts at the {@link CrashPoint}s of the commit step
 * (after ten tables, after all fifteen before the run's folder; with {@code
 * -Dpinpipe.crashAllPoints=true} also after the first), then is killed with
 * SIGKILL at seeded random times; runs alternate between two inputs of one day, so a table's rows
 * tell which run committed it. After each crash, per table: its current snapshot holds exactly the
 * rows a clean run of one of the two inputs commits into a warehouse of its own (compared row for
 * row, every column and {@code ingestion_date}: a day held twice would show its rows twice); the
 * tables the killed run committed are a prefix of the commit order, each with one snapshot more
 * carrying the run's id (one id, new), the others unchanged; every snapshot carries a run id. A
 * complete rerun leaves every table with its input's rows, and its commit step run again with its
 * run id (as a retried step) commits nothing and adds no snapshot.
 *
 * <p>A child run costs a JVM start and a small pipeline (about 25 s of wall time on a loaded
 * machine); CI halts at the two points and kills at {@code pinpipe.crashIterations} (2) random
 * times; bench/batch-crash-soak.sh --tables=iceberg at every point and more ({@code -Dpinpipe.crashSeed=S}).
 */
public class BatchIcebergCrashTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String DAY = "2026-11-23";
  private static final int TABLES = BatchTables.tableNames().size();
  private static final int ITERATIONS = Integer.getInteger("pinpipe.crashIterations", 2);
  private static final long SEED = Long.getLong("pinpipe.crashSeed", 22);
  private static final boolean ALL_POINTS = Boolean.getBoolean("pinpipe.crashAllPoints");
  /** The points, with how many tables a run halted there has committed. */
  private static final Map<String, Integer> POINTS = new LinkedHashMap<>();

  static {
    if (ALL_POINTS) {
      POINTS.put(CommitTables.BETWEEN_TABLES + "#1", 1); // pin only
    }
    POINTS.put(CommitTables.BETWEEN_TABLES + "#10", 10); // the kinds, their dead letters, four results
    POINTS.put(CommitTables.COMMITTED, TABLES); // every table, not the run's folder
  }

  private static Path inputA;
  private static Path inputB;
  /** Per input, each table's rows as a clean run into a warehouse of its own commits them. */
  private static Map<Path, Map<String, List<String>>> expected = new LinkedHashMap<>();

  @BeforeClass
  public static void expectedTables() throws Exception {
    inputA = archive("a", 3);
    inputB = archive("b", 5);
    for (Path input : List.of(inputA, inputB)) {
      Path clean = TMP.newFolder("clean-" + input.getFileName()).toPath();
      assertEquals(CommandLine.OK, BatchPipeline.run("--input=" + input, "--output=" + clean, "--date=" + DAY));
      Map<String, List<String>> rows = new LinkedHashMap<>();
      Catalog catalog = catalog(clean);
      try {
        for (String name : BatchTables.tableNames()) {
          rows.put(name, rows(catalog.loadTable(BatchTables.identifier(name))));
        }
      } finally {
        IcebergCatalog.close(catalog);
      }
      expected.put(input, rows);
    }
    assertFalse(expected.get(inputA).equals(expected.get(inputB)));
    assertFalse("a bad line makes dead letters", expected.get(inputA).get("pin_dead_letters").isEmpty());
  }

  /** A small archive of {@code posts} posts in {@code dt=DAY}, different per name, with a bad pin line. */
  private static Path archive(String name, int posts) throws IOException {
    return new ArchiveFixture(TMP.newFolder("archive-" + name).toPath(), DAY)
        .posts(name, posts, "{\"index\": not json " + name)
        .root();
  }

  @Test
  public void killedBetweenOrDuringItsCommitsEveryTableHoldsOneRunsDayAndARerunMakesThemAllTheRerunsOnce() throws Exception {
    Path out = TMP.getRoot().toPath().resolve("out");
    Map<String, Path> holds = new LinkedHashMap<>(); // per table, the input its current snapshot holds
    Set<String> runIds = new HashSet<>();
    int run = 0;
    long fullRunMillis = 0;

    for (Map.Entry<String, Integer> point : POINTS.entrySet()) {
      Path input = run++ % 2 == 0 ? inputB : inputA;
      Map<String, Long> before = snapshots(out);
      long started = System.nanoTime();
      ChildJob.Ended crash = runBatch(input, out, point.getKey(), -1);
      fullRunMillis = Math.max(fullRunMillis, (System.nanoTime() - started) / 1_000_000);
      assertEquals(crash.stderr, CrashPoint.STATUS, crash.status);
      assertThat(crash.stderr, containsString("pinpipe.crashAt: halting at " + point.getKey()));
      int committed = assertTablesAfter(out, before, input, holds, runIds, "halted at " + point.getKey());
      assertEquals("tables committed before " + point.getKey(), (int) point.getValue(), committed);
    }

    Random random = new Random(SEED);
    for (int i = 0; i < ITERATIONS; i++) {
      Path input = run++ % 2 == 0 ? inputB : inputA;
      Map<String, Long> before = snapshots(out);
      long delay = (long) (random.nextDouble() * fullRunMillis);
      ChildJob.Ended crash = runBatch(input, out, null, delay);
      assertTrue(crash.stderr, crash.status == CommandLine.OK || crash.killed);
      String when = crash.killed ? "killed after " + delay + " ms" : "ended before its kill at " + delay + " ms";
      int committed = assertTablesAfter(out, before, input, holds, runIds, when);
      if (!crash.killed) {
        assertEquals(when, TABLES, committed);
      }
    }

    // A complete rerun of the day: every table the rerun's input's rows, once.
    Path input = run % 2 == 0 ? inputB : inputA;
    Map<String, Long> before = snapshots(out);
    assertEquals(CommandLine.OK, BatchPipeline.run("--input=" + input, "--output=" + out, "--overwrite", "--date=" + DAY));
    assertEquals(TABLES, assertTablesAfter(out, before, input, holds, runIds, "a complete rerun"));
    String runId =
        new ObjectMapper().readTree(OutputFiles.committedRun(out).resolve("summary.json").toFile()).path("iceberg").path("run_id").asText();
    Map<String, Long> rerun = snapshots(out);
    Catalog catalog = catalog(out);
    try {
      for (String name : BatchTables.tableNames()) {
        assertEquals(name, runId, catalog.loadTable(BatchTables.identifier(name)).currentSnapshot().summary().get(BatchTables.RUN_ID));
      }
    } finally {
      IcebergCatalog.close(catalog);
    }

    // The commit step retried with the rerun's id (a worker lost after its commit): nothing more.
    BatchTables retried = new BatchTables(IcebergCatalog.hadoop(out.resolve("warehouse").toString()), List.of(DAY), runId, "retried");
    Pipeline p = Pipeline.create();
    PAssert.that(p.apply("NoNotes", Create.empty(ByteArrayCoder.of())).apply("CommitIcebergTables", new CommitTables(retried)))
        .satisfies(
            lines -> {
              int n = 0;
              for (String line : lines) {
                assertTrue(line, line.endsWith(" already committed"));
                n++;
              }
              assertEquals(TABLES, n);
              return null;
            });
    p.run().waitUntilFinish();
    assertEquals("no snapshot added by the retried commit", rerun, snapshots(out));
    Catalog after = catalog(out);
    try {
      for (String name : BatchTables.tableNames()) {
        assertEquals(name, expected.get(input).get(name), rows(after.loadTable(BatchTables.identifier(name))));
      }
    } finally {
      IcebergCatalog.close(after);
    }
  }

  /**
   * Checks the tables after a run of {@code input} ended (halted, killed, or done) and returns how
   * many it committed: those a prefix of the commit order, each one snapshot more with the run's one
   * new id and {@code input}'s rows; the others as {@code before}, with the rows they held.
   */
  private static int assertTablesAfter(
      Path out, Map<String, Long> before, Path input, Map<String, Path> holds, Set<String> runIds, String when)
      throws Exception {
    Catalog catalog = catalog(out);
    try {
      int committed = 0;
      String runId = null;
      for (String name : BatchTables.tableNames()) {
        if (!catalog.tableExists(BatchTables.identifier(name))) {
          // Killed before the tables were created: nothing can be committed after.
          assertEquals(when + ": " + name + " missing after a committed table", 0, committed);
          assertTrue(when, before.isEmpty());
          continue;
        }
        Table table = catalog.loadTable(BatchTables.identifier(name));
        Snapshot current = table.currentSnapshot();
        Long previous = before.get(name);
        boolean changed = current != null && (previous == null || current.snapshotId() != previous);
        if (changed) {
          assertEquals(when + ": " + name + " committed after a table that was not", committed, BatchTables.tableNames().indexOf(name));
          committed++;
          assertEquals(when + ": " + name + " one snapshot more", previous == null ? null : previous, current.parentId());
          String id = current.summary().get(BatchTables.RUN_ID);
          assertNotNull(when + ": " + name + " run id", id);
          if (runId == null) {
            runId = id;
            assertTrue(when + ": a new run id " + id, runIds.add(id));
          }
          assertEquals(when + ": " + name + " the run's id", runId, id);
          holds.put(name, input);
        }
        for (Snapshot s : table.snapshots()) {
          assertNotNull(when + ": " + name + " snapshot " + s.snapshotId() + " has a run id", s.summary().get(BatchTables.RUN_ID));
        }
        List<String> rows = rows(table);
        Path held = holds.get(name);
        List<String> wanted = held == null ? List.of() : expected.get(held).get(name);
        assertEquals(when + ": " + name + " holds " + (held == null ? "nothing" : held.getFileName()), wanted, rows);
      }
      System.out.println("batch iceberg crash: " + when + ": " + committed + " of " + TABLES + " tables committed");
      return committed;
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  /** Each existing table's current snapshot id (tables without a snapshot left out). */
  private static Map<String, Long> snapshots(Path out) {
    Map<String, Long> ids = new LinkedHashMap<>();
    if (!out.resolve("warehouse").toFile().isDirectory()) {
      return ids;
    }
    Catalog catalog = catalog(out);
    try {
      for (String name : BatchTables.tableNames()) {
        if (catalog.tableExists(BatchTables.identifier(name))) {
          Snapshot s = catalog.loadTable(BatchTables.identifier(name)).currentSnapshot();
          if (s != null) {
            ids.put(name, s.snapshotId());
          }
        }
      }
    } finally {
      IcebergCatalog.close(catalog);
    }
    return ids;
  }

  /** A table's current rows, every column and {@code ingestion_date}, as text, sorted. */
  private static List<String> rows(Table table) throws IOException {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < r.size(); i++) {
          s.append(i == 0 ? "" : "|").append(r.get(i));
        }
        rows.add(s.toString());
      }
    }
    Collections.sort(rows);
    return rows;
  }

  private static Catalog catalog(Path output) {
    return IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
  }

  /** {@code batch --overwrite --date} (Iceberg, the default) in a child JVM, halted or killed. */
  private static ChildJob.Ended runBatch(Path input, Path out, String point, long killAfterMillis) throws Exception {
    return ChildJob.run(
        TMP.newFile(), point, killAfterMillis, List.of(), "batch", "--input=" + input, "--output=" + out, "--overwrite", "--date=" + DAY);
  }
}
