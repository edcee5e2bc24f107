package io.pinpipe.pipelines.iceberg;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.parquet.Parquet;

/**
 * The three upkeep steps of an Iceberg table that Spark's actions do, with Iceberg's core API only
 * (the job carries no Spark): compact a partition's small data files, expire old snapshots, remove
 * orphan files. Each step is one commit or none, so a step killed half way leaves the table as it
 * was (at most new orphan files, which a later run removes).
 */
public final class TableMaintenance {
  /** The snapshot summary's key saying which upkeep step made the snapshot. */
  public static final String STEP = "pinpipe.maintain";

  private TableMaintenance() {}

  /** What a compaction did: files read and written, their rows, and the snapshot it made (0 if none). */
  public static final class Compaction {
    public final int filesRead;
    public final int filesWritten;
    public final long rows;
    public final long snapshotId;

    Compaction(int filesRead, int filesWritten, long rows, long snapshotId) {
      this.filesRead = filesRead;
      this.filesWritten = filesWritten;
      this.rows = rows;
      this.snapshotId = snapshotId;
    }
  }

  /**
   * Rewrites the data files of one {@code ingestion_date} partition smaller than {@code targetBytes}
   * into as few files of about that size as their sizes allow, in one commit that replaces exactly
   * those files (it fails, changing nothing, if another commit removed one of them meanwhile).
   * Nothing to do with fewer than two small files. Rows keep their order: files are read in the
   * order of their paths, each from start to end.
   */
  public static Compaction compactDay(Table table, LocalDate day, long targetBytes) {
    table.refresh();
    Snapshot start = table.currentSnapshot();
    if (start == null) {
      return new Compaction(0, 0, 0, 0);
    }
    // By partition, then path: a file holds one partition's rows (a streaming result table is
    // partitioned by window too), and the same inputs give the same groups and output files.
    Map<String, Map<String, DataFile>> smallByPartition = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(start.snapshotId()).filter(Expressions.equal(BatchTables.PARTITION_COLUMN, day.toString())).planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        if (file.fileSizeInBytes() < targetBytes) {
          smallByPartition
              .computeIfAbsent(table.specs().get(file.specId()).partitionToPath(file.partition()), p -> new TreeMap<>())
              .put(file.path().toString(), file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<List<DataFile>> groups = new ArrayList<>();
    for (Map<String, DataFile> small : smallByPartition.values()) {
      long groupBytes = 0;
      boolean first = true;
      for (DataFile file : small.values()) {
        if (first || groupBytes + file.fileSizeInBytes() > targetBytes) {
          groups.add(new ArrayList<>());
          groupBytes = 0;
          first = false;
        }
        groups.get(groups.size() - 1).add(file);
        groupBytes += file.fileSizeInBytes();
      }
    }
    RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(start.snapshotId());
    long rows = 0;
    int written = 0;
    for (int g = 0; g < groups.size(); g++) {
      List<DataFile> group = groups.get(g);
      if (group.size() < 2) {
        continue; // A file alone in its group stays as it is.
      }
      DataFile merged = merge(table, group, "compacted-" + start.snapshotId() + "-" + g + ".parquet");
      for (DataFile file : group) {
        rewrite.deleteFile(file);
      }
      rewrite.addFile(merged);
      rows += merged.recordCount();
      written++;
    }
    if (written == 0) {
      return new Compaction(0, 0, 0, 0);
    }
    int read = 0;
    for (List<DataFile> group : groups) {
      read += group.size() < 2 ? 0 : group.size();
    }
    rewrite.set(STEP, "compact").set(BatchTables.INGESTION_DATE, day.toString()).commit();
    table.refresh();
    return new Compaction(read, written, rows, table.currentSnapshot().snapshotId());
  }

  /** One new data file holding the rows of {@code files}, in their order, in their partition. */
  private static DataFile merge(Table table, List<DataFile> files, String name) {
    Schema schema = table.schema();
    DataFile first = files.get(0);
    OutputFile out = table.io().newOutputFile(table.locationProvider().newDataLocation(table.spec(), first.partition(), name));
    DataWriter<Record> writer;
    try {
      writer =
          Parquet.writeData(out)
              .schema(schema)
              .withSpec(table.spec())
              .withPartition(first.partition())
              .createWriterFunc(GenericParquetWriter::buildWriter)
              .setAll(table.properties())
              .overwrite()
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long expected = 0;
    try {
      for (DataFile file : files) {
        expected += file.recordCount();
        try (CloseableIterable<Record> records =
            Parquet.read(table.io().newInputFile(file.path().toString()))
                .project(schema)
                .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
                .build()) {
          for (Record record : records) {
            // The reader reuses nothing here, but a copy keeps the writer independent of it.
            writer.write(copy(schema, record));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    DataFile merged = writer.toDataFile();
    if (merged.recordCount() != expected) {
      throw new IllegalStateException("compacting into " + name + " wrote " + merged.recordCount() + " rows of " + expected);
    }
    return merged;
  }

  private static Record copy(Schema schema, Record record) {
    GenericRecord copy = GenericRecord.create(schema);
    for (int i = 0; i < schema.columns().size(); i++) {
      copy.set(i, record.get(i));
    }
    return copy;
  }

  /**
   * Expires the snapshots committed before {@code olderThan}, keeping the newest {@code retainLast}
   * (at least 1) whatever their age; Iceberg then deletes the files that only expired snapshots
   * referred to. Returns how many snapshots went.
   */
  public static int expireSnapshots(Table table, Instant olderThan, int retainLast) {
    if (retainLast < 1) {
      throw new IllegalArgumentException("keep at least the last snapshot, got " + retainLast);
    }
    table.refresh();
    int before = count(table.snapshots());
    Map<String, String> referencedBefore = referencedFiles(table);
    // Iceberg's own cleanup on one branch is incremental: it misses the files that a kept snapshot
    // (a compaction) removed from an expired one. The files only expired snapshots named are
    // deleted here instead: all of them, and only files the table itself referred to.
    // Which snapshots go is decided here: besides the newest retainLast of the current branch, the
    // newest snapshot the streaming job committed stays, whatever its age: its summary holds the
    // Kafka positions the job resumes from (docs/iceberg.md#streaming); a compaction since
    // carries none. Copying them into the compaction's snapshot instead would record stale ones
    // when the job commits between the compaction's read and its commit.
    Set<Long> kept = new java.util.HashSet<>();
    Snapshot ancestor = table.currentSnapshot();
    for (int i = 0; i < retainLast && ancestor != null; i++) {
      kept.add(ancestor.snapshotId());
      ancestor = ancestor.parentId() == null ? null : table.snapshot(ancestor.parentId());
    }
    StreamTables.latestStreamCommit(table).ifPresent(snapshot -> kept.add(snapshot.snapshotId()));
    org.apache.iceberg.ExpireSnapshots expire = table.expireSnapshots().cleanExpiredFiles(false);
    boolean any = false;
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.timestampMillis() < olderThan.toEpochMilli() && !kept.contains(snapshot.snapshotId())) {
        expire.expireSnapshotId(snapshot.snapshotId());
        any = true;
      }
    }
    if (!any) {
      return 0;
    }
    // retainLast here only stops Iceberg's own default age (5 days) from taking more than the ids.
    expire.expireOlderThan(0).retainLast(Math.max(1, count(table.snapshots()))).commit();
    table.refresh();
    Set<String> stillReferenced = referencedFiles(table).keySet();
    for (Map.Entry<String, String> file : referencedBefore.entrySet()) {
      if (!stillReferenced.contains(file.getKey())) {
        table.io().deleteFile(file.getValue());
      }
    }
    return before - count(table.snapshots());
  }

  /**
   * Every file the table's snapshots refer to, normalized path to path as the table names it:
   * manifest lists, manifests, data files.
   */
  private static Map<String, String> referencedFiles(Table table) {
    Map<String, String> referenced = new TreeMap<>();
    for (Snapshot snapshot : table.snapshots()) {
      referenced.put(normalized(snapshot.manifestListLocation()), snapshot.manifestListLocation());
      for (ManifestFile manifest : snapshot.allManifests(table.io())) {
        referenced.put(normalized(manifest.path()), manifest.path());
        try (ManifestReader<DataFile> files = ManifestFiles.read(manifest, table.io())) {
          for (DataFile file : files) {
            referenced.put(normalized(file.path().toString()), file.path().toString());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return referenced;
  }

  /**
   * Deletes the files in the table's {@code data/} folder ({@code .parquet}) and {@code metadata/}
   * folder (manifests and manifest lists, {@code .avro}) that no snapshot refers to and that were
   * last modified before {@code olderThan}: what failed runs and failed commits left. The safety
   * age keeps the files of a run still writing (not yet committed). Nothing else under the table
   * (metadata JSON files, the Hadoop catalog's version hint, other files) is touched. Returns the
   * paths deleted.
   */
  public static List<String> removeOrphans(Table table, Instant olderThan) {
    table.refresh();
    Set<String> referenced = referencedFiles(table).keySet();
    List<String> removed = new ArrayList<>();
    removeUnder(table, table.location() + "/data", ".parquet", referenced, olderThan, removed);
    removeUnder(table, table.location() + "/metadata", ".avro", referenced, olderThan, removed);
    return removed;
  }

  private static void removeUnder(
      Table table, String folder, String suffix, Set<String> referenced, Instant olderThan, List<String> removed) {
    if (!(table.io() instanceof SupportsPrefixOperations)) {
      throw new IllegalStateException(
          "cannot list " + folder + ": the table's FileIO " + table.io().getClass().getName() + " lists no prefix");
    }
    SupportsPrefixOperations io = (SupportsPrefixOperations) table.io();
    // The FileIO the table writes through (HadoopFileIO on a local disk, S3FileIO on S3) lists it
    // too: one code path for both. The trailing slash keeps a sibling such as data2/ out.
    List<String> orphans = new ArrayList<>();
    try {
      for (FileInfo file : io.listPrefix(folder + "/")) {
        String path = file.location();
        if (path.endsWith(suffix)
            && !referenced.contains(normalized(path))
            && file.createdAtMillis() < olderThan.toEpochMilli()) {
          orphans.add(path);
        }
      }
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof FileNotFoundException) {
        return; // No such folder on a file system (an object store just lists nothing).
      }
      throw e;
    }
    orphans.sort(null);
    for (String orphan : orphans) {
      io.deleteFile(orphan);
      removed.add(orphan);
    }
  }

  /** A path as a plain local path or a URI without the {@code file:} scheme's slashes. */
  static String normalized(String path) {
    String p = path.startsWith("file:") ? path.substring("file:".length()) : path;
    while (p.startsWith("//")) {
      p = p.substring(1);
    }
    return p;
  }

  static int count(Iterable<?> items) {
    int n = 0;
    for (Object item : items) {
      n++;
    }
    return n;
  }
}
