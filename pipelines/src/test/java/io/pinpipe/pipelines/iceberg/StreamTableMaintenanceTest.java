package io.pinpipe.pipelines.iceberg;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code iceberg-maintain}'s compaction and expiry on a table shaped as the streaming job's result
 * tables (partitioned by day and window start, docs/iceberg.md#streaming), whose snapshots carry
 * the job's Kafka positions: files are merged within their partition only, and an expiry keeps the
 * newest snapshot the job committed, however old, with the positions a restart resumes from.
 */
public class StreamTableMaintenanceTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final LocalDate DAY = LocalDate.parse("2026-11-25");
  private static final long WINDOW_1 = 1_764_028_800_000_000L; // 2026-11-25T00:00:00Z, microseconds
  private static final long WINDOW_2 = WINDOW_1 + 10_000_000L;

  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "n", Types.LongType.get()),
          Types.NestedField.required(2, BatchTables.PARTITION_COLUMN, Types.DateType.get()),
          Types.NestedField.required(3, StreamTables.WINDOW_START, Types.TimestampType.withZone()));

  @Test
  public void compactionMergesWithinAWindowAndExpiryKeepsTheJobsLatestCommit() throws Exception {
    Catalog catalog = IcebergCatalog.hadoop(tmp.newFolder("warehouse").toString()).open();
    PartitionSpec spec =
        PartitionSpec.builderFor(SCHEMA).identity(BatchTables.PARTITION_COLUMN).identity(StreamTables.WINDOW_START).build();
    Table table = catalog.createTable(StreamTables.identifier("top_category_by_country"), SCHEMA, spec);

    // Two commits as the streaming job makes them: two files per window, positions and commit id.
    commit(table, "c1", "0-40", file(table, "a", WINDOW_1, 1, 2), file(table, "b", WINDOW_2, 3));
    commit(table, "c2", "40-95", file(table, "c", WINDOW_1, 4), file(table, "d", WINDOW_2, 5, 6));
    Map<String, Long> positions = StreamTables.positions(table);
    assertEquals(Map.of("pinterest.pin+0+", 95L), positions);

    TableMaintenance.Compaction compaction = TableMaintenance.compactDay(table, DAY, 128L * 1024 * 1024);
    assertEquals(4, compaction.filesRead);
    assertEquals(2, compaction.filesWritten); // one per window, not one for the day
    assertEquals(6, compaction.rows);
    table.refresh();
    Map<Long, List<Long>> byWindow = rowsByWindowFile(table);
    assertEquals(Map.of(WINDOW_1, List.of(1L, 2L, 4L), WINDOW_2, List.of(3L, 5L, 6L)), byWindow);
    assertEquals(null, table.currentSnapshot().summary().get(StreamTables.COMMIT_ID)); // a compaction's

    // Expiry keeps the newest snapshot the job committed, whatever its age: a restart resumes from its positions.
    long c2 = table.currentSnapshot().parentId();
    assertEquals(1, TableMaintenance.expireSnapshots(table, Instant.now().plusSeconds(60), 1));
    table.refresh();
    // Left: the compaction's (the newest) and c2's; c1's went.
    List<Long> left = new ArrayList<>();
    table.snapshots().forEach(snapshot -> left.add(snapshot.snapshotId()));
    assertEquals(List.of(c2, table.currentSnapshot().snapshotId()), left);
    assertEquals(byWindow, rowsByWindowFile(table));
    assertEquals(positions, StreamTables.positions(table));
    assertEquals("c2", StreamTables.latestCommitId(table));
    IcebergCatalog.close(catalog);
  }

  @Test
  public void aTableWithSnapshotsButNoPositionsStopsTheJobInsteadOfWritingEverythingAgain() throws Exception {
    StreamTables tables = new StreamTables(IcebergCatalog.hadoop(tmp.newFolder("warehouse2").toString()));
    tables.createOrCheck();
    assertEquals(Map.of(), tables.positionsOfAll().get("pin")); // new tables: start at the log's start
    Catalog catalog = tables.catalogPlace().open();
    // What another tool's expiry could leave: a snapshot without the job's summary.
    catalog.loadTable(StreamTables.identifier("geo")).newAppend().commit();
    try {
      tables.positionsOfAll();
      throw new AssertionError("expected a user error");
    } catch (io.pinpipe.pipelines.UserError e) {
      assertEquals(
          "the table streaming.geo has snapshots but none with the streaming job's positions (were they expired by"
              + " another tool?): the job cannot tell which records it holds; restore a snapshot that has them, or drop the"
              + " streaming tables to start over (docs/iceberg.md)",
          e.getMessage());
    }
    IcebergCatalog.close(catalog);
  }

  private static void commit(Table table, String id, String range, DataFile... files) {
    AppendFiles append = table.newAppend();
    for (DataFile file : files) {
      append.appendFile(file);
    }
    append.set(StreamTables.COMMIT_ID, id).set(StreamTables.POSITION_PREFIX + "pinterest.pin.0", range).commit();
  }

  private static DataFile file(Table table, String name, long windowStart, long... values) throws IOException {
    GenericRecord template = GenericRecord.create(SCHEMA);
    PartitionKey partition = new PartitionKey(table.spec(), SCHEMA);
    List<Record> records = new ArrayList<>();
    for (long value : values) {
      Record record = template.copy();
      record.set(0, value);
      record.set(1, DAY);
      record.set(2, java.time.OffsetDateTime.ofInstant(Instant.EPOCH.plusNanos(windowStart * 1000L), java.time.ZoneOffset.UTC));
      records.add(record);
    }
    // The partition from the internal values (days, microseconds), as Iceberg's own writers take it.
    partition.partition(new org.apache.iceberg.data.InternalRecordWrapper(SCHEMA.asStruct()).wrap(records.get(0)));
    DataWriter<Record> writer =
        Parquet.writeData(table.io().newOutputFile(table.locationProvider().newDataLocation(table.spec(), partition, name + ".parquet")))
            .schema(SCHEMA)
            .withSpec(table.spec())
            .withPartition(partition)
            .createWriterFunc(GenericParquetWriter::buildWriter)
            .build();
    try {
      records.forEach(writer::write);
    } finally {
      writer.close();
    }
    return writer.toDataFile();
  }

  /** The values of each window's one data file, in the file's order. */
  private static Map<Long, List<Long>> rowsByWindowFile(Table table) throws IOException {
    Map<Long, List<Long>> rows = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        long window = task.file().partition().get(1, Long.class);
        if (rows.containsKey(window)) {
          throw new AssertionError("two files in window " + window);
        }
        List<Long> values = new ArrayList<>();
        try (CloseableIterable<Record> records =
            Parquet.read(table.io().newInputFile(task.file().path().toString()))
                .project(SCHEMA)
                .createReaderFunc(s -> org.apache.iceberg.data.parquet.GenericParquetReaders.buildReader(SCHEMA, s))
                .build()) {
          records.forEach(r -> values.add((Long) r.get(0)));
        }
        rows.put(window, values);
      }
    }
    return rows;
  }
}
