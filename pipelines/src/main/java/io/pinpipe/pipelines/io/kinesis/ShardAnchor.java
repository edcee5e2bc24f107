package io.pinpipe.pipelines.io.kinesis;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.Objects;

/**
 * One Kinesis record that ties a shard's read ordinals to the stream (docs/iceberg.md#streaming-from-kinesis):
 * record number {@code ordinal} of the shard (counted from 0 in the shard's order)
 * is the record with this sequence number (and sub-sequence number, for a record a producer
 * aggregated), which arrived at {@code arrivalMillis} or later. A streaming commit records, per
 * shard, the anchor of a record below its position; a restart numbers the record after the anchor
 * {@code ordinal + 1}.
 *
 * <p>In a snapshot summary: {@code <ordinal>:<sequence number>:<sub-sequence number>:<arrival
 * millis>}.
 */
public final class ShardAnchor implements Serializable, Comparable<ShardAnchor> {
  private static final long serialVersionUID = 1L;

  public final long ordinal;
  public final String sequenceNumber;
  public final long subSequenceNumber;
  /**
   * The record's event time where its pack carried it, else the start of the window it went into,
   * in millis (in one global window, which has no start, the global window's last instant: no
   * time). Not a bound on its arrival: post assembly may put a record into a later window than
   * its own (docs/streaming.md#assembly-when-a-posts-records-move-on),
   * so a read started at this time could miss it. Recorded for people
   * reading the summary; the job does not use it.
   */
  public final long arrivalMillis;

  public ShardAnchor(long ordinal, String sequenceNumber, long subSequenceNumber, long arrivalMillis) {
    if (ordinal < 0) {
      throw new IllegalArgumentException("an ordinal is not negative: " + ordinal);
    }
    if (sequenceNumber.isEmpty() || !sequenceNumber.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a Kinesis sequence number: '" + sequenceNumber + "'");
    }
    this.ordinal = ordinal;
    this.sequenceNumber = sequenceNumber;
    this.subSequenceNumber = subSequenceNumber;
    this.arrivalMillis = arrivalMillis;
  }

  /** The anchor as a snapshot summary holds it ({@link #toString}). */
  public static ShardAnchor parse(String text) {
    String[] parts = text.split(":", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("not a shard anchor (ordinal:sequence:sub-sequence:arrival): '" + text + "'");
    }
    try {
      return new ShardAnchor(Long.parseLong(parts[0]), parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a shard anchor (ordinal:sequence:sub-sequence:arrival): '" + text + "'", e);
    }
  }

  /**
   * Orders records of one shard as the shard does: by sequence number (a number of up to 128 bits,
   * compared as a number), then by sub-sequence number.
   */
  public static int compareRecords(String sequenceA, long subA, String sequenceB, long subB) {
    int bySequence = new BigInteger(sequenceA).compareTo(new BigInteger(sequenceB));
    return bySequence != 0 ? bySequence : Long.compare(subA, subB);
  }

  /** Where the record of {@code sequence} and {@code sub} is in the shard relative to this anchor. */
  public int compareRecordTo(String sequence, long sub) {
    return compareRecords(sequence, sub, sequenceNumber, subSequenceNumber);
  }

  /** By ordinal (anchors of one shard). */
  @Override
  public int compareTo(ShardAnchor other) {
    return Long.compare(ordinal, other.ordinal);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardAnchor
        && ((ShardAnchor) o).ordinal == ordinal
        && ((ShardAnchor) o).sequenceNumber.equals(sequenceNumber)
        && ((ShardAnchor) o).subSequenceNumber == subSequenceNumber
        && ((ShardAnchor) o).arrivalMillis == arrivalMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ordinal, sequenceNumber, subSequenceNumber, arrivalMillis);
  }

  @Override
  public String toString() {
    return ordinal + ":" + sequenceNumber + ":" + subSequenceNumber + ":" + arrivalMillis;
  }
}
