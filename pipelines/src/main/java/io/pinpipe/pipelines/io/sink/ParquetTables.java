package io.pinpipe.pipelines.io.sink;

import io.pinpipe.transforms.onepass.TablePackSink;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.EnumMap;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;

/**
 * Writes packs of clean rows as a Parquet table folder, a file per pack ({@link PackParquetFiles}).
 * The Avro schema is derived from the Beam schema by hand rather than by {@code AvroUtils}, because
 * the tables store timestamps as microseconds UTC ({@code timestamp-micros}, what Spark and DuckDB
 * read as TIMESTAMP), and row numbers as int64.
 */
public final class ParquetTables {

  // Coordinates may hold a null element, which the legacy 2-level list layout cannot; a file holds
  // one pack (about a megabyte of rows), so a small row group buffer will do.
  private static final Map<String, String> PACK_CONFIGURATION =
      Map.of("parquet.avro.write-old-list-structure", "false", "parquet.block.size", String.valueOf(8 << 20));

  /** Crash point (the streaming crash tests): one more file of a table pane renamed into place. */
  public static final String TABLE_FILE_WRITTEN = "streaming-table-file-written";

  private ParquetTables() {}

  /**
   * The batch job's tables: each pack of rows as its own file, {@code <directory of its
   * kind>/<prefix>-<bucket>-<chunk>.parquet}, written by the step that makes the pack ({@link
   * io.pinpipe.transforms.onepass.CleanAndQuery#writingTablesWith}): no row crosses the runner and
   * no table is gathered in one place.
   */
  public static TablePackSink packFilesIn(Map<RecordKind, String> directories, String prefix) {
    Map<RecordKind, PackParquetFiles.Spec> specs = new EnumMap<>(RecordKind.class);
    directories.forEach((kind, directory) -> specs.put(kind, spec(directory, prefix, RecordSchemas.clean(kind), false)));
    return new PackFileSink(specs, false);
  }

  /**
   * The streaming job's tables: each pack of rows appended as its own file, {@code <directory of its
   * kind>/<kind>-<window>-pane-<n>-<timing>-<bucket>-<chunk>.parquet} ({@link PackParquetFiles}),
   * written by the step that makes the pack, in the window and pane the pack was made in: a later
   * pane never replaces an earlier one and no pane is gathered in one place, however large its
   * window. The sink {@link TablePackSink#returnsNotes returns notes} but writes none: the step's
   * notes output stays empty, and its watermark passes a window only once every table file of the
   * window is renamed into place, which is what the Kafka offset commits wait for
   * (docs/streaming.md#what-the-job-commits-to-kafka).
   */
  public static TablePackSink appendPackFilesIn(Map<RecordKind, String> directories) {
    Map<RecordKind, PackParquetFiles.Spec> specs = new EnumMap<>(RecordKind.class);
    directories.forEach((kind, directory) -> specs.put(kind, spec(directory, kind.id(), RecordSchemas.clean(kind), true)));
    return new PackFileSink(specs, true);
  }

  private static PackParquetFiles.Spec spec(
      String directory, String namePrefix, org.apache.beam.sdk.schemas.Schema rowSchema, boolean namedByPane) {
    return new PackParquetFiles.Spec(
        directory, namePrefix, avroSchemaOf(rowSchema).toString(), rowSchema, PACK_CONFIGURATION, namedByPane);
  }

  /** One file writer per kind, opened by each instance of the step that makes the packs. */
  private static final class PackFileSink implements TablePackSink {
    private final Map<RecordKind, PackParquetFiles.Spec> specs;
    private final boolean signalsWritten;

    PackFileSink(Map<RecordKind, PackParquetFiles.Spec> specs, boolean signalsWritten) {
      this.specs = specs;
      this.signalsWritten = signalsWritten;
    }

    /** Streaming: the (empty) notes output, for its watermark; batch has no use for it. */
    @Override
    public boolean returnsNotes() {
      return signalsWritten;
    }

    @Override
    public Writer open() {
      Map<RecordKind, PackParquetFiles.Writer> writers = new EnumMap<>(RecordKind.class);
      specs.forEach((kind, spec) -> writers.put(kind, spec.open()));
      return (kind, rows, window, pane) -> {
        PackParquetFiles.Writer writer = writers.get(kind);
        if (writer == null) {
          throw new IllegalArgumentException("no table directory for " + kind.id());
        }
        writer.write(rows, window, pane);
        // The folder is the table: nothing to commit.
        return null;
      };
    }
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
}
