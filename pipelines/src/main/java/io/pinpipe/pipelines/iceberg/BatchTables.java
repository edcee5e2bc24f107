package io.pinpipe.pipelines.iceberg;

import io.pinpipe.transforms.schema.RecordKind;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The batch job's Iceberg tables (docs/iceberg.md): {@code batch.pin}, {@code batch.geo} and {@code
 * batch.user} in a catalog ({@link IcebergCatalog}: Hadoop on a local folder, or JDBC), each with
 * its kind's clean columns and {@code ingestion_date} (the archive's {@code dt=} day), the table's
 * partition. What a run needs to write and commit them, serializable: the catalog, the day, and the
 * run's id, which each commit records in its snapshot summary.
 */
public final class BatchTables implements Serializable {
  public static final String NAMESPACE = "batch";
  public static final String PARTITION_COLUMN = "ingestion_date";
  /** The snapshot summary's key for the run that committed it. */
  public static final String RUN_ID = "pinpipe.run-id";
  /** The snapshot summary's key for the run's folder in its output, for people. */
  public static final String RUN_FOLDER = "pinpipe.run";
  public static final String INGESTION_DATE = "pinpipe.ingestion-date";

  private final IcebergCatalog catalog;
  private final String day;
  private final String runId;
  private final String runFolder;

  /** Tables in a Hadoop catalog on the local folder {@code warehouse}. */
  public BatchTables(String warehouse, String day, String runId, String runFolder) {
    this(IcebergCatalog.hadoop(warehouse), day, runId, runFolder);
  }

  /**
   * @param catalog the tables' catalog
   * @param day the run's ingestion day, YYYY-MM-DD: every row's {@code ingestion_date}, and the
   *     partition a commit replaces
   * @param runId unique per run (not per attempt of a step): a commit carrying it is made once
   */
  public BatchTables(IcebergCatalog catalog, String day, String runId, String runFolder) {
    this.catalog = catalog;
    this.day = LocalDate.parse(day).toString();
    this.runId = runId;
    this.runFolder = runFolder;
  }

  public IcebergCatalog catalogPlace() {
    return catalog;
  }

  public String day() {
    return day;
  }

  public String runId() {
    return runId;
  }

  public String runFolder() {
    return runFolder;
  }

  /** The bucket step's writer of data files for these tables ({@link IcebergPackSink}). */
  public io.pinpipe.transforms.onepass.TablePackSink packSink() {
    return new IcebergPackSink(this);
  }

  public static TableIdentifier identifier(RecordKind kind) {
    return TableIdentifier.of(Namespace.of(NAMESPACE), kind.id());
  }

  /** The catalog, opened; a new one each call (workers open their own): close it when done. */
  public Catalog catalog() {
    return catalog.open();
  }

  /**
   * Creates the tables that are not there yet (before the pipeline runs, so its workers only load
   * them), and checks that those that are have this version's columns; returns them by kind, their
   * metadata read and their files closed.
   */
  public Map<RecordKind, Table> createOrCheck() {
    Catalog catalog = catalog();
    try {
      Map<RecordKind, Table> tables = createOrCheck(catalog);
      closeFiles(tables);
      return tables;
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  private Map<RecordKind, Table> createOrCheck(Catalog catalog) {
    Map<RecordKind, Table> tables = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      Schema schema = schemaOf(kind.cleanSchema());
      TableIdentifier id = identifier(kind);
      Table table;
      if (catalog.tableExists(id)) {
        table = catalog.loadTable(id);
      } else {
        try {
          table =
              catalog.createTable(
                  id,
                  schema,
                  PartitionSpec.builderFor(schema).identity(PARTITION_COLUMN).build(),
                  Map.of(
                      TableProperties.FORMAT_VERSION, "2",
                      // As the plain Parquet tables: what every reader here has a codec for.
                      TableProperties.PARQUET_COMPRESSION, "snappy"));
        } catch (AlreadyExistsException e) {
          table = catalog.loadTable(id);
        }
      }
      if (!shapeOf(table.schema().asStruct()).equals(shapeOf(schema.asStruct()))) {
        throw new IllegalArgumentException(
            "Iceberg table " + id + " in the " + this.catalog.describe() + " has other columns than this version writes: "
                + table.schema().asStruct() + "; give another --warehouse or --catalogName");
      }
      tables.put(kind, table);
    }
    return tables;
  }

  /**
   * For the console after the run: each table's snapshot that this run's id committed, with what
   * its summary says it added and removed.
   */
  public List<String> committedSnapshots() {
    Map<RecordKind, Table> loaded = load();
    List<String> lines = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      Table table = loaded.get(kind);
      org.apache.iceberg.Snapshot snapshot =
          TableCommit.committedBy(table, runId)
              .orElseThrow(() -> new IllegalStateException("the run committed nothing to " + identifier(kind)));
      Map<String, String> summary = snapshot.summary();
      lines.add(
          identifier(kind) + " snapshot " + snapshot.snapshotId() + ": " + PARTITION_COLUMN + "=" + day + " now "
              + summary.getOrDefault("added-records", "0") + " rows in " + summary.getOrDefault("added-data-files", "0")
              + " files (replaced " + summary.getOrDefault("deleted-records", "0") + " rows)");
    }
    closeFiles(loaded);
    return lines;
  }

  /** The three tables, loaded (their metadata read) with the catalog closed again. */
  public Map<RecordKind, Table> load() {
    Catalog catalog = catalog();
    try {
      Map<RecordKind, Table> tables = new EnumMap<>(RecordKind.class);
      for (RecordKind kind : RecordKind.values()) {
        tables.put(kind, catalog.loadTable(identifier(kind)));
      }
      return tables;
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  /**
   * Closes the tables' FileIO (one per opened catalog, shared by its tables): S3FileIO holds an S3
   * client. The tables' metadata stays readable; their files are not.
   */
  static void closeFiles(Map<RecordKind, Table> tables) {
    for (Table table : tables.values()) {
      table.io().close();
    }
  }

  /** Names, types and optionality, without field ids (the catalog assigns its own). */
  static String shapeOf(Type type) {
    if (type.isStructType()) {
      StringBuilder s = new StringBuilder("struct<");
      for (Types.NestedField field : type.asStructType().fields()) {
        s.append(field.name()).append(field.isOptional() ? "?" : "").append(':').append(shapeOf(field.type())).append(',');
      }
      return s.append('>').toString();
    }
    if (type.isListType()) {
      Types.ListType list = type.asListType();
      return "list<" + shapeOf(list.elementType()) + (list.isElementOptional() ? "?" : "") + ">";
    }
    return type.toString();
  }

  /**
   * A kind's Iceberg schema: its clean columns in order (the row number required, the rest
   * optional, as in the plain tables), then {@code ingestion_date}, required.
   */
  public static Schema schemaOf(org.apache.beam.sdk.schemas.Schema beamSchema) {
    AtomicInteger ids = new AtomicInteger(0);
    List<Types.NestedField> fields = new ArrayList<>();
    for (org.apache.beam.sdk.schemas.Schema.Field field : beamSchema.getFields()) {
      int id = ids.incrementAndGet();
      Type type = typeOf(field.getType(), ids);
      fields.add(
          field.getType().getNullable()
              ? Types.NestedField.optional(id, field.getName(), type)
              : Types.NestedField.required(id, field.getName(), type));
    }
    fields.add(Types.NestedField.required(ids.incrementAndGet(), PARTITION_COLUMN, Types.DateType.get()));
    return new Schema(fields);
  }

  private static Type typeOf(org.apache.beam.sdk.schemas.Schema.FieldType type, AtomicInteger ids) {
    switch (type.getTypeName()) {
      case INT32:
        return Types.IntegerType.get();
      case INT64:
        return Types.LongType.get();
      case DOUBLE:
        return Types.DoubleType.get();
      case STRING:
        return Types.StringType.get();
      case DATETIME:
        // Microseconds UTC, as the plain tables' timestamp-micros: Spark's TIMESTAMP.
        return Types.TimestampType.withZone();
      case ARRAY:
        org.apache.beam.sdk.schemas.Schema.FieldType element = type.getCollectionElementType();
        int elementId = ids.incrementAndGet();
        Type elementType = typeOf(element, ids);
        return element.getNullable()
            ? Types.ListType.ofOptional(elementId, elementType)
            : Types.ListType.ofRequired(elementId, elementType);
      default:
        throw new IllegalArgumentException("no Iceberg column type for " + type);
    }
  }
}
