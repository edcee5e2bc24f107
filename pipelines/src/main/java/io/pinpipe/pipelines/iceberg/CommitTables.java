package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.CrashPoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * The single step that commits a batch run's data files: the notes of every file the workers wrote
 * ({@link IcebergPackSink}) brought to one worker, which commits each table in turn, once ({@link
 * TableCommit}), as Beam's IcebergIO and Flink's Iceberg sink commit from one place: the three
 * kinds' tables, their dead letters and the nine results ({@link BatchTables#tableNames}). Every
 * table gets its commit, replacing every day of the run, with no files for a day that has no rows of
 * it, so a rerun still replaces what an earlier run wrote for the day. One after the other, not all
 * at once: a JDBC catalog in SQLite refused concurrent commits ({@code SQLITE_BUSY}). Returns {@code
 * "<table> <snapshot id> <days, comma-separated> committed|already committed"} per table; a run from
 * Kafka's days are those of the files it wrote ({@link BatchTables#ofArrivalDays}).
 */
public final class CommitTables extends PTransform<PCollection<byte[]>, PCollection<String>> {
  /** Crash point: a table committed, the next not yet ({@code #<n>}: after the n-th table). */
  public static final String BETWEEN_TABLES = "batch-iceberg-between-tables";
  /** Crash point: every table committed, nothing of the run's folder yet. */
  public static final String COMMITTED = "batch-iceberg-committed";

  private static final byte[] NO_FILE = new byte[0];
  /** The one key every note is grouped under: one worker commits all tables. */
  private static final String ALL_TABLES = "tables";

  private final BatchTables tables;

  public CommitTables(BatchTables tables) {
    this.tables = tables;
  }

  @Override
  public PCollection<String> expand(PCollection<byte[]> notes) {
    KvCoder<String, byte[]> coder = KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of());
    PCollection<KV<String, byte[]>> byTable =
        notes
            .apply(
                "KeyForTheCommit",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), org.apache.beam.sdk.values.TypeDescriptor.of(byte[].class)))
                    .via((byte[] note) -> KV.of(ALL_TABLES, note)))
            .setCoder(coder);
    // So that the group exists, and every table is committed, when no file was written at all.
    PCollection<KV<String, byte[]>> marker =
        notes.getPipeline().apply("EveryTable", Create.of(KV.of(ALL_TABLES, NO_FILE)).withCoder(coder));
    return PCollectionList.of(byTable)
        .and(marker)
        .apply("WithEveryTable", Flatten.pCollections())
        .apply("GroupTogether", GroupByKey.create())
        .apply("CommitOncePerTable", ParDo.of(new CommitFn(tables)));
  }

  private static final class CommitFn extends DoFn<KV<String, Iterable<byte[]>>, String> {
    private final BatchTables tables;

    CommitFn(BatchTables tables) {
      this.tables = tables;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<byte[]>> all, OutputReceiver<String> out) {
      List<String> names = BatchTables.tableNames();
      Map<String, List<DataFile>> files = new LinkedHashMap<>();
      Map<String, Set<String>> days = new LinkedHashMap<>();
      for (String name : names) {
        files.put(name, new ArrayList<>());
        // Every day of the run, whether or not the run wrote a file of it: a rerun empties a day
        // that now has no rows of a table.
        days.put(name, new TreeSet<>(tables.days()));
      }
      // A run from Kafka replaces the arrival days of the records it read: every such day has a file
      // (each record is a row, a dead letter, or a copy of one of that day's).
      // One pass over the group: FlinkRunner's grouped values cannot be iterated twice.
      List<WrittenFile> notes = new ArrayList<>();
      Set<String> writtenDays = new TreeSet<>();
      for (byte[] note : all.getValue()) {
        if (note.length > 0) {
          WrittenFile written = WrittenFile.decode(note);
          notes.add(written);
          writtenDays.add(written.day());
        }
      }
      if (tables.arrivalDays()) {
        if (writtenDays.isEmpty()) {
          throw new IllegalStateException("no data file was written, so no day to replace: the run read no record");
        }
        for (String name : names) {
          days.put(name, new TreeSet<>(writtenDays));
        }
      }
      String runDays = String.join(",", days.get(names.get(0)));
      for (WrittenFile written : notes) {
        if (!tables.arrivalDays() && !tables.days().contains(written.day())) {
          // Checked before any table is committed: a dt= folder that appeared after the run
          // listed the archive must not replace a day the run never listed, in some tables only.
          throw new IllegalStateException(
              "a data file of "
                  + written.table
                  + " is of day "
                  + written.day()
                  + ", which is not among the run's days "
                  + tables.days()
                  + " (a dt= folder that appeared while the run was reading?); nothing was committed: run again");
        }
        files.get(written.table).add(written.file);
      }
      Catalog catalog = tables.catalog();
      Map<String, Table> loaded = new LinkedHashMap<>();
      try {
        for (String name : names) {
          List<DataFile> tableFiles = files.get(name);
          // The manifest lists the files in one order whatever order the runner gave them in.
          tableFiles.sort(Comparator.comparing(f -> f.path().toString()));
          // The table's operations commit through the catalog (a JDBC catalog's connection pool).
          Table table = catalog.loadTable(BatchTables.identifier(name));
          loaded.put(name, table);
          TableCommit.Outcome outcome =
              TableCommit.replaceDays(table, days.get(name), tableFiles, tables.runId(), tables.runFolder());
          out.output(
              BatchTables.NAMESPACE + "." + name + " " + outcome.snapshotId + " " + runDays + " "
                  + (outcome.committedNow ? "committed" : "already committed"));
          if (!name.equals(names.get(names.size() - 1))) {
            // Some tables committed, the others not yet (BatchIcebergCrashTest halts here).
            CrashPoint.reach(BETWEEN_TABLES);
          }
        }
        CrashPoint.reach(COMMITTED);
      } finally {
        BatchTables.closeFiles(loaded);
        IcebergCatalog.close(catalog);
      }
    }
  }
}
