package io.pinpipe.transforms.onepass;

import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where the per-bucket step writes each pack of table rows itself, instead of handing it on as an
 * element ({@link CleanAndQuery#writingTablesWith}). A runner that sends a multi-output step's whole
 * output to each reader (Flink's batch engine) then never moves the table rows at all: they are
 * most of what the step makes (docs/design.md#one-keyed-pass). The job supplies the writer (a
 * Parquet file per pack); this module stays free of IO.
 *
 * <p>A pack may be written again (a retried bundle): a writer must name and fill its file from the
 * pack alone, so a second write replaces the first.
 *
 * <p>A writer may return a note on the file it wrote (a table format's file metadata, which a
 * later single step commits: Iceberg's tables); the step emits it under {@link
 * CleanAndQuery#WRITTEN_FILES}. The note is opaque here.
 */
public interface TablePackSink extends Serializable {

  /**
   * Whether {@link Writer#write} returns notes: only then does the step have the {@link
   * CleanAndQuery#WRITTEN_FILES} output (batch's plain Parquet folder needs none). A sink may say
   * so and return none: the output, empty, still tells by its watermark when a window's files are
   * written (the streaming job's Kafka offset commits wait for it).
   */
  default boolean returnsNotes() {
    return false;
  }

  /**
   * Whether the writer needs each row's origin ({@link PackedRows#origin}) and may say that its
   * table already holds a record ({@link Writer#holds}): the streaming job's Iceberg tables, which
   * a restart reads again from the lowest position any of them recorded (docs/iceberg.md#restarts).
   */
  default boolean keepsOrigins() {
    return false;
  }

  /** A writer for one instance of the step, opened once before its first bundle. */
  Writer open();

  /** Writes packs of one step instance; not shared between threads. */
  interface Writer {
    /** Writes one pack; returns a note on the file written, or null when there is nothing to commit. */
    byte @Nullable [] write(RecordKind kind, PackedRows rows, BoundedWindow window, PaneInfo pane) throws IOException;

    /**
     * Releases what the writer holds open (a table format's file client), when the step instance
     * is torn down. The runner may skip it (a worker that dies); nothing written depends on it.
     */
    default void close() throws IOException {}

    /**
     * Whether {@code kind}'s table already holds the record of this origin (read again after a
     * restart): its row is then left out of the pack, while the record still counts in its
     * window's counts and results. Asked only when {@link TablePackSink#keepsOrigins()}.
     */
    default boolean holds(RecordKind kind, String originPrefix, long originNumber) {
      return false;
    }
  }
}
