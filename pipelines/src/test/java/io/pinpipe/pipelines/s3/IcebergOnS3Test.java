package io.pinpipe.pipelines.s3;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.archive.GenerationProgress;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserErrorOutput;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.iceberg.BatchTables;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.pipelines.iceberg.IcebergFixtures;
import io.pinpipe.pipelines.iceberg.IcebergMaintain;
import io.pinpipe.pipelines.iceberg.StreamTables;
import io.pinpipe.pipelines.iceberg.StreamingIcebergTablesTest;
import io.pinpipe.pipelines.iceberg.TableMaintenance;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.pipelines.output.OutputFiles;
import io.pinpipe.pipelines.streaming.StreamingPipeline;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code batch --tableFormat=iceberg} with its output on {@code s3://} (S3Mock as its own JVM): the
 * tables' files go to {@code <output>/warehouse} on S3 through Iceberg's S3FileIO, the catalog is
 * a JDBC catalog (PostgreSQL under {@code CI=true}, SQLite in the test's temporary folder elsewhere;
 * the test prints which), and the tables hold exactly the rows a local run with the Hadoop catalog
 * committed. Without {@code --catalogUri} an {@code s3://} output is a user error: a Hadoop
 * catalog's commit is a rename.
 *
 * <p>{@code streaming --tableFormat=iceberg} with its output on {@code s3://} too, from a real
 * Kafka broker (started for this class; it also watches that every service listens on loopback
 * only), into the same kind of catalog: a bounded run and a restart on more records.
 */
public class IcebergOnS3Test {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  /** For the streaming case; its loopback watch covers S3Mock and the catalog's clients too. */
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public final UserErrorOutput stderr = new UserErrorOutput();

  private static final String BUCKET = "lake";
  private static final String DAY = "2026-11-26";
  private static final int EVENTS = 300;

  private static LocalS3 s3;
  private static Path archive;
  private static String catalogUri;
  private static IcebergCatalog onS3;
  private static int status;

  @BeforeClass
  public static void runLocallyAndOnS3() throws Exception {
    s3 = LocalS3.start(TMP.newFolder("s3mock").toPath(), BUCKET);
    archive = TMP.newFolder("archive").toPath();
    ArchiveWriter.generate(
        archive, "pinterest", EVENTS, 37, GeneratorSettings.defaults().withDuplicateRate(0.05), 2, 100, GenerationProgress.NONE);
    IcebergFixtures.intoDayFolders(archive, DAY);

    catalogUri = IcebergFixtures.postgresqlOrSqlite(TMP.getRoot().toPath().resolve("catalog.db"));
    System.out.println("IcebergOnS3Test: the JDBC catalog is in " + IcebergCatalog.redacted(catalogUri));
    String name = IcebergFixtures.uniqueName();
    onS3 =
        IcebergCatalog.jdbc(
            name, catalogUri, "s3://" + BUCKET + "/out/warehouse", IcebergCatalog.s3FileIo(s3.endpoint(), s3.region(), true));
    status =
        BatchPipeline.run(
            "--input=" + archive, "--output=s3://" + BUCKET + "/out", "--date=" + DAY, "--tableFormat=iceberg", "--quiet",
            "--catalogUri=" + catalogUri, "--catalogName=" + name,
            "--endpoint=" + s3.endpoint(), "--awsRegion=" + s3.region(), "--s3PathStyleAccess=true");
  }

  @AfterClass
  public static void dropAndStop() {
    try {
      if (onS3 != null) {
        IcebergFixtures.dropBatchTables(onS3);
      }
    } finally {
      if (s3 != null) {
        s3.close();
      }
    }
  }

  @Test
  public void theTablesOnS3HoldTheRowsOfALocalRunInFilesUnderTheOutputsWarehouse() throws Exception {
    assertEquals(CommandLine.OK, status);
    Path local = TMP.getRoot().toPath().resolve("local-out");
    assertEquals(
        CommandLine.OK,
        BatchPipeline.run("--input=" + archive, "--output=" + local, "--date=" + DAY, "--tableFormat=iceberg", "--quiet"));
    Path fromS3 = OutputFiles.committedRun(s3.download(BUCKET, "out", TMP.newFolder("s3-out").toPath()));
    JsonNode summary = new ObjectMapper().readTree(fromS3.resolve("summary.json").toFile());
    Catalog hadoop = IcebergCatalog.hadoop(local.resolve("warehouse").toString()).open();
    Catalog catalog = onS3.open();
    try {
      for (RecordKind kind : RecordKind.values()) {
        Table table = catalog.loadTable(BatchTables.identifier(kind));
        List<String> rows = rows(table);
        assertEquals(kind.id(), summary.path("kinds").path(kind.id()).path("cleaned").asLong(), rows.size());
        assertEquals(kind.id(), rows(hadoop.loadTable(BatchTables.identifier(kind))), rows);
        // Every data file of the snapshot is an object under the output's warehouse.
        String prefix = "out/warehouse/batch/" + kind.id() + "/data/ingestion_date=" + DAY;
        List<String> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
          tasks.forEach(t -> files.add(t.file().path().toString()));
        }
        assertFalse(files.isEmpty());
        List<String> objectsThere = s3.list(BUCKET, prefix);
        for (String file : files) {
          assertTrue(file, file.startsWith("s3://" + BUCKET + "/" + prefix + "/"));
          assertTrue(file, objectsThere.contains(file.substring(("s3://" + BUCKET + "/" + prefix + "/").length())));
        }
        assertEquals(files.size(), objectsThere.size());
      }
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  @Test
  public void anS3OutputWithoutAJdbcCatalogIsAUserError() {
    int refused =
        BatchPipeline.run(
            "--input=" + archive, "--output=s3://" + BUCKET + "/other", "--date=" + DAY, "--tableFormat=iceberg",
            "--endpoint=" + s3.endpoint(), "--awsRegion=" + s3.region(), "--s3PathStyleAccess=true");
    stderr.assertUserError(
        refused,
        "error: Iceberg tables on s3:// (s3://" + BUCKET + "/other/warehouse) need a JDBC catalog: give --catalogUri=jdbc:... (docs/iceberg.md)");
  }

  @Test
  public void maintainCompactsExpiresAndRemovesOrphansOnS3() throws Exception {
    String name = IcebergFixtures.uniqueName();
    String warehouse = "s3://" + BUCKET + "/maint/warehouse";
    IcebergCatalog place = IcebergCatalog.jdbc(name, catalogUri, warehouse, IcebergCatalog.s3FileIo(s3.endpoint(), s3.region(), true));
    String[] s3Options = {"--endpoint=" + s3.endpoint(), "--awsRegion=" + s3.region(), "--s3PathStyleAccess=true"};
    Catalog catalog = null;
    try {
      assertEquals(
          CommandLine.OK,
          BatchPipeline.run(
              concat(
                  new String[] {
                    "--input=" + archive, "--output=s3://" + BUCKET + "/maint", "--date=" + DAY, "--tableFormat=iceberg",
                    "--quiet", "--catalogUri=" + catalogUri, "--catalogName=" + name
                  },
                  s3Options)));
      // Opened after the run: a SQLite connection keeps reading what it read first.
      catalog = place.open();
      Table pin = catalog.loadTable(BatchTables.identifier(RecordKind.PIN));
      List<String> rowsBefore = rows(pin);
      String day = "maint/warehouse/batch/pin/data/ingestion_date=" + DAY;
      assertTrue(s3.list(BUCKET, day).size() > 1);

      // Compaction and expiry through the command, as the DAG runs it; nothing is an hour old yet.
      assertEquals(
          CommandLine.OK,
          IcebergMaintain.run(
              concat(
                  new String[] {
                    "--warehouse=" + warehouse, "--catalogUri=" + catalogUri, "--catalogName=" + name,
                    "--compactDate=" + DAY, "--expireOlderThan=0s", "--orphanOlderThan=1h"
                  },
                  s3Options)));
      // A catalog opened anew: with SQLite, one opened before another writer's commit kept
      // reading the state before it (its refresh found the expired snapshot's deleted manifests).
      IcebergCatalog.close(catalog);
      catalog = place.open();
      pin = catalog.loadTable(BatchTables.identifier(RecordKind.PIN));
      assertEquals(1, IcebergFixtures.count(pin.snapshots()));
      assertEquals(rowsBefore, rows(pin));
      List<String> files = dataFiles(pin);
      assertEquals(1, files.size());
      // The small files the expired snapshot held are gone from the bucket, the compacted one is there.
      assertEquals(List.of(files.get(0).substring(("s3://" + BUCKET + "/" + day + "/").length())), s3.list(BUCKET, day));

      // An orphan (a failed run's file) goes; a file of another name and the table's own stay.
      s3.put(BUCKET, day + "/orphan.parquet", "not a parquet file");
      s3.put(BUCKET, day + "/notes.txt", "a user's file");
      List<String> removed = TableMaintenance.removeOrphans(pin, Instant.now().plus(Duration.ofMinutes(1)));
      assertEquals(List.of("s3://" + BUCKET + "/" + day + "/orphan.parquet"), removed);
      List<String> left = new ArrayList<>(List.of(files.get(0).substring(("s3://" + BUCKET + "/" + day + "/").length()), "notes.txt"));
      Collections.sort(left);
      assertEquals(left, s3.list(BUCKET, day));
      assertEquals(rowsBefore, rows(pin));
    } finally {
      if (catalog != null) {
        IcebergCatalog.close(catalog);
      }
      IcebergFixtures.dropBatchTables(place);
    }
  }

  @Test
  public void aStreamingS3OutputWithoutAJdbcCatalogIsAUserErrorThatWritesNothing() {
    int refused =
        StreamingPipeline.run(
            "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--output=s3://" + BUCKET + "/refused",
            "--tableFormat=iceberg", "--maxRecordsPerStream=1",
            "--endpoint=" + s3.endpoint(), "--awsRegion=" + s3.region(), "--s3PathStyleAccess=true");
    stderr.assertUserError(
        refused,
        "error: Iceberg tables on s3:// (s3://" + BUCKET + "/refused/warehouse) need a JDBC catalog: give --catalogUri=jdbc:... (docs/iceberg.md)");
    assertEquals(List.of(), s3.list(BUCKET, "refused"));
  }

  @Test
  public void streamingCommitsEveryRecordOnceToTablesOnS3AcrossARestart() throws Exception {
    String prefix = "ons3";
    KAFKA.createTopics(prefix, 2);
    String name = IcebergFixtures.uniqueName();
    String output = "s3://" + BUCKET + "/stream";
    IcebergCatalog place =
        IcebergCatalog.jdbc(name, catalogUri, output + "/warehouse", IcebergCatalog.s3FileIo(s3.endpoint(), s3.region(), true));
    PostGenerator generator = new PostGenerator(71);
    List<KafkaFixture.Sent> sent = new ArrayList<>();
    try {
      // One 10 s window of posts a run: the restart resumes from the positions the tables on S3 hold.
      for (int run = 1; run <= 2; run++) {
        List<KafkaFixture.Sent> posted =
            KAFKA.send(StreamingIcebergTablesTest.posts(prefix, generator, run - 1, 1, new TreeMap<>()));
        sent.addAll(posted);
        assertEquals(
            CommandLine.OK,
            StreamingPipeline.run(
                "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + prefix,
                "--groupId=" + prefix + "-streaming", "--output=" + output, "--tableFormat=iceberg", "--commitSeconds=1",
                "--windowSeconds=10", "--maxRecordsPerStream=" + StreamingIcebergTablesTest.perTopic(prefix, posted),
                "--quiet", "--catalogUri=" + catalogUri, "--catalogName=" + name,
                "--endpoint=" + s3.endpoint(), "--awsRegion=" + s3.region(), "--s3PathStyleAccess=true"));
        // Opened after the run: a SQLite connection keeps reading what it read first.
        Catalog catalog = place.open();
        try {
          StreamingIcebergTablesTest.assertEveryRecordOnce(catalog, sent, run);
          for (String table : StreamTables.tableNames()) {
            Table t = catalog.loadTable(StreamTables.identifier(table));
            String folder = "stream/warehouse/streaming/" + table;
            assertTrue(
                table,
                ((HasTableOperations) t).operations().current().metadataFileLocation()
                    .startsWith("s3://" + BUCKET + "/" + folder + "/metadata/"));
            // Every data file of the table's snapshot (its rows were read above) is an object under
            // the output's warehouse.
            List<String> there = s3.list(BUCKET, folder + "/data");
            String data = "s3://" + BUCKET + "/" + folder + "/data/";
            for (String file : dataFiles(t)) {
              assertTrue(file, file.startsWith(data) && there.contains(file.substring(data.length())));
            }
          }
        } finally {
          IcebergCatalog.close(catalog);
        }
        // The windows' summaries, the job's other output, are on S3 beside the tables: one a window.
        assertEquals(run, s3.list(BUCKET, "stream/summary").size());
      }
    } finally {
      IcebergFixtures.dropStreamTables(place);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
  }

  private static List<String> dataFiles(Table table) throws Exception {
    List<String> files = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(t -> files.add(t.file().path().toString()));
    }
    Collections.sort(files);
    return files;
  }

  /** Iceberg's generic rows, as text, sorted. */
  private static List<String> rows(Table table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        rows.add(r.toString());
      }
    }
    Collections.sort(rows);
    return rows;
  }
}
