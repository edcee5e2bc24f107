package io.pinpipe.pipelines.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
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
 * Writes one data file of a table's day with Iceberg's own Parquet writer, for the commit step to
 * add ({@link CommitTables}); shared by the bucket step's table packs ({@link IcebergPackSink}), the
 * dead letters and the results ({@link WriteTableFiles}).
 */
final class IcebergFiles {
  private IcebergFiles() {}

  /** Hands each row's values, in the table's column order without {@code ingestion_date}, on. */
  interface Rows {
    void forEach(Consumer<Object[]> row);
  }

  /**
   * Writes {@code rows} as the file {@code <table>/data/ingestion_date=<day>/<name>}, replacing a
   * file of that name (a retried write names its file alike and fills it with the same rows).
   */
  static DataFile write(Table table, LocalDate day, String name, Rows rows) throws IOException {
    return write(table, day, name, rows, java.util.Map.of());
  }

  /**
   * {@link #write(Table, LocalDate, String, Rows)} for a table partitioned by more than the day:
   * {@code partitionColumns} gives the other partition columns' values (by column index), the same
   * for every row of the file (a streaming result table's {@code window_start}).
   */
  static DataFile write(
      Table table, LocalDate day, String name, Rows rows, java.util.Map<Integer, Object> partitionColumns)
      throws IOException {
    Schema schema = table.schema();
    GenericRecord template = GenericRecord.create(schema);
    int dayField = schema.columns().size() - 1;
    Record forPartition = template.copy();
    forPartition.set(dayField, day);
    partitionColumns.forEach((column, value) -> forPartition.set(column, icebergValue(value)));
    PartitionKey partition = new PartitionKey(table.spec(), schema);
    partition.partition(new InternalRecordWrapper(schema.asStruct()).wrap(forPartition));

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
      rows.forEach(
          values -> {
            Record record = template.copy();
            for (int i = 0; i < values.length; i++) {
              record.set(i, icebergValue(values[i]));
            }
            record.set(dayField, day);
            writer.write(record);
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      writer.close();
    }
    return writer.toDataFile();
  }

  /**
   * The day of a step's window: the one day of a run of one day (global window), or the day window
   * a run of several days put the record into ({@code BatchPipeline}'s pass per day).
   */
  static LocalDate dayOf(BoundedWindow window, BatchTables tables) {
    if (window instanceof IntervalWindow) {
      return LocalDate.ofEpochDay(Math.floorDiv(((IntervalWindow) window).start().getMillis(), 86_400_000L));
    }
    return LocalDate.parse(tables.day());
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
