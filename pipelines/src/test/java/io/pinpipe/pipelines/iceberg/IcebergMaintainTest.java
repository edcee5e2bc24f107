package io.pinpipe.pipelines.iceberg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.archive.GenerationProgress;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserErrorOutput;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.contract.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code iceberg-maintain} on the tables two real {@code batch --tableFormat=iceberg} runs of one
 * day wrote (two snapshots, the second run's day in several small files), with orphans planted as
 * a failed run leaves them: one run of it compacts the day into one file, expires both batch
 * snapshots (keeping the compaction's), and removes the old orphans but not a fresh one nor a file
 * that is not Iceberg's; the rows stay exactly the same. A second run changes nothing.
 */
public class IcebergMaintainTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final UserErrorOutput stderr = new UserErrorOutput();

  private static final String DAY = "2026-11-25";
  private static final int EVENTS = 300;

  private static Path warehouse;
  private static final Map<RecordKind, List<String>> ROWS_BEFORE = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, Long> SECOND_RUN = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, Integer> FILES_BEFORE = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, Long> AFTER_FIRST_MAINTAIN = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, Set<String>> DISK_AFTER_FIRST_MAINTAIN = new EnumMap<>(RecordKind.class);
  private static int firstStatus;
  private static int secondStatus;

  @BeforeClass
  public static void twoBatchRunsThenMaintainTwice() throws Exception {
    Path archive = tmp.newFolder("archive").toPath();
    ArchiveWriter.generate(
        archive, "pinterest", EVENTS, 31, GeneratorSettings.defaults().withDuplicateRate(0.05), 2, 100, GenerationProgress.NONE);
    IcebergFixtures.intoDayFolders(archive, DAY);
    Path out = tmp.getRoot().toPath().resolve("out");
    warehouse = out.resolve("warehouse");
    String[] args = {"--input=" + archive, "--output=" + out, "--date=" + DAY, "--tableFormat=iceberg", "--quiet"};
    assertEquals(CommandLine.OK, BatchPipeline.run(args));
    String[] again = {"--input=" + archive, "--output=" + out, "--date=" + DAY, "--tableFormat=iceberg", "--quiet", "--overwrite"};
    assertEquals(CommandLine.OK, BatchPipeline.run(again));

    Instant twoDaysAgo = Instant.now().minus(Duration.ofDays(2));
    for (RecordKind kind : RecordKind.values()) {
      Table table = table(kind);
      assertEquals(2, TableMaintenance.count(table.snapshots()));
      ROWS_BEFORE.put(kind, RowText.currentRows(table));
      SECOND_RUN.put(kind, table.currentSnapshot().snapshotId());
      FILES_BEFORE.put(kind, currentFiles(table).size());
      // What a run that failed before its commit leaves, two days ago: a data file and a manifest
      // no snapshot names. A data file of a run still writing (fresh), and a file that is not
      // Iceberg's, stay.
      Path tableDir = warehouse.resolve("batch").resolve(kind.id());
      Path dayDir = tableDir.resolve("data/ingestion_date=" + DAY);
      Path someFile = Path.of(currentFiles(table).iterator().next());
      Files.setLastModifiedTime(Files.copy(someFile, dayDir.resolve("failed-run-0-0.parquet")), FileTime.from(twoDaysAgo));
      Files.copy(someFile, dayDir.resolve("running-run-0-0.parquet"));
      Files.setLastModifiedTime(Files.writeString(tableDir.resolve("data/notes.txt"), "mine"), FileTime.from(twoDaysAgo));
      Files.setLastModifiedTime(
          Files.copy(Path.of(table.currentSnapshot().manifestListLocation().replaceFirst("^file:", "")), tableDir.resolve("metadata/failed-commit-m0.avro")),
          FileTime.from(twoDaysAgo));
    }

    String[] maintain = {
      "--warehouse=" + warehouse, "--compactDate=" + DAY, "--expireOlderThan=0s", "--orphanOlderThan=1d"
    };
    firstStatus = IcebergMaintain.run(maintain);
    for (RecordKind kind : RecordKind.values()) {
      AFTER_FIRST_MAINTAIN.put(kind, table(kind).currentSnapshot().snapshotId());
      DISK_AFTER_FIRST_MAINTAIN.put(kind, filesOnDisk(kind));
    }
    secondStatus = IcebergMaintain.run(maintain);
  }

  @Test
  public void oneRunCompactsTheDayExpiresTheBatchSnapshotsAndRemovesTheOldOrphans() throws Exception {
    assertEquals(CommandLine.OK, firstStatus);
    for (RecordKind kind : RecordKind.values()) {
      Table table = table(kind);
      assertTrue(kind + " had small files to compact: " + FILES_BEFORE.get(kind), FILES_BEFORE.get(kind) >= 2);
      // The compaction's snapshot is the only one left: its parent, the second run's, has expired.
      List<Snapshot> snapshots = new ArrayList<>();
      table.snapshots().forEach(snapshots::add);
      assertEquals(kind.id(), 1, snapshots.size());
      Snapshot only = snapshots.get(0);
      assertEquals("compact", only.summary().get(TableMaintenance.STEP));
      assertEquals(SECOND_RUN.get(kind), only.parentId());
      assertEquals(String.valueOf(FILES_BEFORE.get(kind)), only.summary().get("deleted-data-files"));
      assertEquals("1", only.summary().get("added-data-files"));
      // The same rows, now in one file.
      assertEquals(kind.id(), ROWS_BEFORE.get(kind), RowText.currentRows(table));
      Set<String> current = currentFiles(table);
      assertEquals(1, current.size());

      // On disk: the compacted file, the fresh file of a run still writing, the file that is not
      // Iceberg's; the batch runs' files went with their snapshots, the failed run's as an orphan.
      Path tableDir = warehouse.resolve("batch").resolve(kind.id());
      Set<String> expected = new TreeSet<>();
      expected.add(Path.of(current.iterator().next()).toString());
      expected.add(tableDir.resolve("data/ingestion_date=" + DAY + "/running-run-0-0.parquet").toString());
      expected.add(tableDir.resolve("data/notes.txt").toString());
      // The metadata's Avro files are exactly the snapshot's manifest list and manifests.
      expected.add(TableMaintenance.normalized(only.manifestListLocation()));
      for (ManifestFile manifest : only.allManifests(table.io())) {
        expected.add(TableMaintenance.normalized(manifest.path()));
      }
      Set<String> onDisk = DISK_AFTER_FIRST_MAINTAIN.get(kind);
      assertEquals(kind.id(), expected, onDisk);
      assertFalse(Files.exists(tableDir.resolve("data/ingestion_date=" + DAY + "/failed-run-0-0.parquet")));
      assertFalse(Files.exists(tableDir.resolve("metadata/failed-commit-m0.avro")));
    }
  }

  @Test
  public void aSecondRunChangesNothing() throws Exception {
    assertEquals(CommandLine.OK, secondStatus);
    for (RecordKind kind : RecordKind.values()) {
      Table table = table(kind);
      assertEquals(1, TableMaintenance.count(table.snapshots()));
      assertEquals(AFTER_FIRST_MAINTAIN.get(kind), (Long) table.currentSnapshot().snapshotId());
      assertEquals(DISK_AFTER_FIRST_MAINTAIN.get(kind), filesOnDisk(kind));
      assertEquals(kind.id(), ROWS_BEFORE.get(kind), RowText.currentRows(table));
    }
  }

  @Test
  public void withoutAStepItOnlyListsEachTablesCurrentSnapshot() throws Exception {
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream original = System.out;
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    int status;
    try {
      status = IcebergMaintain.run("--warehouse=" + warehouse);
    } finally {
      System.setOut(original);
    }
    assertEquals(CommandLine.OK, status);
    String text = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
    for (RecordKind kind : RecordKind.values()) {
      Table table = table(kind);
      // After the compaction: one file holding the day's rows, and nothing changed by listing.
      assertTrue(text, text.contains(
          "\n  batch." + kind.id() + ": current snapshot " + AFTER_FIRST_MAINTAIN.get(kind) + ": " + ROWS_BEFORE.get(kind).size()
              + " rows in 1 files, ingestion_date " + DAY + "\n"));
      assertEquals(AFTER_FIRST_MAINTAIN.get(kind), (Long) table.currentSnapshot().snapshotId());
    }
  }

  @Test
  public void aSafetyAgeUnderAnHourIsAUserError() {
    int status = IcebergMaintain.run(new String[] {"--warehouse=" + warehouse, "--orphanOlderThan=10m"});
    stderr.assertUserError(status, "error: --orphanOlderThan must be at least 1h: a running batch's files are not committed yet");
  }

  private static Table table(RecordKind kind) {
    return IcebergCatalog.hadoop(warehouse.toString()).open().loadTable(BatchTables.identifier(kind));
  }

  /** The table's data files, as local paths. */
  private static Set<String> currentFiles(Table table) throws Exception {
    Set<String> files = new TreeSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        files.add(TableMaintenance.normalized(file.path().toString()));
      }
    }
    return files;
  }

  /** The table's files under data/ and its Avro files under metadata/ (not Hadoop's .crc files). */
  private static Set<String> filesOnDisk(RecordKind kind) throws Exception {
    Path tableDir = warehouse.resolve("batch").resolve(kind.id());
    Set<String> files = new TreeSet<>();
    try (Stream<Path> data = Files.walk(tableDir.resolve("data"))) {
      data.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".crc")).forEach(p -> files.add(p.toString()));
    }
    try (Stream<Path> metadata = Files.list(tableDir.resolve("metadata"))) {
      files.addAll(
          metadata.filter(p -> p.getFileName().toString().endsWith(".avro")).map(Path::toString).collect(Collectors.toList()));
    }
    return files;
  }

}
