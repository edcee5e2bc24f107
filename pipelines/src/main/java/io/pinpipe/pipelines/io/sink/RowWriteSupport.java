package io.pinpipe.pipelines.io.sink;

import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.joda.time.ReadableInstant;

/**
 * Writes Beam rows straight into Parquet's columns, in the file layout Parquet's Avro writer gives
 * the table's Avro schema ({@link ParquetTables#avroSchemaOf}: the same column types, the three-level
 * list, the Avro schema in the footer), without making an Avro record of each row first and without
 * the Avro writer resolving each nullable column's union per value: about 2% of a streaming
 * catch-up's CPU (BENCHMARKS.md#the-bounded-catch-up-and-the-parquet-writer-without-avro-records-rowwritesupport).
 */
final class RowWriteSupport extends WriteSupport<Row> {
  private final org.apache.beam.sdk.schemas.Schema rowSchema;
  private final Schema avroSchema;
  private final String[] names;
  private final FieldType[] types;
  private RecordConsumer out;

  RowWriteSupport(org.apache.beam.sdk.schemas.Schema rowSchema, Schema avroSchema) {
    this.rowSchema = rowSchema;
    this.avroSchema = avroSchema;
    int n = rowSchema.getFieldCount();
    names = new String[n];
    types = new FieldType[n];
    for (int i = 0; i < n; i++) {
      names[i] = rowSchema.getField(i).getName();
      types[i] = rowSchema.getField(i).getType();
    }
  }

  /** A writer of rows into {@code file}, with Parquet's settings from the builder's callers. */
  static Builder builder(OutputFile file, org.apache.beam.sdk.schemas.Schema rowSchema, Schema avroSchema) {
    return new Builder(file, rowSchema, avroSchema);
  }

  @Override
  public WriteContext init(Configuration configuration) {
    MessageType columns = new AvroSchemaConverter(configuration).convert(avroSchema);
    Map<String, String> footer = new HashMap<>();
    // What Parquet's Avro writer records, so Avro readers read these files as they did.
    footer.put("parquet.avro.schema", avroSchema.toString());
    footer.put("writer.model.name", "avro");
    return new WriteContext(columns, footer);
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    out = recordConsumer;
  }

  @Override
  public void write(Row row) {
    out.startMessage();
    for (int i = 0; i < names.length; i++) {
      Object value = row.getValue(i);
      if (value == null) {
        continue; // an optional column left out is a null
      }
      out.startField(names[i], i);
      switch (types[i].getTypeName()) {
        case ARRAY:
          writeList((Iterable<?>) value, types[i].getCollectionElementType());
          break;
        default:
          writeValue(value, types[i]);
      }
      out.endField(names[i], i);
    }
    out.endMessage();
  }

  /** The three-level list: {@code <column> (LIST) { repeated group list { element } }}. */
  private void writeList(Iterable<?> values, FieldType elementType) {
    out.startGroup();
    java.util.Iterator<?> elements = values.iterator();
    if (elements.hasNext()) {
      out.startField("list", 0);
      while (elements.hasNext()) {
        Object element = elements.next();
        out.startGroup();
        if (element != null) {
          out.startField("element", 0);
          writeValue(element, elementType);
          out.endField("element", 0);
        }
        out.endGroup();
      }
      out.endField("list", 0);
    }
    out.endGroup();
  }

  private void writeValue(Object value, FieldType type) {
    switch (type.getTypeName()) {
      case INT32:
        out.addInteger((Integer) value);
        break;
      case INT64:
        out.addLong((Long) value);
        break;
      case DOUBLE:
        out.addDouble((Double) value);
        break;
      case STRING:
        out.addBinary(Binary.fromString((String) value));
        break;
      case DATETIME:
        out.addLong(((ReadableInstant) value).getMillis() * 1000L); // timestamp-micros
        break;
      default:
        throw new IllegalArgumentException("no Parquet column type for " + type + " in " + rowSchema);
    }
  }

  /** Parquet's writer builder for rows. */
  static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final org.apache.beam.sdk.schemas.Schema rowSchema;
    private final Schema avroSchema;

    private Builder(OutputFile file, org.apache.beam.sdk.schemas.Schema rowSchema, Schema avroSchema) {
      super(file);
      this.rowSchema = rowSchema;
      this.avroSchema = avroSchema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(Configuration configuration) {
      return new RowWriteSupport(rowSchema, avroSchema);
    }
  }
}
