package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.io.kinesis.KinesisOrigins;
import io.pinpipe.pipelines.io.kinesis.ShardAnchor;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/**
 * The streaming job's Iceberg tables (docs/iceberg.md#streaming), namespace {@code streaming}:
 * the fifteen tables of batch, with the same names; a kind's table has its record's {@code origin}
 * ({@code <topic>+<partition>+<offset>}) after the clean columns, a result table {@code
 * window_start} and {@code window_end} before the result's columns (and {@code window_start} as a
 * second partition: a window's rows are replaced as a whole). Each commit records in its snapshot
 * summary, per Kafka partition, the offsets it covers ({@link #POSITION_PREFIX}{@code
 * <topic>.<partition>} = {@code from-to}, {@code to} exclusive): every offset below a table's latest
 * {@code to} is in the table (or needs no row of it), none at or above it. From Kinesis the origin is
 * {@code <stream>/<shard>/<sequence number>+<ordinal>} and the positions are per shard, in
 * ordinals ({@link #SHARD_POSITION_PREFIX}), each with an anchor ({@link #ANCHOR_PREFIX};
 * docs/iceberg.md#streaming-from-kinesis).
 */
public final class StreamTables implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String NAMESPACE = "streaming";
  public static final String ORIGIN = "origin";
  public static final String WINDOW_START = "window_start";
  public static final String WINDOW_END = "window_end";
  /** Snapshot summary keys of the offsets a commit covers: {@code pinpipe.kafka.<topic>.<partition>}. */
  public static final String POSITION_PREFIX = "pinpipe.kafka.";
  /**
   * Snapshot summary keys of the ordinals a commit covers of a Kinesis shard ({@code
   * io.pinpipe.pipelines.io.kinesis.ShardOrdinals}): {@code pinpipe.kinesis.<stream>.<shard>}.
   */
  public static final String SHARD_POSITION_PREFIX = "pinpipe.kinesis.";
  /**
   * Snapshot summary keys of a Kinesis shard's anchor, a record below the position that ties the
   * ordinals to sequence numbers ({@code io.pinpipe.pipelines.io.kinesis.ShardAnchor}): {@code
   * pinpipe.kinesis-anchor.<stream>.<shard>}.
   */
  public static final String ANCHOR_PREFIX = "pinpipe.kinesis-anchor.";
  /** The snapshot summary's key of a commit's id: a retried commit with the same id is skipped. */
  public static final String COMMIT_ID = "pinpipe.commit-id";

  /**
   * A note's window start and end for the one global window of a bounded replay ({@code
   * --windowSeconds=0}), whose result rows have null {@code window_start}/{@code window_end}.
   */
  public static final long GLOBAL_WINDOW = Long.MIN_VALUE;

  private final IcebergCatalog catalog;
  /** A global replay's {@code ingestion_date} (epoch day), or null with windows. */
  private final Long replayDay;

  public StreamTables(IcebergCatalog catalog) {
    this(catalog, null);
  }

  private StreamTables(IcebergCatalog catalog, Long replayDay) {
    this.catalog = catalog;
    this.replayDay = replayDay;
  }

  /**
   * These tables for a replay into one global window, whose rows all get {@code day} as {@code
   * ingestion_date} (the job looks it up before it starts, docs/iceberg.md#one-global-window).
   */
  public StreamTables forGlobalReplay(java.time.LocalDate day) {
    return new StreamTables(catalog, day.toEpochDay());
  }

  /**
   * The {@code ingestion_date} of a window's rows: its start's UTC day (docs/iceberg.md#streaming says why not
   * each record's own), or the replay's day in the global window.
   */
  java.time.LocalDate dayOf(org.apache.beam.sdk.transforms.windowing.BoundedWindow window) {
    if (window instanceof org.apache.beam.sdk.transforms.windowing.IntervalWindow) {
      long start = ((org.apache.beam.sdk.transforms.windowing.IntervalWindow) window).start().getMillis();
      return java.time.LocalDate.ofEpochDay(Math.floorDiv(start, 86_400_000L));
    }
    if (replayDay == null) {
      throw new IllegalStateException("a global window's rows, but no replay day was given (forGlobalReplay)");
    }
    return java.time.LocalDate.ofEpochDay(replayDay);
  }

  /** A window's start in millis for a note, {@link #GLOBAL_WINDOW} for the global window. */
  static long startOf(org.apache.beam.sdk.transforms.windowing.BoundedWindow window) {
    return window instanceof org.apache.beam.sdk.transforms.windowing.IntervalWindow
        ? ((org.apache.beam.sdk.transforms.windowing.IntervalWindow) window).start().getMillis()
        : GLOBAL_WINDOW;
  }

  /** A window's end in millis for a note, {@link #GLOBAL_WINDOW} for the global window. */
  static long endOf(org.apache.beam.sdk.transforms.windowing.BoundedWindow window) {
    return window instanceof org.apache.beam.sdk.transforms.windowing.IntervalWindow
        ? ((org.apache.beam.sdk.transforms.windowing.IntervalWindow) window).end().getMillis()
        : GLOBAL_WINDOW;
  }

  /** A window's part of a data file's name: its start in millis, or {@code global}. */
  static String fileNameOf(org.apache.beam.sdk.transforms.windowing.BoundedWindow window) {
    long start = startOf(window);
    return start == GLOBAL_WINDOW ? "global" : Long.toString(start);
  }

  public IcebergCatalog catalogPlace() {
    return catalog;
  }

  public static TableIdentifier identifier(String table) {
    return TableIdentifier.of(Namespace.of(NAMESPACE), table);
  }

  /** The same fifteen names as batch's tables, in the order they are committed. */
  public static List<String> tableNames() {
    return BatchTables.tableNames();
  }

  static boolean isResult(String table) {
    for (QueryOutput output : QueryOutput.values()) {
      if (output.outputName().equals(table)) {
        return true;
      }
    }
    return false;
  }

  /** A table's columns as a Beam schema, before {@code ingestion_date}. */
  static org.apache.beam.sdk.schemas.Schema columnsOf(String table) {
    org.apache.beam.sdk.schemas.Schema batch = BatchTables.columnsOf(table);
    org.apache.beam.sdk.schemas.Schema.Builder columns = org.apache.beam.sdk.schemas.Schema.builder();
    for (RecordKind kind : RecordKind.values()) {
      if (table.equals(kind.id())) {
        batch.getFields().forEach(columns::addField);
        return columns.addStringField(ORIGIN).build();
      }
    }
    if (isResult(table)) {
      // Null in the rows of a bounded replay's one global window, which has no bounds.
      columns
          .addNullableField(WINDOW_START, org.apache.beam.sdk.schemas.Schema.FieldType.DATETIME)
          .addNullableField(WINDOW_END, org.apache.beam.sdk.schemas.Schema.FieldType.DATETIME);
      batch.getFields().forEach(columns::addField);
      return columns.build();
    }
    return batch;
  }

  /** The catalog, opened; close it when done. */
  public Catalog catalog() {
    return catalog.open();
  }

  /**
   * Drops the streaming tables of a Hadoop catalog on a local {@code warehouse} ({@code --overwrite}
   * on the output's own warehouse: the job wrote them): the namespace's folder is first renamed, in
   * one atomic step, to a hidden name beside it, then deleted. A kill before the rename leaves the
   * tables whole; after it, they are gone and what is left of the folder is deleted by the next
   * {@link #removeLeftOvers}. Nothing outside the folder is touched (a copied output's tables keep
   * their files). Returns whether there were tables to drop.
   */
  public static boolean dropLocal(java.nio.file.Path warehouse) throws java.io.IOException {
    java.nio.file.Path namespace = warehouse.resolve(NAMESPACE);
    if (!java.nio.file.Files.isDirectory(namespace)) {
      return false;
    }
    java.nio.file.Path dropped = warehouse.resolve(DROPPED_PREFIX + System.nanoTime());
    java.nio.file.Files.move(namespace, dropped, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    deleteTree(dropped);
    return true;
  }

  /** Deletes what a drop cut short left in a local {@code warehouse} (see {@link #dropLocal}). */
  public static void removeLeftOvers(java.nio.file.Path warehouse) throws java.io.IOException {
    if (!java.nio.file.Files.isDirectory(warehouse)) {
      return;
    }
    try (java.util.stream.Stream<java.nio.file.Path> entries = java.nio.file.Files.list(warehouse)) {
      for (java.nio.file.Path left : (Iterable<java.nio.file.Path>) entries::iterator) {
        if (left.getFileName().toString().startsWith(DROPPED_PREFIX)) {
          deleteTree(left);
        }
      }
    }
  }

  /** The hidden name a dropped namespace folder has until it is deleted. */
  static final String DROPPED_PREFIX = ".dropped-" + NAMESPACE + "-";

  private static void deleteTree(java.nio.file.Path root) throws java.io.IOException {
    try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(root)) {
      for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
        java.nio.file.Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Creates the tables that are not there yet and checks those that are have this version's
   * columns (before the pipeline starts).
   */
  public void createOrCheck() {
    Catalog opened = catalog();
    Map<String, Table> tables = new LinkedHashMap<>();
    try {
      for (String name : tableNames()) {
        Schema schema = BatchTables.schemaOf(columnsOf(name));
        TableIdentifier id = identifier(name);
        Table table;
        if (opened.tableExists(id)) {
          table = opened.loadTable(id);
          if (isResult(name) && table.schema().findField(WINDOW_START) != null
              && table.schema().findField(WINDOW_START).isRequired()) {
            // A result table of the version that had windows only: its window columns become
            // optional (a change of metadata only, no snapshot) so a global replay can write nulls.
            table.updateSchema().makeColumnOptional(WINDOW_START).makeColumnOptional(WINDOW_END).commit();
            table.refresh();
          }
        } else {
          PartitionSpec.Builder spec = PartitionSpec.builderFor(schema).identity(BatchTables.PARTITION_COLUMN);
          if (isResult(name)) {
            spec.identity(WINDOW_START);
          }
          try {
            table =
                opened.createTable(
                    id,
                    schema,
                    spec.build(),
                    Map.of(TableProperties.FORMAT_VERSION, "2", TableProperties.PARQUET_COMPRESSION, "snappy"));
          } catch (AlreadyExistsException e) {
            table = opened.loadTable(id);
          }
        }
        if (!BatchTables.shapeOf(table.schema().asStruct()).equals(BatchTables.shapeOf(schema.asStruct()))) {
          throw new IllegalArgumentException(
              "Iceberg table " + id + " in the " + catalog.describe() + " has other columns than this version writes: "
                  + table.schema().asStruct() + "; give another --warehouse or --catalogName");
        }
        tables.put(name, table);
      }
    } finally {
      BatchTables.closeFiles(tables);
      IcebergCatalog.close(opened);
    }
  }

  /**
   * Records {@code start} (by partition key {@code <topic>+<partition>+}, the first offset to read)
   * as the position of every table that has none yet, in a snapshot without data files, before the
   * read begins. For fresh tables started at the partitions' end offsets ({@code --startFrom=latest}):
   * a run stopped before its first commit then resumes from its own start, not from the end offsets
   * of the restart, which would leave what arrived in between in no table
   * (docs/iceberg.md#where-a-run-starts). The commit id says so; a table another run gave positions
   * first is left alone.
   */
  public void recordStart(Map<String, Long> start) {
    Map<String, Table> tables = load(tableNames());
    try {
      tables.forEach(
          (name, table) -> {
            if (!positions(table).isEmpty()) {
              return;
            }
            org.apache.iceberg.AppendFiles append = table.newAppend();
            append.set(COMMIT_ID, "start");
            // An empty range: the table holds nothing below these offsets and starts at them.
            start.forEach((partition, offset) -> append.set(summaryKey(partition), offset + "-" + offset));
            append.commit();
          });
    } finally {
      BatchTables.closeFiles(tables);
    }
  }

  /** The named tables, loaded, with the catalog closed again (close their files when done). */
  public Map<String, Table> load(List<String> names) {
    Catalog opened = catalog();
    try {
      Map<String, Table> tables = new LinkedHashMap<>();
      for (String name : names) {
        tables.put(name, opened.loadTable(identifier(name)));
      }
      return tables;
    } finally {
      IcebergCatalog.close(opened);
    }
  }

  /**
   * Each named table's current snapshot as a run's last lines show it: its id and rows, or that it
   * has none yet.
   */
  public Map<String, String> currentSnapshots(List<String> names) {
    Map<String, Table> tables = load(names);
    try {
      Map<String, String> described = new LinkedHashMap<>();
      tables.forEach(
          (name, table) -> {
            Snapshot current = table.currentSnapshot();
            described.put(
                name,
                current == null
                    ? "no snapshot yet"
                    : "current snapshot " + current.snapshotId() + ", " + current.summary().getOrDefault("total-records", "0") + " rows");
          });
      return described;
    } finally {
      BatchTables.closeFiles(tables);
    }
  }

  /**
   * Each table's recorded positions ({@link #positions(Table)}), by table name, as the catalog has
   * them now.
   */
  public Map<String, Map<String, Long>> positionsOfAll() {
    Map<String, Table> tables = load(tableNames());
    try {
      Map<String, Map<String, Long>> all = new LinkedHashMap<>();
      tables.forEach(
          (name, table) -> {
            Map<String, Long> positions = positions(table);
            if (positions.isEmpty() && table.currentSnapshot() != null) {
              // Resuming from the log's start would write every record it still holds into this
              // table again: its rows would be there twice.
              throw new io.pinpipe.pipelines.UserError(
                  "the table " + identifier(name) + " has snapshots but none with the streaming job's positions"
                      + " (were they expired by another tool?): the job cannot tell which records it holds; restore a"
                      + " snapshot that has them, or drop the streaming tables to start over (docs/iceberg.md)");
            }
            all.put(name, positions);
          });
      return all;
    } finally {
      BatchTables.closeFiles(tables);
    }
  }

  /**
   * Where a run resumes each partition ({@code <topic>+<partition>+}, with its earliest offset still
   * in the log): the lowest position any table recorded for it, or the earliest offset when a table
   * recorded none (never raised above a table's position, never below the log's start).
   */
  public static Map<String, Long> resumePositions(Map<String, Map<String, Long>> positions, Map<String, Long> earliest) {
    Map<String, Long> resume = new TreeMap<>();
    earliest.forEach(
        (partition, first) -> {
          long lowest = Long.MAX_VALUE;
          for (Map<String, Long> table : positions.values()) {
            Long position = table.get(partition);
            lowest = Math.min(lowest, position == null ? first : position);
          }
          resume.put(partition, Math.max(first, lowest == Long.MAX_VALUE ? first : lowest));
        });
    return resume;
  }

  /**
   * The newest snapshot of {@code table} that a streaming commit made (by sequence number, among all
   * the table keeps: an expiry may have taken the snapshots between it and the current one, which a
   * walk up the parents would stop at); a compaction's records no position.
   */
  static java.util.Optional<Snapshot> latestStreamCommit(Table table) {
    Snapshot latest = null;
    for (Snapshot snapshot : table.snapshots()) {
      boolean positions = snapshot.summary().keySet().stream().anyMatch(StreamTables::isPositionKey);
      if (positions && (latest == null || snapshot.sequenceNumber() > latest.sequenceNumber())) {
        latest = snapshot;
      }
    }
    return java.util.Optional.ofNullable(latest);
  }

  /**
   * The positions the latest streaming commit of {@code table} recorded ({@link
   * #latestStreamCommit}), by partition key {@code <topic>+<partition>+}: the first offset the table
   * does not hold.
   */
  public static Map<String, Long> positions(Table table) {
    Map<String, Long> positions = new TreeMap<>();
    latestStreamCommit(table)
        .ifPresent(
            snapshot -> {
              for (Map.Entry<String, String> entry : snapshot.summary().entrySet()) {
                if (isPositionKey(entry.getKey())) {
                  String range = entry.getValue();
                  positions.put(partitionKeyOf(entry.getKey()), Long.parseLong(range.substring(range.indexOf('-') + 1)));
                }
              }
            });
    return positions;
  }

  private static boolean isPositionKey(String summaryKey) {
    return summaryKey.startsWith(POSITION_PREFIX) || summaryKey.startsWith(SHARD_POSITION_PREFIX);
  }

  /**
   * The Kinesis shards' anchors the latest streaming commit of {@code table} recorded, by partition
   * key {@code <stream>/<shard>/}: a record below the table's position in that shard.
   */
  public static Map<String, ShardAnchor> anchors(Table table) {
    Map<String, ShardAnchor> anchors = new TreeMap<>();
    latestStreamCommit(table)
        .ifPresent(
            snapshot -> {
              for (Map.Entry<String, String> entry : snapshot.summary().entrySet()) {
                if (entry.getKey().startsWith(ANCHOR_PREFIX)) {
                  anchors.put(shardKeyOf(entry.getKey().substring(ANCHOR_PREFIX.length())), ShardAnchor.parse(entry.getValue()));
                }
              }
            });
    return anchors;
  }

  /** Each table's Kinesis anchors ({@link #anchors(Table)}), by table name, as the catalog has them now. */
  public Map<String, Map<String, ShardAnchor>> anchorsOfAll() {
    Map<String, Table> tables = load(tableNames());
    try {
      Map<String, Map<String, ShardAnchor>> all = new LinkedHashMap<>();
      tables.forEach((name, table) -> all.put(name, anchors(table)));
      return all;
    } finally {
      BatchTables.closeFiles(tables);
    }
  }

  /** {@code pinpipe.kinesis-anchor.<stream>.<shard>} of the shard key {@code <stream>/<shard>/}. */
  public static String anchorKey(String shardKey) {
    return ANCHOR_PREFIX + dotted(shardKey);
  }

  private static String dotted(String shardKey) {
    String trimmed = shardKey.substring(0, shardKey.length() - 1);
    int slash = trimmed.lastIndexOf('/');
    return trimmed.substring(0, slash) + "." + trimmed.substring(slash + 1);
  }

  /** {@code <stream>/<shard>/} of {@code <stream>.<shard>} (a shard id has no dot; a stream name may). */
  private static String shardKeyOf(String dotted) {
    int dot = dotted.lastIndexOf('.');
    return dotted.substring(0, dot) + "/" + dotted.substring(dot + 1) + "/";
  }

  /** The commit id of the latest streaming commit of {@code table}, if any. */
  static String latestCommitId(Table table) {
    return latestStreamCommit(table).map(snapshot -> snapshot.summary().get(COMMIT_ID)).orElse(null);
  }

  /**
   * {@code pinpipe.kafka.<topic>.<partition>} of the partition key {@code <topic>+<partition>+};
   * {@code pinpipe.kinesis.<stream>.<shard>} of a shard key {@code <stream>/<shard>/}.
   */
  public static String summaryKey(String partitionKey) {
    if (KinesisOrigins.isShardKey(partitionKey)) {
      return SHARD_POSITION_PREFIX + dotted(partitionKey);
    }
    String trimmed = partitionKey.substring(0, partitionKey.length() - 1);
    int plus = trimmed.lastIndexOf('+');
    return POSITION_PREFIX + trimmed.substring(0, plus) + "." + trimmed.substring(plus + 1);
  }

  /** The partition key ({@code <topic>+<partition>+} or {@code <stream>/<shard>/}) of a summary key. */
  public static String partitionKeyOf(String summaryKey) {
    if (summaryKey.startsWith(SHARD_POSITION_PREFIX)) {
      return shardKeyOf(summaryKey.substring(SHARD_POSITION_PREFIX.length()));
    }
    String rest = summaryKey.substring(POSITION_PREFIX.length());
    int dot = rest.lastIndexOf('.');
    return rest.substring(0, dot) + "+" + rest.substring(dot + 1) + "+";
  }

  static List<String> kindTables() {
    List<String> names = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      names.add(kind.id());
    }
    return names;
  }
}
