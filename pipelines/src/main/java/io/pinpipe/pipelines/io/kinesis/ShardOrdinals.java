package io.pinpipe.pipelines.io.kinesis;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Numbers the records of a Kinesis read per shard (docs/iceberg.md#streaming-from-kinesis): the
 * n-th record of a shard, in the shard's order, is its record {@code n} (its ordinal), counted
 * from the tables' anchor ({@link ShardStarts}) so that the numbering is the one the tables'
 * positions were recorded in. Sequence numbers are up to 128 bits and far apart; the tables'
 * offset bookkeeping needs dense numbers, and ordinals are.
 *
 * <p>Per shard: with an anchor, every record up to the anchor's is dropped (every table holds it)
 * and the record after it is numbered {@code anchor.ordinal + 1}; a first record above the anchor,
 * the anchor not read, stops the read ({@link AnchorNotSeen}): the records between them may have
 * been trimmed by the stream's retention, and numbering on would shift every ordinal. Without an
 * anchor the shard's first record read is 0. Where a table recorded an anchor, the record numbered
 * with its ordinal must be the anchor's record, or the read stops ({@link NumberingDiverged}).
 *
 * <p>The ordinal of each shard's next record ({@link #next()}) goes into the reader's checkpoint
 * mark: a runner that restores the read continues the numbering. A plain class (no Beam), tested by
 * {@code ShardOrdinalsTest}.
 */
public final class ShardOrdinals {
  /** {@link #number}'s answer for a record the tables hold already (at or before the anchor). */
  public static final long DROPPED = -1;

  private final ShardStarts starts;
  /** Per shard key: the ordinal of its next record, once its numbering has begun. */
  private final TreeMap<String, Long> next;

  public ShardOrdinals(ShardStarts starts, Map<String, Long> next) {
    this.starts = starts;
    this.next = new TreeMap<>(next);
  }

  /**
   * The ordinal of the record read next from shard {@code shardKey} ({@code <stream>/<shard>/}), with
   * its sequence and sub-sequence numbers, or {@link #DROPPED}.
   *
   * @throws AnchorNotSeen if the shard's first record read is above its anchor
   * @throws NumberingDiverged if a table's anchor names another record for this ordinal
   */
  public long number(String shardKey, String sequenceNumber, long subSequenceNumber) {
    Long ordinal = next.get(shardKey);
    if (ordinal == null) {
      ShardAnchor anchor = starts.after(shardKey);
      if (anchor == null) {
        ordinal = 0L;
      } else {
        int where = anchor.compareRecordTo(sequenceNumber, subSequenceNumber);
        if (where < 0) {
          return DROPPED;
        }
        if (where == 0) {
          next.put(shardKey, anchor.ordinal + 1);
          return DROPPED;
        }
        throw new AnchorNotSeen(shardKey, anchor, sequenceNumber, subSequenceNumber);
      }
    }
    ShardAnchor recorded = starts.recorded(shardKey).get(ordinal);
    if (recorded != null && recorded.compareRecordTo(sequenceNumber, subSequenceNumber) != 0) {
      throw new NumberingDiverged(shardKey, recorded, sequenceNumber, subSequenceNumber);
    }
    next.put(shardKey, ordinal + 1);
    return ordinal;
  }

  /** Per shard key, the ordinal of its next record, for the shards whose numbering has begun. */
  public Map<String, Long> next() {
    return new TreeMap<>(next);
  }

  /** The anchors a table recorded for {@code shardKey} (for messages and tests). */
  NavigableMap<Long, ShardAnchor> recorded(String shardKey) {
    return starts.recorded(shardKey);
  }

  private static String record(String sequenceNumber, long subSequenceNumber) {
    return sequenceNumber + (subSequenceNumber == 0 ? "" : ":" + subSequenceNumber);
  }

  /** The shard's first record read is above the anchor: what lay between may be gone. */
  public static final class AnchorNotSeen extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    AnchorNotSeen(String shardKey, ShardAnchor anchor, String sequenceNumber, long subSequenceNumber) {
      super(
          "Kinesis shard " + shardKey + ": the first record read has sequence number "
              + record(sequenceNumber, subSequenceNumber) + ", above the record the Iceberg tables resume after ("
              + record(anchor.sequenceNumber, anchor.subSequenceNumber) + ", the shard's record " + anchor.ordinal
              + "), which the read, from the stream's trim horizon, never met: the stream's retention has removed it,"
              + " and perhaps records after it that the tables do not hold. The job stops rather than skip them"
              + " unseen. To go on without them, drop the streaming tables (or move --warehouse) and start again;"
              + " see docs/iceberg.md, \"Streaming from Kinesis\"");
    }
  }

  /** A table recorded another record for an ordinal than the read numbers so. */
  public static final class NumberingDiverged extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NumberingDiverged(String shardKey, ShardAnchor recorded, String sequenceNumber, long subSequenceNumber) {
      super(
          "Kinesis shard " + shardKey + ": this run numbers the record with sequence number "
              + record(sequenceNumber, subSequenceNumber) + " as the shard's record " + recorded.ordinal
              + ", but an Iceberg table recorded " + record(recorded.sequenceNumber, recorded.subSequenceNumber)
              + " as that record: the shard's oldest records were removed by the stream's retention after a table"
              + " committed them and before every table did, so the tables cannot be resumed exactly. The job stops;"
              + " see docs/iceberg.md, \"Streaming from Kinesis\"");
    }
  }
}
