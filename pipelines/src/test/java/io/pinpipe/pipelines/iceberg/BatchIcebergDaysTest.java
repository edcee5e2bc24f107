package io.pinpipe.pipelines.iceberg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
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
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.results.ResultCsv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
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
 * {@code batch --tableFormat=iceberg} over an archive of two {@code dt=} days, without {@code
 * --date}, and the same days run one by one with {@code --date}, with bad records planted in both
 * days: all fifteen tables (the kinds', their dead letters', the nine results') read back through
 * Iceberg's generic reader. Each day's rows are that day's plain Parquet run's tables, CSV results
 * and dead letters; the run without {@code --date} commits exactly what the two daily runs commit;
 * a rerun leaves the same rows; a retried commit step commits nothing to any table; the second
 * daily run adds its partition and leaves the first's; {@code summary.json} names every snapshot.
 */
public class BatchIcebergDaysTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static final String DAY1 = "2026-11-23";
  private static final String DAY2 = "2026-11-24";
  private static final int EVENTS = 600;

  private static Path archive;
  private static Path out;
  private static Path daily;
  /** After the run without --date, per table: rows, the snapshot, the snapshot count. */
  private static final Map<String, List<String>> BOTH_DAYS = new LinkedHashMap<>();
  private static final Map<String, Long> FIRST_SNAPSHOT = new LinkedHashMap<>();
  private static final Map<String, Integer> FIRST_COUNT = new LinkedHashMap<>();
  /** After the daily run of DAY1 only, per table: rows. */
  private static final Map<String, List<String>> DAY1_ONLY = new LinkedHashMap<>();
  private static final Map<String, Integer> DAY1_ONLY_COUNT = new LinkedHashMap<>();
  private static JsonNode firstSummary;
  private static JsonNode rerunSummary;

  @BeforeClass
  public static void runTwoDaysAtOnceAndOneByOne() throws Exception {
    archive = tmp.newFolder("archive").toPath();
    ArchiveWriter.generate(
        archive, "pinterest", EVENTS, 31, GeneratorSettings.defaults().withDuplicateRate(0.05), 2, 200, GenerationProgress.NONE);
    // Partition 0 arrived on DAY1, partition 1 on DAY2.
    try (Stream<Path> topics = Files.list(archive.resolve("topics"))) {
      for (Path topic : topics.collect(Collectors.toList())) {
        Files.move(topic.resolve("partition=0"), Files.createDirectories(topic.resolve("dt=" + DAY1)).resolve("partition=0"));
        Files.move(topic.resolve("partition=1"), Files.createDirectories(topic.resolve("dt=" + DAY2)).resolve("partition=1"));
      }
    }
    Files.writeString(badFile("pin", DAY1, 0), "not json\n{\"index\": 5\n");
    Files.writeString(badFile("geo", DAY2, 1), "[1, 2]\n");

    for (String day : List.of(DAY1, DAY2)) {
      assertEquals(CommandLine.OK, BatchPipeline.run("--input=" + archive, "--output=" + parquetOut(day), "--date=" + day, "--tableFormat=parquet", "--quiet"));
    }

    out = tmp.getRoot().toPath().resolve("iceberg-out");
    assertEquals(CommandLine.OK, BatchPipeline.run("--input=" + archive, "--output=" + out, "--tableFormat=iceberg", "--quiet"));
    firstSummary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertFalse(firstSummary.path("iceberg").isMissingNode());
    for (String name : BatchTables.tableNames()) {
      Table table = IcebergFixtures.batchTable(out, name);
      BOTH_DAYS.put(name, RowText.currentRowsOfAnyTable(table));
      FIRST_SNAPSHOT.put(name, table.currentSnapshot().snapshotId());
      FIRST_COUNT.put(name, IcebergFixtures.count(table.snapshots()));
    }
    // The same input again (an Airflow retry of the whole run): the tests read its tables now.
    assertEquals(
        CommandLine.OK, BatchPipeline.run("--input=" + archive, "--output=" + out, "--tableFormat=iceberg", "--quiet", "--overwrite"));
    rerunSummary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());

    daily = tmp.getRoot().toPath().resolve("daily-out");
    assertEquals(
        CommandLine.OK,
        BatchPipeline.run("--input=" + archive, "--output=" + daily, "--date=" + DAY1, "--tableFormat=iceberg", "--quiet"));
    for (String name : BatchTables.tableNames()) {
      Table table = IcebergFixtures.batchTable(daily, name);
      DAY1_ONLY.put(name, RowText.currentRowsOfAnyTable(table));
      DAY1_ONLY_COUNT.put(name, IcebergFixtures.count(table.snapshots()));
    }
    assertEquals(
        CommandLine.OK,
        BatchPipeline.run(
            "--input=" + archive, "--output=" + daily, "--date=" + DAY2, "--tableFormat=iceberg", "--quiet", "--overwrite"));
  }

  private static Path badFile(String kind, String day, int partition) throws Exception {
    Path folder = archive.resolve("topics/pinterest." + kind + "/dt=" + day + "/partition=" + partition);
    return Files.createDirectories(folder).resolve("pinterest." + kind + "+" + partition + "+bad.json");
  }

  private static Path parquetOut(String day) {
    return tmp.getRoot().toPath().resolve("parquet-" + day);
  }

  /** A table's rows of one day, without the day. */
  private static List<String> ofDay(List<String> rows, String day) {
    List<String> kept = new ArrayList<>();
    for (String row : rows) {
      if (row.endsWith("|" + day)) {
        kept.add(row.substring(0, row.length() - day.length() - 1));
      }
    }
    return kept;
  }

  private static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    Collections.sort(copy);
    return copy;
  }

  @Test
  public void eachDaysCleanRowsAreThatDaysParquetRunsRows() throws Exception {
    for (RecordKind kind : RecordKind.values()) {
      List<String> rows = BOTH_DAYS.get(kind.id());
      long total = 0;
      for (String day : List.of(DAY1, DAY2)) {
        List<String> parquet = new ArrayList<>();
        for (GenericRecord r : ParquetTable.read(parquetOut(day).resolve("tables/" + kind.id()))) {
          StringBuilder s = new StringBuilder(RowText.of(kind, i -> r.get(i)));
          parquet.add(s.toString());
        }
        assertTrue(kind + " " + day, parquet.size() > EVENTS / 4);
        assertEquals(kind + " " + day, sorted(parquet), ofDay(rows, day));
        JsonNode summary = new ObjectMapper().readTree(parquetOut(day).resolve("summary.json").toFile());
        assertEquals(summary.path("kinds").path(kind.id()).path("cleaned").asLong(), ofDay(rows, day).size());
        total += parquet.size();
      }
      assertEquals("no row outside the two days", total, rows.size());
    }
  }

  @Test
  public void eachDaysResultsAreThatDaysCsvs() throws Exception {
    for (QueryOutput output : QueryOutput.values()) {
      Table table = IcebergFixtures.batchTable(out, output.outputName());
      for (String day : List.of(DAY1, DAY2)) {
        List<String> fromTable = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
          for (Record r : records) {
            if (r.getField(BatchTables.PARTITION_COLUMN).toString().equals(day)) {
              List<String> fields = new ArrayList<>();
              for (int i = 0; i < r.size() - 1; i++) {
                fields.add(ResultCsv.field(r.get(i)));
              }
              fromTable.add(String.join(",", fields));
            }
          }
        }
        List<String> csv = Files.readAllLines(parquetOut(day).resolve("results/" + output.outputName() + ".csv"), StandardCharsets.UTF_8);
        csv = csv.subList(1, csv.size());
        assertFalse(output + " " + day, csv.isEmpty());
        assertEquals(output + " " + day, sorted(csv), sorted(fromTable));
      }
    }
  }

  @Test
  public void deadLetterRowsCarryTheirReasonOriginAndDay() throws Exception {
    String pinFile = archive + "/topics/pinterest.pin/dt=" + DAY1 + "/partition=0/pinterest.pin+0+bad.json";
    String geoFile = archive + "/topics/pinterest.geo/dt=" + DAY2 + "/partition=1/pinterest.geo+1+bad.json";
    // origin|reason|payload|payload_base64|ingestion_date, sorted.
    assertEquals(
        List.of(
            pinFile + ":1|malformed JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at column 4|not json|null|" + DAY1,
            pinFile + ":2|malformed JSON: Unexpected end-of-input: expected close marker for Object (start marker at [Source: UNKNOWN; line: 1, column: 1]) at column 12|{\"index\": 5|null|" + DAY1),
        BOTH_DAYS.get("pin_dead_letters"));
    assertEquals(List.of(geoFile + ":1|not a JSON object (found an array)|[1, 2]|null|" + DAY2), BOTH_DAYS.get("geo_dead_letters"));
    assertEquals(List.of(), BOTH_DAYS.get("user_dead_letters"));
    // The run's own dead-letter file holds the same dead letters.
    for (RecordKind kind : RecordKind.values()) {
      List<String> fromFile = new ArrayList<>();
      for (String line : Files.readAllLines(out.resolve("dead-letter/" + kind.id() + ".jsonl"))) {
        JsonNode d = new ObjectMapper().readTree(line);
        fromFile.add(d.path("origin").asText() + "|" + d.path("reason").asText() + "|" + d.path("payload").asText() + "|null|"
            + io.pinpipe.contract.ArchiveLayout.ingestionDay(d.path("origin").asText()));
      }
      assertEquals(kind.id(), sorted(fromFile), BOTH_DAYS.get(kind.id() + "_dead_letters"));
    }
  }

  @Test
  public void theRunWithoutADateCommitsWhatTheTwoDailyRunsCommit() throws Exception {
    for (String name : BatchTables.tableNames()) {
      assertEquals(name, BOTH_DAYS.get(name), RowText.currentRowsOfAnyTable(IcebergFixtures.batchTable(daily, name)));
      // One commit per table for both days, replacing both.
      Snapshot first = IcebergFixtures.batchTable(out, name).snapshot(FIRST_SNAPSHOT.get(name));
      assertEquals(name, 1, (int) FIRST_COUNT.get(name));
      assertEquals(name, DAY1 + "," + DAY2, first.summary().get(BatchTables.INGESTION_DATE));
    }
  }

  @Test
  public void aSecondDayAddsItsPartitionAndLeavesTheFirst() throws Exception {
    for (String name : BatchTables.tableNames()) {
      List<String> day1 = DAY1_ONLY.get(name);
      assertEquals(name, List.of(), ofDay(day1, DAY2));
      assertEquals(name, day1.size(), ofDay(day1, DAY1).size());
      assertEquals(1, (int) DAY1_ONLY_COUNT.get(name));
      Table table = IcebergFixtures.batchTable(daily, name);
      assertEquals(name, 2, IcebergFixtures.count(table.snapshots()));
      List<String> now = RowText.currentRowsOfAnyTable(table);
      assertEquals(name, ofDay(day1, DAY1), ofDay(now, DAY1));
      Snapshot second = table.currentSnapshot();
      assertEquals(name, DAY2, second.summary().get(BatchTables.INGESTION_DATE));
      assertEquals(name, "0", second.summary().getOrDefault("deleted-records", "0"));
      assertEquals(name, String.valueOf(ofDay(now, DAY2).size()), second.summary().getOrDefault("added-records", "0"));
    }
  }

  @Test
  public void summaryJsonAndTheReportNameEachTablesSnapshot() throws Exception {
    JsonNode iceberg = firstSummary.path("iceberg");
    assertEquals(List.of(DAY1, DAY2), List.of(iceberg.path("ingestion_dates").get(0).asText(), iceberg.path("ingestion_dates").get(1).asText()));
    assertEquals(BatchTables.tableNames().size(), iceberg.path("tables").size());
    for (String name : BatchTables.tableNames()) {
      JsonNode t = iceberg.path("tables").path("batch." + name);
      assertEquals(name, (long) FIRST_SNAPSHOT.get(name), t.path("snapshot_id").asLong());
      assertTrue(name, t.path("committed_by_this_attempt").asBoolean());
      assertEquals(name, iceberg.path("run_id").asText(), IcebergFixtures.batchTable(out, name).snapshot(FIRST_SNAPSHOT.get(name)).summary().get(BatchTables.RUN_ID));
    }
    // The report of the rerun, which the output shows now, lists the rerun's snapshots.
    String report = Files.readString(out.resolve("report.html"));
    for (String name : BatchTables.tableNames()) {
      String snapshot = rerunSummary.path("iceberg").path("tables").path("batch." + name).path("snapshot_id").asText();
      assertTrue(name, report.contains("batch." + name + " " + snapshot + (name.equals("median_followers_by_age_group_and_join_year") ? "</dd>" : ",")));
    }
  }

  /** An archive of one dt= day, without --date: the run of that day, as with --date. */
  @Test
  public void anArchiveOfOneDayWithoutADateIsThatDaysRun() throws Exception {
    Path oneDay = tmp.newFolder("one-day-archive").toPath();
    try (Stream<Path> files = Files.walk(archive)) {
      for (Path p : files.collect(Collectors.toList())) {
        String relative = archive.relativize(p).toString();
        if (Files.isRegularFile(p) && relative.contains("/dt=" + DAY1 + "/")) {
          Files.copy(p, Files.createDirectories(oneDay.resolve(relative).getParent()).resolve(p.getFileName()));
        }
      }
    }
    Path output = tmp.getRoot().toPath().resolve("one-day-out");
    assertEquals(CommandLine.OK, BatchPipeline.run("--input=" + oneDay, "--output=" + output, "--tableFormat=iceberg", "--quiet"));
    JsonNode summary = new ObjectMapper().readTree(output.resolve("summary.json").toFile());
    assertEquals(1, summary.path("iceberg").path("ingestion_dates").size());
    assertEquals(DAY1, summary.path("iceberg").path("ingestion_dates").get(0).asText());
    for (String name : BatchTables.tableNames()) {
      // The origins name the other archive's folder: compare dead letters without them.
      List<String> expected = DAY1_ONLY.get(name);
      List<String> actual = RowText.currentRowsOfAnyTable(IcebergFixtures.batchTable(output, name));
      if (name.endsWith(BatchTables.DEAD_LETTERS)) {
        expected = sorted(expected.stream().map(r -> r.replace(archive.toString(), "")).collect(Collectors.toList()));
        actual = sorted(actual.stream().map(r -> r.replace(oneDay.toString(), "")).collect(Collectors.toList()));
      }
      assertEquals(name, expected, actual);
    }
  }

  /**
   * A rerun of the same input leaves the same rows in every table (one snapshot more), and the
   * commit step run again with the rerun's id, as a retried step would, commits nothing to any.
   */
  @Test
  public void aRerunLeavesTheSameRowsAndARetriedCommitCommitsNothing() throws Exception {
    JsonNode summary = rerunSummary;
    String runId = summary.path("iceberg").path("run_id").asText();
    Map<String, Long> rerun = new LinkedHashMap<>();
    for (String name : BatchTables.tableNames()) {
      Table table = IcebergFixtures.batchTable(out, name);
      assertEquals(name, BOTH_DAYS.get(name), RowText.currentRowsOfAnyTable(table));
      assertEquals(name, 2, IcebergFixtures.count(table.snapshots()));
      assertEquals(name, (long) FIRST_SNAPSHOT.get(name), (long) table.currentSnapshot().parentId());
      assertEquals(name, table.currentSnapshot().snapshotId(), summary.path("iceberg").path("tables").path("batch." + name).path("snapshot_id").asLong());
      rerun.put(name, table.currentSnapshot().snapshotId());
    }

    BatchTables retried =
        new BatchTables(IcebergCatalog.hadoop(out.resolve("warehouse").toString()), List.of(DAY1, DAY2), runId, "retried");
    org.apache.beam.sdk.Pipeline p = org.apache.beam.sdk.Pipeline.create();
    int tables = BatchTables.tableNames().size();
    org.apache.beam.sdk.testing.PAssert.that(
            p.apply("NoNotes", org.apache.beam.sdk.transforms.Create.empty(org.apache.beam.sdk.coders.ByteArrayCoder.of()))
                .apply("CommitIcebergTables", new CommitTables(retried)))
        .satisfies(
            seen -> {
              int n = 0;
              for (String line : seen) {
                assertTrue(line, line.endsWith(" already committed"));
                n++;
              }
              assertEquals(tables, n);
              return null;
            });
    p.run().waitUntilFinish();
    Catalog catalog = retried.catalog();
    for (String name : BatchTables.tableNames()) {
      Table table = catalog.loadTable(BatchTables.identifier(name));
      assertEquals(name, 2, IcebergFixtures.count(table.snapshots()));
      assertEquals(name, (long) rerun.get(name), table.currentSnapshot().snapshotId());
      assertEquals(name, BOTH_DAYS.get(name), RowText.currentRowsOfAnyTable(table));
    }
  }
}
