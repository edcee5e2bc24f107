package io.pinpipe.transforms.onepass;

import java.io.Serializable;

/**
 * The bounds of every packed element ({@link RecordPack}, {@link PackedRows}, a shard of persons):
 * a pack is emitted once it holds {@code maxRecords} records or about {@code maxBytes} bytes, and a
 * step emits all its open packs once they hold {@code maxOpenBytes} together. Batch runners may make
 * a whole partition one bundle, so without bounds a pack would grow with the input (Flink's batch
 * sorter refuses a record larger than its sort buffer, "Record too large").
 */
public final class PackLimits implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_MAX_RECORDS = 4_096;
  public static final int DEFAULT_MAX_BYTES = 1 << 20;
  public static final long DEFAULT_MAX_OPEN_BYTES = 64L << 20;

  private final int maxRecords;
  private final int maxBytes;
  private final long maxOpenBytes;

  private PackLimits(int maxRecords, int maxBytes, long maxOpenBytes) {
    if (maxRecords < 1 || maxBytes < 1 || maxOpenBytes < maxBytes) {
      throw new IllegalArgumentException(
          "pack limits must be positive and the open bytes at least one pack's: "
              + maxRecords + " records, " + maxBytes + " bytes, " + maxOpenBytes + " open bytes");
    }
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.maxOpenBytes = maxOpenBytes;
  }

  public static PackLimits defaults() {
    return new PackLimits(DEFAULT_MAX_RECORDS, DEFAULT_MAX_BYTES, DEFAULT_MAX_OPEN_BYTES);
  }

  /** The limits of the command line; the open bytes stay at their default, or one pack's if larger. */
  public static PackLimits fromOptions(PackOptions options) {
    return new PackLimits(
        options.getMaxPackRecords(),
        options.getMaxPackBytes(),
        Math.max(DEFAULT_MAX_OPEN_BYTES, options.getMaxPackBytes()));
  }

  public static PackLimits of(int maxRecords, int maxBytes, long maxOpenBytes) {
    return new PackLimits(maxRecords, maxBytes, maxOpenBytes);
  }

  public int maxRecords() {
    return maxRecords;
  }

  public int maxBytes() {
    return maxBytes;
  }

  public long maxOpenBytes() {
    return maxOpenBytes;
  }

  /** True when a pack of {@code records} records and {@code bytes} bytes must be emitted. */
  public boolean full(int records, long bytes) {
    return records >= maxRecords || bytes >= maxBytes;
  }

  @Override
  public String toString() {
    return maxRecords + " records or " + maxBytes + " bytes a pack, " + maxOpenBytes + " bytes open";
  }
}
