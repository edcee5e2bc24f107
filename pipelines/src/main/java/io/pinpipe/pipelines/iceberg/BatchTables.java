package io.pinpipe.pipelines.iceberg;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.schemas.SchemaRegistry;
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
 * The batch job's Iceberg tables (docs/iceberg.md#the-tables), in a catalog ({@link IcebergCatalog}: Hadoop on
 * a local folder, or JDBC): {@code batch.pin}, {@code batch.geo} and {@code batch.user} with their
 * kind's clean columns; {@code batch.<kind>_dead_letters} with each dead letter's origin, reason and
 * payload; and the nine results, {@code batch.<result name>} (as their CSV files are named), with
 * their columns. Each has {@code ingestion_date} (the archive's {@code dt=} day), the table's
 * partition. What a run needs to write and commit them, serializable: the catalog, the days the run
 * replaces, and the run's id, which each commit records in its snapshot summary.
 */
public final class BatchTables implements Serializable {
  public static final String NAMESPACE = "batch";
  public static final String PARTITION_COLUMN = "ingestion_date";
  /** The snapshot summary's key for the run that committed it. */
  public static final String RUN_ID = "pinpipe.run-id";
  /** The snapshot summary's key for the run's folder in its output, for people. */
  public static final String RUN_FOLDER = "pinpipe.run";
  public static final String INGESTION_DATE = "pinpipe.ingestion-date";

  /** The suffix of a kind's dead-letter table: {@code batch.pin_dead_letters}. */
  public static final String DEAD_LETTERS = "_dead_letters";

  /**
   * A dead-letter table's columns: {@link DeadLetter}'s schema without its kind, which is the
   * table's ({@code origin, reason, payload, payload_base64}), so that the columns are not typed out
   * a second time.
   */
  public static final org.apache.beam.sdk.schemas.Schema DEAD_LETTER_COLUMNS = deadLetterColumns();

  private static org.apache.beam.sdk.schemas.Schema deadLetterColumns() {
    org.apache.beam.sdk.schemas.Schema deadLetter;
    try {
      deadLetter = SchemaRegistry.createDefault().getSchema(DeadLetter.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException("DeadLetter declares its schema (@DefaultSchema)", e);
    }
    return new org.apache.beam.sdk.schemas.Schema(
        deadLetter.getFields().stream().filter(field -> !field.getName().equals("kind")).toList());
  }

  private final IcebergCatalog catalog;
  private final List<String> days;
  private final String runId;
  private final String runFolder;
  private final boolean arrivalDays;

  /** Tables in a Hadoop catalog on the local folder {@code warehouse}. */
  public BatchTables(String warehouse, String day, String runId, String runFolder) {
    this(IcebergCatalog.hadoop(warehouse), day, runId, runFolder);
  }

  /** A run of one day (--date, or an archive with one day). */
  public BatchTables(IcebergCatalog catalog, String day, String runId, String runFolder) {
    this(catalog, List.of(day), runId, runFolder);
  }

  /**
   * @param catalog the tables' catalog
   * @param days the run's ingestion days, YYYY-MM-DD: the partitions each commit replaces. With
   *     one day, every row's {@code ingestion_date}; with several, each row's is its record's
   *     {@code dt=} day ({@link #perRecordDays})
   * @param runId unique per run (not per attempt of a step): a commit carrying it is made once
   */
  public BatchTables(IcebergCatalog catalog, List<String> days, String runId, String runFolder) {
    this(catalog, days, runId, runFolder, false);
    if (days.isEmpty()) {
      throw new IllegalArgumentException("a run writes at least one day");
    }
  }

  /**
   * A run from Kafka: each row's {@code ingestion_date} is the UTC day of its record's Kafka
   * timestamp, its arrival day, so the days a run replaces are those of the records it read, known
   * only when the files are written: the commit step replaces the days of the files it is given
   * (docs/iceberg.md#runs-from-kafka).
   */
  public static BatchTables ofArrivalDays(IcebergCatalog catalog, String runId, String runFolder) {
    return new BatchTables(catalog, List.of(), runId, runFolder, true);
  }

  private BatchTables(IcebergCatalog catalog, List<String> days, String runId, String runFolder, boolean arrivalDays) {
    this.catalog = catalog;
    this.days = days.stream().map(d -> LocalDate.parse(d).toString()).distinct().sorted().collect(java.util.stream.Collectors.toUnmodifiableList());
    this.runId = runId;
    this.runFolder = runFolder;
    this.arrivalDays = arrivalDays;
  }

  public IcebergCatalog catalogPlace() {
    return catalog;
  }

  /** The run's one day; only for a run of one day. */
  public String day() {
    if (perRecordDays()) {
      throw new IllegalStateException("a run of several days: " + days);
    }
    return days.get(0);
  }

  /** The days the run replaces, in order, as listed before it; none for {@link #arrivalDays}. */
  public List<String> days() {
    return days;
  }

  /**
   * Whether each row's day is its record's Kafka arrival day ({@link #ofArrivalDays}): the days
   * are the records', not listed before the run.
   */
  public boolean arrivalDays() {
    return arrivalDays;
  }

  /**
   * Whether each row's day is its record's (a run over several days, or from Kafka): the tables are
   * then written by a pass per day (docs/iceberg.md#runs-without---date).
   */
  public boolean perRecordDays() {
    return arrivalDays || days.size() > 1;
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
    return identifier(kind.id());
  }

  public static TableIdentifier identifier(String table) {
    return TableIdentifier.of(Namespace.of(NAMESPACE), table);
  }

  /** A kind's dead-letter table's name in the namespace: {@code pin_dead_letters}. */
  public static String deadLetterTable(RecordKind kind) {
    return kind.id() + DEAD_LETTERS;
  }

  /**
   * Every table's name in the namespace, in the order they are created and committed: the three
   * kinds, their dead letters, the nine results.
   */
  public static List<String> tableNames() {
    List<String> names = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      names.add(kind.id());
    }
    for (RecordKind kind : RecordKind.values()) {
      names.add(deadLetterTable(kind));
    }
    for (io.pinpipe.transforms.results.QueryOutput output : io.pinpipe.transforms.results.QueryOutput.values()) {
      names.add(output.outputName());
    }
    return names;
  }

  /** A table's columns as a Beam schema, before {@code ingestion_date}. */
  static org.apache.beam.sdk.schemas.Schema columnsOf(String table) {
    for (RecordKind kind : RecordKind.values()) {
      if (table.equals(kind.id())) {
        return RecordSchemas.clean(kind);
      }
      if (table.equals(deadLetterTable(kind))) {
        return DEAD_LETTER_COLUMNS;
      }
    }
    for (io.pinpipe.transforms.results.QueryOutput output : io.pinpipe.transforms.results.QueryOutput.values()) {
      if (table.equals(output.outputName())) {
        return output.schema();
      }
    }
    throw new IllegalArgumentException("no table " + table);
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
  public Map<String, Table> createOrCheck() {
    Catalog catalog = catalog();
    try {
      Map<String, Table> tables = createOrCheck(catalog);
      closeFiles(tables);
      return tables;
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  private Map<String, Table> createOrCheck(Catalog catalog) {
    Map<String, Table> tables = new LinkedHashMap<>();
    for (String name : tableNames()) {
      Schema schema = schemaOf(columnsOf(name));
      TableIdentifier id = identifier(name);
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
      tables.put(name, table);
    }
    return tables;
  }

  /**
   * For the console after the run: each table's snapshot that this run's id committed, with what
   * its summary says it added and removed.
   */
  public List<String> committedSnapshots() {
    Map<String, Table> loaded = load(tableNames());
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Table> entry : loaded.entrySet()) {
      org.apache.iceberg.Snapshot snapshot =
          TableCommit.committedBy(entry.getValue(), runId)
              .orElseThrow(() -> new IllegalStateException("the run committed nothing to " + identifier(entry.getKey())));
      Map<String, String> summary = snapshot.summary();
      lines.add(
          identifier(entry.getKey()) + " snapshot " + snapshot.snapshotId() + ": " + PARTITION_COLUMN + "="
              + summary.getOrDefault(INGESTION_DATE, String.join(",", days)) + " now " + summary.getOrDefault("added-records", "0") + " rows in "
              + summary.getOrDefault("added-data-files", "0") + " files (replaced " + summary.getOrDefault("deleted-records", "0")
              + " rows)");
    }
    closeFiles(loaded);
    return lines;
  }

  /** The three kinds' tables, loaded (their metadata read) with the catalog closed again. */
  public Map<RecordKind, Table> load() {
    Map<String, Table> byName = load(java.util.Arrays.stream(RecordKind.values()).map(RecordKind::id).collect(java.util.stream.Collectors.toList()));
    Map<RecordKind, Table> tables = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      tables.put(kind, byName.get(kind.id()));
    }
    return tables;
  }

  /** The named tables, loaded (their metadata read) with the catalog closed again. */
  public Map<String, Table> load(List<String> names) {
    Catalog catalog = catalog();
    try {
      Map<String, Table> tables = new LinkedHashMap<>();
      for (String name : names) {
        tables.put(name, catalog.loadTable(identifier(name)));
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
  static void closeFiles(Map<?, Table> tables) {
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
   * A table's Iceberg schema: its columns in order (required where the Beam schema's are not
   * nullable: a kind's row number, a dead letter's origin and reason, every result column; the rest
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
