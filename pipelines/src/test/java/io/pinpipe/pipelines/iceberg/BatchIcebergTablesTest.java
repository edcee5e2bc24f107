package io.pinpipe.pipelines.iceberg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.archive.GenerationProgress;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.batch.ParquetTable;
import io.pinpipe.contract.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
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
 * {@code batch --tableFormat=iceberg} on a generated archive of one ingestion day, against the same
 * day run with the plain Parquet tables: Iceberg's generic reader and Spark 3.5 with Iceberg's
 * runtime read the tables back with the summary's cleaned counts and the Parquet run's rows; a
 * second run of the day replaces the day in one more snapshot with the same rows; and the commit
 * of a run that has committed already commits nothing (a retried commit step).
 */
public class BatchIcebergTablesTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static final String DAY = "2026-11-23";
  private static final int EVENTS = 1_500;

  private static Path out;
  private static Path warehouse;
  private static JsonNode summary;
  private static final Map<RecordKind, List<String>> PARQUET_ROWS = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, List<String>> FIRST_ROWS = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, Snapshot> FIRST = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, Integer> SNAPSHOTS_AFTER_FIRST = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, List<String>> FIRST_FILES = new EnumMap<>(RecordKind.class);

  @BeforeClass
  public static void runParquetThenIcebergTwice() throws Exception {
    Path archive = tmp.newFolder("archive").toPath();
    ArchiveWriter.generate(
        archive, "pinterest", EVENTS, 23, GeneratorSettings.defaults().withDuplicateRate(0.05), 2, 400, GenerationProgress.NONE);
    IcebergFixtures.intoDayFolders(archive, DAY);

    Path parquetOut = tmp.getRoot().toPath().resolve("parquet-out");
    assertEquals(CommandLine.OK, BatchPipeline.run("--input=" + archive, "--output=" + parquetOut, "--date=" + DAY, "--tableFormat=parquet", "--quiet"));
    for (RecordKind kind : RecordKind.values()) {
      List<String> rows = new ArrayList<>();
      for (GenericRecord r : ParquetTable.read(parquetOut.resolve("tables/" + kind.id()))) {
        rows.add(RowText.of(kind, i -> r.get(i)));
      }
      PARQUET_ROWS.put(kind, sorted(rows));
    }

    out = tmp.getRoot().toPath().resolve("iceberg-out");
    warehouse = out.resolve("warehouse");
    String[] args = {"--input=" + archive, "--output=" + out, "--date=" + DAY, "--tableFormat=iceberg", "--quiet"};
    assertEquals(CommandLine.OK, BatchPipeline.run(args));
    summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    for (RecordKind kind : RecordKind.values()) {
      Table table = table(kind);
      FIRST.put(kind, table.currentSnapshot());
      SNAPSHOTS_AFTER_FIRST.put(kind, IcebergFixtures.count(table.snapshots()));
      FIRST_ROWS.put(kind, genericRows(table));
      List<String> files = new ArrayList<>();
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        tasks.forEach(t -> files.add(t.file().path().toString()));
      }
      FIRST_FILES.put(kind, files);
    }

    // The next day's Airflow retry, or a rerun after a fix: the same day again.
    String[] again = new String[args.length + 1];
    System.arraycopy(args, 0, again, 0, args.length);
    again[args.length] = "--overwrite";
    assertEquals(CommandLine.OK, BatchPipeline.run(again));
  }

  private static Table table(RecordKind kind) {
    return new BatchTables(warehouse.toString(), DAY, "reader", "reader").catalog().loadTable(BatchTables.identifier(kind));
  }

  /** The table's current rows through Iceberg's generic reader; each row's ingestion_date is the day. */
  private static List<String> genericRows(Table table) throws Exception {
    RecordKind kind = RecordKind.fromId(table.name().substring(table.name().lastIndexOf('.') + 1));
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        assertEquals(LocalDate.parse(DAY), r.getField(BatchTables.PARTITION_COLUMN));
        rows.add(RowText.of(kind, r::get));
      }
    }
    return sorted(rows);
  }

  private static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    java.util.Collections.sort(copy);
    return copy;
  }

  @Test
  public void theGenericReaderReadsTheSummarysCountsAndTheParquetRunsRows() {
    for (RecordKind kind : RecordKind.values()) {
      long cleaned = summary.path("kinds").path(kind.id()).path("cleaned").asLong();
      assertTrue(kind + " has rows", cleaned > EVENTS / 2);
      assertEquals(kind.id(), cleaned, FIRST_ROWS.get(kind).size());
      assertEquals(kind.id(), PARQUET_ROWS.get(kind), FIRST_ROWS.get(kind));
      // One commit, by the run, with the day's files and rows in its summary.
      Snapshot first = FIRST.get(kind);
      assertEquals(1, (int) SNAPSHOTS_AFTER_FIRST.get(kind));
      assertEquals(String.valueOf(cleaned), first.summary().get("added-records"));
      assertEquals(DAY, first.summary().get(BatchTables.INGESTION_DATE));
      assertTrue(first.summary().containsKey(BatchTables.RUN_ID));
    }
  }

  @Test
  public void eachDeadLetterTableHasTheDeadLettersFieldsButItsKindThenTheDay() {
    // DEAD_LETTER_COLUMNS is derived from DeadLetter's schema: the tables' columns must not move.
    Catalog catalog = new BatchTables(warehouse.toString(), DAY, "reader", "reader").catalog();
    for (RecordKind kind : RecordKind.values()) {
      Table table = catalog.loadTable(BatchTables.identifier(BatchTables.deadLetterTable(kind)));
      assertEquals(
          kind.id(),
          "origin string required, reason string required, payload string optional,"
              + " payload_base64 string optional, ingestion_date date required",
          table.schema().columns().stream()
              .map(c -> c.name() + " " + c.type() + (c.isOptional() ? " optional" : " required"))
              .collect(Collectors.joining(", ")));
    }
  }

  @Test
  public void aSecondRunOfTheDayReplacesItInOneMoreSnapshotWithTheSameRows() throws Exception {
    for (RecordKind kind : RecordKind.values()) {
      Table table = table(kind);
      assertEquals(SNAPSHOTS_AFTER_FIRST.get(kind) + 1, IcebergFixtures.count(table.snapshots()));
      Snapshot second = table.currentSnapshot();
      assertEquals(FIRST.get(kind).snapshotId(), (long) second.parentId());
      assertNotEquals(FIRST.get(kind).summary().get(BatchTables.RUN_ID), second.summary().get(BatchTables.RUN_ID));
      assertEquals(FIRST.get(kind).summary().get("added-records"), second.summary().get("deleted-records"));
      assertEquals(kind.id(), FIRST_ROWS.get(kind), genericRows(table));
      // The first run's files are the first snapshot's still: the output's own code left them.
      for (String file : FIRST_FILES.get(kind)) {
        assertTrue(file, Files.isRegularFile(Path.of(java.net.URI.create(file.startsWith("/") ? "file:" + file : file))));
      }
    }
  }

  @Test
  public void aRetriedCommitOfARunThatCommittedCommitsNothing() {
    for (RecordKind kind : RecordKind.values()) {
      Table table = table(kind);
      Snapshot current = table.currentSnapshot();
      int before = IcebergFixtures.count(table.snapshots());
      List<DataFile> files = new ArrayList<>();
      current.addedDataFiles(table.io()).forEach(files::add);
      assertFalse(files.isEmpty());
      String runId = current.summary().get(BatchTables.RUN_ID);
      TableCommit.Outcome outcome = TableCommit.replaceDay(table, DAY, files, runId, "retried");
      assertFalse(outcome.committedNow);
      assertEquals(current.snapshotId(), outcome.snapshotId);
      table.refresh();
      assertEquals(before, IcebergFixtures.count(table.snapshots()));
      assertEquals(current.snapshotId(), table.currentSnapshot().snapshotId());
    }
  }

  /**
   * The commit step itself, run twice with one run id over a warehouse of its own: the second run
   * is the step retried, and commits nothing. The notes name pin's files only, so geo and user get
   * the day emptied, which a rerun of a day with no clean rows of a kind must do.
   */
  @Test
  public void theCommitStepRetriedWithItsRunsIdCommitsNothingAndEveryTableIsCommitted() throws Exception {
    BatchTables fresh = new BatchTables(tmp.newFolder("commit-step-warehouse").toString(), DAY, "run-a", "runs/run-a");
    fresh.createOrCheck();
    List<byte[]> notes = new ArrayList<>();
    Table pin = table(RecordKind.PIN);
    pin.currentSnapshot().addedDataFiles(pin.io()).forEach(f -> notes.add(new WrittenFile(RecordKind.PIN, f).encode()));
    long pinRows = summary.path("kinds").path("pin").path("cleaned").asLong();

    Map<RecordKind, Long> committed = new EnumMap<>(RecordKind.class);
    for (int attempt = 0; attempt < 2; attempt++) {
      org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create();
      p.apply("Notes", org.apache.beam.sdk.transforms.Create.of(notes).withCoder(org.apache.beam.sdk.coders.ByteArrayCoder.of()))
          .apply("CommitIcebergTables", new CommitTables(fresh));
      p.run().waitUntilFinish();
      org.apache.iceberg.catalog.Catalog catalog = fresh.catalog();
      for (RecordKind kind : RecordKind.values()) {
        Table table = catalog.loadTable(BatchTables.identifier(kind));
        assertEquals(kind + " after attempt " + attempt, 1, IcebergFixtures.count(table.snapshots()));
        Snapshot only = table.currentSnapshot();
        assertEquals("run-a", only.summary().get(BatchTables.RUN_ID));
        if (attempt == 0) {
          committed.put(kind, only.snapshotId());
        } else {
          assertEquals(committed.get(kind), (Long) only.snapshotId());
        }
        long rows = 0;
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
          for (Record r : records) {
            rows++;
          }
        }
        assertEquals(kind.id(), kind == RecordKind.PIN ? pinRows : 0L, rows);
      }
    }
  }

  /**
   * A data file of a day the run did not list (a dt= folder that appeared while the run read the
   * archive) stops the commit step before any table is committed, naming the day.
   */
  @Test
  public void aDataFileOfADayTheRunDidNotListCommitsNoTable() throws Exception {
    String otherDay = LocalDate.parse(DAY).plusDays(1).toString();
    BatchTables fresh = new BatchTables(tmp.newFolder("unlisted-day-warehouse").toString(), otherDay, "run-b", "runs/run-b");
    fresh.createOrCheck();
    List<byte[]> notes = new ArrayList<>();
    Table pin = table(RecordKind.PIN);
    pin.currentSnapshot().addedDataFiles(pin.io()).forEach(f -> notes.add(new WrittenFile(RecordKind.PIN, f).encode()));

    org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create();
    p.apply("Notes", org.apache.beam.sdk.transforms.Create.of(notes).withCoder(org.apache.beam.sdk.coders.ByteArrayCoder.of()))
        .apply("CommitIcebergTables", new CommitTables(fresh));
    Exception failure = org.junit.Assert.assertThrows(Exception.class, () -> p.run().waitUntilFinish());
    String message = String.valueOf(failure.getMessage()) + " " + String.valueOf(failure.getCause());
    org.junit.Assert.assertTrue(message, message.contains("is of day " + DAY + ", which is not among the run's days [" + otherDay + "]"));
    org.apache.iceberg.catalog.Catalog catalog = fresh.catalog();
    for (String name : BatchTables.tableNames()) {
      Table table = catalog.loadTable(BatchTables.identifier(name));
      assertEquals(name, 0, IcebergFixtures.count(table.snapshots()));
    }
  }

  @Test
  public void sparkWithIcebergsRuntimeReadsTheSameRows() throws Exception {
    Path seen = tmp.getRoot().toPath().resolve("spark-saw.txt");
    Path log = tmp.getRoot().toPath().resolve("spark.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    // Spark's Java 17 flags, as this JVM has them.
    for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-cp", sparkClassPath(), SparkReadsIcebergTables.class.getName(), warehouse.toString(), seen.toString()));
    Process spark = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!spark.waitFor(300, java.util.concurrent.TimeUnit.SECONDS)) {
      spark.destroyForcibly();
    }
    assertEquals(Files.readString(log), 0, spark.exitValue());
    Map<String, List<String>> rows = new java.util.TreeMap<>();
    Map<String, String> snapshots = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(seen)) {
      String[] parts = line.split(" ", 4);
      if (parts[0].equals("row")) {
        assertEquals(line, DAY, parts[2]);
        rows.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(parts[3]);
      } else {
        snapshots.put(parts[1], parts[2]);
      }
    }
    for (RecordKind kind : RecordKind.values()) {
      List<String> texts = rows.getOrDefault(kind.id(), List.of());
      assertEquals(summary.path("kinds").path(kind.id()).path("cleaned").asLong(), texts.size());
      assertEquals(kind.id(), PARQUET_ROWS.get(kind), sorted(texts));
      // Two runs of the day: two snapshots in Spark's view of the table too.
      assertEquals("2", snapshots.get(kind.id()));
    }
  }

  /**
   * The tests' class path without Iceberg's own jars: Spark's Iceberg runtime holds those classes,
   * built against its shaded Parquet.
   */
  static String sparkClassPath() {
    List<String> kept = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (!(name.startsWith("iceberg-") && !name.startsWith("iceberg-spark-runtime"))) {
        kept.add(entry);
      }
    }
    return String.join(java.io.File.pathSeparator, kept);
  }
}
