package io.pinpipe.pipelines.iceberg;

import io.pinpipe.transforms.onepass.PackedRows;
import io.pinpipe.transforms.onepass.TablePackSink;
import io.pinpipe.transforms.schema.RecordKind;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.joda.time.ReadableInstant;

/**
 * Writes each pack of a table's rows, in the bucket step that makes it, as one Iceberg data file
 * through Iceberg's Parquet writer, and returns the file's metadata as the step's note ({@link
 * WrittenFile}); nothing is visible in the table until the commit step adds the files ({@link
 * CommitTables}). A file is named by the run and the pack, {@code
 * <table>/data/ingestion_date=<day>/<run id>-<bucket>-<chunk>.parquet}: a pack written again (a
 * retried bundle) replaces its own file with the same rows, and only the attempt that succeeded
 * hands its note on.
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
    LocalDate day = LocalDate.parse(tables.day());
    String runId = tables.runId();
    return (kind, rows, window, pane) -> write(kind, loaded.get(kind), rows, day, runId);
  }

  private static byte[] write(RecordKind kind, Table table, PackedRows rows, LocalDate day, String runId)
      throws IOException {
    Schema schema = table.schema();
    GenericRecord template = GenericRecord.create(schema);
    int dayField = schema.columns().size() - 1;
    Record forPartition = template.copy();
    forPartition.set(dayField, day);
    PartitionKey partition = new PartitionKey(table.spec(), schema);
    partition.partition(new InternalRecordWrapper(schema.asStruct()).wrap(forPartition));

    String name = runId + "-" + rows.bucket() + "-" + rows.chunk() + ".parquet";
    OutputFile out = table.io().newOutputFile(table.locationProvider().newDataLocation(table.spec(), partition, name));
    DataWriter<Record> writer =
        Parquet.writeData(out)
            .schema(schema)
            .withSpec(table.spec())
            .withPartition(partition)
            .createWriterFunc(GenericParquetWriter::buildWriter)
            .setAll(table.properties())
            .overwrite()
            .build();
    try {
      rows.forEachRow(
          kind.cleanSchema(),
          row -> {
            Record record = template.copy();
            for (int i = 0; i < row.getFieldCount(); i++) {
              record.set(i, icebergValue(row.getValue(i)));
            }
            record.set(dayField, day);
            writer.write(record);
          });
    } finally {
      writer.close();
    }
    DataFile file = writer.toDataFile();
    return new WrittenFile(kind, file).encode();
  }

  /** A Beam row's value as Iceberg's generic records hold it. */
  static Object icebergValue(Object value) {
    if (value instanceof ReadableInstant) {
      return OffsetDateTime.ofInstant(Instant.ofEpochMilli(((ReadableInstant) value).getMillis()), ZoneOffset.UTC);
    }
    if (value instanceof Iterable && !(value instanceof Row)) {
      List<Object> list = new ArrayList<>();
      for (Object element : (Iterable<?>) value) {
        list.add(icebergValue(element));
      }
      return list;
    }
    return value;
  }
}
