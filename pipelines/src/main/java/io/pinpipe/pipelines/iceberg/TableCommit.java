package io.pinpipe.pipelines.iceberg;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * One run's commit to one table: replaces the run's ingestion day (its partition) with the files
 * the run wrote, in one snapshot whose summary carries the run's id, unless a snapshot with that id
 * is already in the table's history: a commit step that is retried (after its commit but before
 * its bundle finished) commits nothing the second time. A rerun of the same day has another id and
 * replaces the day again, so the daily run is idempotent in what the table holds.
 */
public final class TableCommit {
  /** Attempts when another writer commits to the table at the same moment. */
  private static final int ATTEMPTS = 10;

  private TableCommit() {}

  /** The outcome: the snapshot that holds the run's files, and whether this call made it. */
  public static final class Outcome {
    public final long snapshotId;
    public final boolean committedNow;

    Outcome(long snapshotId, boolean committedNow) {
      this.snapshotId = snapshotId;
      this.committedNow = committedNow;
    }
  }

  /** The snapshot, if any, that a run with {@code runId} committed to {@code table}. */
  public static Optional<Snapshot> committedBy(Table table, String runId) {
    for (Snapshot snapshot : table.snapshots()) {
      if (runId.equals(snapshot.summary().get(BatchTables.RUN_ID))) {
        return Optional.of(snapshot);
      }
    }
    return Optional.empty();
  }

  /**
   * Commits {@code files} as the whole of {@code day} in {@code table} for run {@code runId}, once.
   * Iceberg re-applies a commit that another writer's commit got ahead of by itself; when it gives
   * up, the check and the commit are repeated together here. (Two attempts of one commit step
   * running at the same moment could both commit: the second replaces the day with the same files,
   * a snapshot more and the same rows.)
   */
  public static Outcome replaceDay(Table table, String day, List<DataFile> files, String runId, String runFolder) {
    return replaceDays(table, List.of(day), files, runId, runFolder);
  }

  /**
   * Commits {@code files} as the whole of {@code days} (a run over several days: every day of the
   * run, each replaced by its files, or emptied when it has none) in one snapshot, once per run id.
   */
  public static Outcome replaceDays(Table table, Collection<String> days, List<DataFile> files, String runId, String runFolder) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(days));
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("no day to replace in " + table.name());
    }
    Expression replaced =
        sorted.size() == 1
            ? Expressions.equal(BatchTables.PARTITION_COLUMN, sorted.get(0))
            : Expressions.in(BatchTables.PARTITION_COLUMN, sorted.toArray());
    CommitFailedException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      table.refresh();
      Optional<Snapshot> done = committedBy(table, runId);
      if (done.isPresent()) {
        return new Outcome(done.get().snapshotId(), false);
      }
      OverwriteFiles overwrite = table.newOverwrite().overwriteByRowFilter(replaced);
      for (DataFile file : files) {
        overwrite.addFile(file);
      }
      overwrite
          .set(BatchTables.RUN_ID, runId)
          .set(BatchTables.RUN_FOLDER, runFolder)
          .set(BatchTables.INGESTION_DATE, String.join(",", sorted));
      try {
        overwrite.commit();
        table.refresh();
        return new Outcome(committedBy(table, runId).orElseThrow().snapshotId(), true);
      } catch (CommitFailedException e) {
        last = e;
      }
    }
    throw new IllegalStateException("could not commit run " + runId + " to " + table.name() + " in " + ATTEMPTS + " attempts", last);
  }
}
