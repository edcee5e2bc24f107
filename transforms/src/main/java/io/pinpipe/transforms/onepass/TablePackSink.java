package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.schema.RecordKind;
import java.io.IOException;
import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * Where the per-bucket step writes each pack of table rows itself, instead of handing it on as an
 * element ({@link CleanAndQuery#writingTablesWith}). A runner that sends a multi-output step's whole
 * output to each reader (Flink's batch engine) then never moves the table rows at all: they are
 * most of what the step makes (docs/design.md, "one keyed pass"). The job supplies the writer (a
 * Parquet file per pack); this module stays free of IO.
 *
 * <p>A pack may be written again (a retried bundle): a writer must name and fill its file from the
 * pack alone, so a second write replaces the first.
 */
public interface TablePackSink extends Serializable {

  /** A writer for one instance of the step, opened once before its first bundle. */
  Writer open();

  /** Writes packs of one step instance; not shared between threads. */
  interface Writer {
    void write(RecordKind kind, PackedRows rows, BoundedWindow window, PaneInfo pane) throws IOException;
  }
}
