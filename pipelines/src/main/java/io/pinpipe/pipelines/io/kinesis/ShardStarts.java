package io.pinpipe.pipelines.io.kinesis;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a run of the streaming job numbers each Kinesis shard's records from, as the Iceberg tables
 * recorded it (docs/iceberg.md#streaming-from-kinesis). Shards are named by their partition key
 * {@code <stream>/<shard>/} ({@link KinesisOrigins}).
 *
 * <p>A shard every table recorded an anchor for continues after the lowest of those anchors (the
 * read drops the records up to it; every table holds them). A shard some table has no anchor for
 * (a table that holds none of its records: a shard first committed in a commit that a kill cut
 * between two tables, or one whose first commits carried no record) is numbered from its first
 * record read, as the run that first read it numbered it: from the stream's trim horizon. Every
 * anchor any table recorded is kept, so that the read can check, when it numbers a record with an
 * anchor's ordinal, that it is the same record ({@link ShardOrdinals}).
 */
public final class ShardStarts implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<String, ShardAnchor> after = new TreeMap<>();
  private final TreeMap<String, TreeMap<Long, ShardAnchor>> recorded = new TreeMap<>();

  private ShardStarts() {}

  /** No shard recorded: every shard numbered from its first record. */
  public static ShardStarts none() {
    return new ShardStarts();
  }

  /**
   * @param positions each table's positions by partition key (every table, also those that recorded
   *     nothing)
   * @param anchors each table's anchors by partition key, for the tables' Kinesis shards
   */
  public static ShardStarts of(
      Map<String, Map<String, Long>> positions, Map<String, Map<String, ShardAnchor>> anchors) {
    ShardStarts starts = new ShardStarts();
    TreeSet<String> shards = new TreeSet<>();
    positions.values().forEach(p -> p.keySet().stream().filter(KinesisOrigins::isShardKey).forEach(shards::add));
    anchors.values().forEach(a -> shards.addAll(a.keySet()));
    for (String shard : shards) {
      ShardAnchor lowest = null;
      boolean everyTable = true;
      for (String table : positions.keySet()) {
        ShardAnchor anchor = anchors.getOrDefault(table, Map.of()).get(shard);
        if (anchor == null) {
          everyTable = false;
          continue;
        }
        starts.recorded.computeIfAbsent(shard, s -> new TreeMap<>()).merge(anchor.ordinal, anchor, ShardStarts::same);
        if (lowest == null || anchor.ordinal < lowest.ordinal) {
          lowest = anchor;
        }
      }
      if (everyTable && lowest != null) {
        starts.after.put(shard, lowest);
      }
    }
    return starts;
  }

  private static ShardAnchor same(ShardAnchor a, ShardAnchor b) {
    if (!a.sequenceNumber.equals(b.sequenceNumber) || a.subSequenceNumber != b.subSequenceNumber) {
      throw new IllegalStateException(
          "two tables recorded different records as the shard's record " + a.ordinal + ": " + a + " and " + b
              + " (docs/iceberg.md, \"Streaming from Kinesis\")");
    }
    return a.arrivalMillis <= b.arrivalMillis ? a : b;
  }

  /** The anchor the read of {@code shardKey} continues after, or null: from the shard's first record. */
  public @Nullable ShardAnchor after(String shardKey) {
    return after.get(shardKey);
  }

  /** Every table's anchor of {@code shardKey}, by ordinal (empty if none). */
  public NavigableMap<Long, ShardAnchor> recorded(String shardKey) {
    TreeMap<Long, ShardAnchor> anchors = recorded.get(shardKey);
    return anchors == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(anchors);
  }

  /** Every shard key some table recorded an anchor of. */
  public TreeSet<String> anchoredShards() {
    return new TreeSet<>(recorded.keySet());
  }

  /** The anchors the reads continue after, by partition key (what the commit step starts from). */
  public Map<String, ShardAnchor> starts() {
    return Collections.unmodifiableMap(after);
  }

  /** The shards numbered from their first record although a table recorded an anchor for them. */
  public TreeSet<String> fromFirstRecordDespiteAnchors() {
    TreeSet<String> shards = new TreeSet<>(recorded.keySet());
    shards.removeAll(after.keySet());
    return shards;
  }

  @Override
  public String toString() {
    return after.isEmpty() ? "every shard from its first record" : "after " + after;
  }
}
