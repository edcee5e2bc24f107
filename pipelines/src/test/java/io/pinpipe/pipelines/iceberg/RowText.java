package io.pinpipe.pipelines.iceberg;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;

/**
 * A table row as one line of text, column by column of its kind's clean schema, the same whichever
 * reader gave it (parquet-avro, Iceberg's generic records, Spark rows): timestamps as microseconds
 * since the epoch, lists as {@code [a,b]}, nulls as {@code null}.
 */
public final class RowText {
  private RowText() {}

  public static String of(RecordKind kind, IntFunction<Object> column) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < RecordSchemas.clean(kind).getFieldCount(); i++) {
      s.append(i == 0 ? "" : "|").append(value(column.apply(i)));
    }
    return s.toString();
  }

  /**
   * A table's current rows through Iceberg's generic reader, each as {@link #of} plus {@code
   * |<ingestion_date>}, sorted.
   */
  static List<String> currentRows(Table table) throws Exception {
    RecordKind kind = RecordKind.fromId(table.name().substring(table.name().lastIndexOf('.') + 1));
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        rows.add(of(kind, r::get) + "|" + r.getField(BatchTables.PARTITION_COLUMN));
      }
    }
    Collections.sort(rows);
    return rows;
  }

  /**
   * Any table's current rows (a kind's, its dead letters', a result's), each its columns' values
   * as {@link #value} joined by {@code |}, then {@code |<ingestion_date>}, sorted.
   */
  static List<String> currentRowsOfAnyTable(Table table) throws Exception {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      for (Record r : records) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < r.size() - 1; i++) {
          s.append(value(r.get(i))).append('|');
        }
        rows.add(s.append(r.getField(BatchTables.PARTITION_COLUMN)).toString());
      }
    }
    Collections.sort(rows);
    return rows;
  }

  static String value(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof OffsetDateTime) {
      return micros(((OffsetDateTime) v).toInstant());
    }
    if (v instanceof java.sql.Timestamp) {
      return micros(((java.sql.Timestamp) v).toInstant());
    }
    if (v instanceof List) {
      List<String> values = new ArrayList<>();
      for (Object e : (List<?>) v) {
        values.add(value(e));
      }
      return "[" + String.join(",", values) + "]";
    }
    if (v instanceof scala.collection.Seq) {
      return value(scala.collection.JavaConverters.seqAsJavaList((scala.collection.Seq<?>) v));
    }
    return v.toString();
  }

  private static String micros(Instant t) {
    return String.valueOf(t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000);
  }
}
