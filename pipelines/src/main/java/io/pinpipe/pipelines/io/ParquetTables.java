package io.pinpipe.pipelines.io;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Writes clean rows as a Parquet table folder. The Avro schema is derived from the Beam schema by
 * hand rather than by {@code AvroUtils}, because the tables store timestamps as microseconds UTC
 * ({@code timestamp-micros}, what Spark and DuckDB read as TIMESTAMP), and row numbers as int64.
 */
public final class ParquetTables extends PTransform<PCollection<Row>, PDone> {

  // Coordinates may hold a null element; the legacy 2-level list layout cannot.
  private static final Map<String, String> CONFIGURATION =
      Map.of("parquet.avro.write-old-list-structure", "false");

  // Streaming files are written by many bundles at once: smaller row groups than Parquet's 128 MB
  // keep each open file's buffer small.
  private static final Map<String, String> STREAMING_CONFIGURATION =
      Map.of("parquet.avro.write-old-list-structure", "false", "parquet.block.size", String.valueOf(16 << 20));

  /** The most rows one streaming append file takes; a larger pane of a bundle gets several files. */
  static final long MAX_ROWS_PER_PANE_FILE = 1_000_000;

  private final String directory;
  private final String namePrefix;
  private final boolean perPane;

  private ParquetTables(String directory, String namePrefix, boolean perPane) {
    this.directory = directory;
    this.namePrefix = namePrefix;
    this.perPane = perPane;
  }

  /** Writes {@code <directory>/<namePrefix>-SSSSS-of-NNNNN.parquet}. */
  public static ParquetTables write(String directory, String namePrefix) {
    return new ParquetTables(directory, namePrefix, false);
  }

  /**
   * Appends files per window, pane and bundle ({@link PaneParquetFiles}), named by window and pane
   * ({@link WindowedFiles}): the streaming job's tables, where a later pane must never replace an
   * earlier one, and a pane may be a whole global window.
   */
  public static ParquetTables appendPerPane(String directory, String namePrefix) {
    return new ParquetTables(directory, namePrefix, true);
  }

  @Override
  public PDone expand(PCollection<Row> rows) {
    org.apache.beam.sdk.schemas.Schema beamSchema = rows.getSchema();
    String avroJson = avroSchemaOf(beamSchema).toString();
    Schema avroSchema = new Schema.Parser().parse(avroJson);
    if (perPane) {
      rows.apply(
          "WritePaneFiles",
          ParDo.of(
              new PaneParquetFiles(
                  directory, namePrefix, avroJson, beamSchema, STREAMING_CONFIGURATION, MAX_ROWS_PER_PANE_FILE)));
      return PDone.in(rows.getPipeline());
    }
    rows.apply("ToAvroRecords", MapElements.via(new ToGenericRecord(avroJson)))
        .setCoder(AvroCoder.of(avroSchema))
        .apply(
            "WriteParquet",
            FileIO.<GenericRecord>write()
                .via(ParquetIO.sink(avroSchema).withConfiguration(CONFIGURATION))
                .to(directory)
                .withPrefix(namePrefix)
                .withSuffix(".parquet"));
    return PDone.in(rows.getPipeline());
  }

  /** The table's Avro schema: every column nullable except the row number. */
  public static Schema avroSchemaOf(org.apache.beam.sdk.schemas.Schema beamSchema) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record("row").namespace("io.pinpipe.tables").fields();
    for (org.apache.beam.sdk.schemas.Schema.Field field : beamSchema.getFields()) {
      Schema type = avroTypeOf(field.getType());
      if (field.getType().getNullable()) {
        type = Schema.createUnion(Schema.create(Schema.Type.NULL), type);
        fields = fields.name(field.getName()).type(type).withDefault(null);
      } else {
        fields = fields.name(field.getName()).type(type).noDefault();
      }
    }
    return fields.endRecord();
  }

  private static Schema avroTypeOf(org.apache.beam.sdk.schemas.Schema.FieldType type) {
    switch (type.getTypeName()) {
      case INT32:
        return Schema.create(Schema.Type.INT);
      case INT64:
        return Schema.create(Schema.Type.LONG);
      case DOUBLE:
        return Schema.create(Schema.Type.DOUBLE);
      case STRING:
        return Schema.create(Schema.Type.STRING);
      case DATETIME:
        return LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
      case ARRAY:
        org.apache.beam.sdk.schemas.Schema.FieldType element = type.getCollectionElementType();
        Schema elementType = avroTypeOf(element);
        if (element.getNullable()) {
          elementType = Schema.createUnion(Schema.create(Schema.Type.NULL), elementType);
        }
        return Schema.createArray(elementType);
      default:
        throw new IllegalArgumentException("no Parquet column type for " + type);
    }
  }

  /** Row to Avro record, field by field in schema order. */
  static final class ToGenericRecord extends SimpleFunction<Row, GenericRecord> {
    private final String avroJson;
    private transient Schema schema;

    ToGenericRecord(String avroJson) {
      this.avroJson = avroJson;
    }

    @Override
    public GenericRecord apply(Row row) {
      if (schema == null) {
        schema = new Schema.Parser().parse(avroJson);
      }
      GenericData.Record record = new GenericData.Record(schema);
      for (int i = 0; i < row.getFieldCount(); i++) {
        record.put(i, toAvroValue(row.getValue(i)));
      }
      return record;
    }

    private static Object toAvroValue(Object value) {
      if (value instanceof ReadableInstant) {
        return ((ReadableInstant) value).getMillis() * 1000L;
      }
      if (value instanceof Iterable) {
        List<Object> list = new ArrayList<>();
        for (Object element : (Iterable<?>) value) {
          list.add(toAvroValue(element));
        }
        return list;
      }
      return value;
    }
  }
}
