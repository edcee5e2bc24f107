package io.pinpipe.pipelines.iceberg;

import java.io.Serializable;
import org.apache.iceberg.DataFile;

/**
 * What reaches the streaming tables' commit step ({@link CommitStreamTables}): either a data file a
 * writer wrote for one table and window, or the offsets of one Kafka partition that went into a
 * window (from one bundle). A window is named by {@code writtenAfter}, its end plus the allowed
 * lateness: once the watermark after every writer has passed it, all of the window's files and
 * offsets are in.
 */
public final class StreamNote implements Serializable {
  private static final long serialVersionUID = 1L;

  final long writtenAfter;
  final long windowStart;
  final long windowEnd;
  /** A file's table, or null for offsets. */
  final String table;
  final DataFile file;
  /** Offsets' partition key, {@code <topic>+<partition>+}. */
  final String partition;
  /** Offsets as sorted, disjoint {@code [start, end)} pairs. */
  final long[] ranges;

  private StreamNote(
      long writtenAfter, long windowStart, long windowEnd, String table, DataFile file, String partition, long[] ranges) {
    this.writtenAfter = writtenAfter;
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.table = table;
    this.file = file;
    this.partition = partition;
    this.ranges = ranges;
  }

  static StreamNote file(String table, DataFile file, long windowStart, long windowEnd, long writtenAfter) {
    return new StreamNote(writtenAfter, windowStart, windowEnd, table, file, null, null);
  }

  public static StreamNote offsets(String partition, long writtenAfter, long[] ranges) {
    return new StreamNote(writtenAfter, Long.MIN_VALUE, Long.MIN_VALUE, null, null, partition, ranges);
  }

  boolean isFile() {
    return table != null;
  }
}
