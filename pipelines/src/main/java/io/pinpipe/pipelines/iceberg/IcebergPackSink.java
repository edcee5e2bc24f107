package io.pinpipe.pipelines.iceberg;

import io.pinpipe.transforms.onepass.PackedRows;
import io.pinpipe.transforms.onepass.TablePackSink;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.io.IOException;
import java.time.LocalDate;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * Writes each pack of a table's rows, in the bucket step that makes it, as one Iceberg data file
 * through Iceberg's Parquet writer, and returns the file's metadata as the step's note ({@link
 * WrittenFile}); nothing is visible in the table until the commit step adds the files ({@link
 * CommitTables}). A file is named by the run and the pack, {@code
 * <table>/data/ingestion_date=<day>/<run id>-<bucket>-<chunk>.parquet}: a pack written again (a
 * retried bundle) replaces its own file with the same rows, and only the attempt that succeeded
 * hands its note on. The day is the run's, or, in a run of several days, the day window of the
 * records the step cleaned (docs/iceberg.md#runs-without---date): the same pack name in two
 * days' folders is two files.
 */
final class IcebergPackSink implements TablePackSink {
  private final BatchTables tables;

  IcebergPackSink(BatchTables tables) {
    this.tables = tables;
  }

  @Override
  public boolean returnsNotes() {
    return true;
  }

  @Override
  public Writer open() {
    // Once per step instance: loading a table reads its metadata file.
    Map<RecordKind, Table> loaded = tables.load();
    String runId = tables.runId();
    return new Writer() {
      @Override
      public byte[] write(RecordKind kind, PackedRows rows, BoundedWindow window, PaneInfo pane) throws IOException {
        return IcebergPackSink.write(kind, loaded.get(kind), rows, IcebergFiles.dayOf(window, tables), runId);
      }

      @Override
      public void close() {
        // The tables' FileIO: on S3 an S3FileIO with its own S3 client.
        BatchTables.closeFiles(loaded);
      }
    };
  }

  private static byte[] write(RecordKind kind, Table table, PackedRows rows, LocalDate day, String runId)
      throws IOException {
    String name = runId + "-" + rows.bucket() + "-" + rows.chunk() + ".parquet";
    DataFile file =
        IcebergFiles.write(
            table,
            day,
            name,
            out ->
                rows.forEachRow(
                    RecordSchemas.clean(kind),
                    row -> out.accept(row.getValues().toArray())));
    return new WrittenFile(kind.id(), file).encode();
  }
}
