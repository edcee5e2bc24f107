package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.io.kinesis.KinesisOrigins;
import io.pinpipe.transforms.onepass.PackedRows;
import io.pinpipe.transforms.onepass.TablePackSink;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.io.IOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;

/**
 * The streaming job's writer of the kinds' Iceberg tables in the bucket step (docs/iceberg.md#streaming):
 * each pack of a window's rows, with each row's record origin, as one data file of
 * the window's day, named {@code <window start>-<pane>-<bucket>-<chunk>-<random>.parquet} ({@code
 * global-...} in a replay's one global window; a retried bundle or a restart writes new names, only
 * the committed files count), noted for {@link
 * CommitStreamTables}. It says a table already holds a record when the record's offset is below
 * the table's position as the catalog recorded it when the step was set up (a record read again
 * after a restart, which starts from the lowest position of all tables).
 */
public final class StreamPackSink implements TablePackSink {
  private static final long serialVersionUID = 1L;
  /** Crash point: a table's data file written, not yet committed. */
  public static final String FILE_WRITTEN = "streaming-iceberg-file-written";

  private final StreamTables tables;
  private final long allowedLatenessMillis;

  public StreamPackSink(StreamTables tables, long allowedLatenessMillis) {
    this.tables = tables;
    this.allowedLatenessMillis = allowedLatenessMillis;
  }

  @Override
  public boolean returnsNotes() {
    return true;
  }

  @Override
  public boolean keepsOrigins() {
    return true;
  }

  @Override
  public Writer open() {
    List<String> names = StreamTables.kindTables();
    Map<String, Table> byName = tables.load(names);
    Map<RecordKind, Table> loaded = new EnumMap<>(RecordKind.class);
    Map<RecordKind, Map<String, Long>> positions = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      loaded.put(kind, byName.get(kind.id()));
      positions.put(kind, StreamTables.positions(byName.get(kind.id())));
    }
    return new Writer() {
      @Override
      public byte[] write(RecordKind kind, PackedRows rows, BoundedWindow window, PaneInfo pane) throws IOException {
        String name =
            StreamTables.fileNameOf(window) + "-" + pane.getIndex() + "-" + rows.bucket() + "-" + rows.chunk() + "-"
                + UUID.randomUUID() + ".parquet";
        int[] i = {0};
        DataFile file =
            IcebergFiles.write(
                loaded.get(kind),
                tables.dayOf(window),
                name,
                out ->
                    rows.forEachRow(
                        RecordSchemas.clean(kind),
                        row -> {
                          Object[] values = row.getValues().toArray(new Object[row.getFieldCount() + 1]);
                          values[row.getFieldCount()] = rows.origin(i[0]++);
                          out.accept(values);
                        }));
        CrashPoint.reach(FILE_WRITTEN);
        return encode(
            StreamNote.file(kind.id(), file, window, allowedLatenessMillis));
      }

      @Override
      public void close() {
        loaded.values().forEach(table -> table.io().close());
      }

      @Override
      public boolean holds(RecordKind kind, String originPrefix, long originNumber) {
        Long position = positions.get(kind).get(KinesisOrigins.partitionOf(originPrefix));
        return position != null && originNumber < position;
      }
    };
  }

  /** When the window is completely written: its end plus the allowed lateness. */
  public static long writtenAfter(BoundedWindow window, long allowedLatenessMillis) {
    return window.maxTimestamp().getMillis() + allowedLatenessMillis;
  }

  static byte[] encode(StreamNote note) {
    try {
      return CoderUtils.encodeToByteArray(StreamNote.Coder.of(), note);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static StreamNote decode(byte[] note) {
    try {
      return CoderUtils.decodeFromByteArray(StreamNote.Coder.of(), note);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("a corrupt note on a written data file", e);
    }
  }
}
