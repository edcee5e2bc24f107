package io.pinpipe.pipelines.io.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Offsets of one partition that went into one window within one bundle, as sorted, disjoint,
 * half-open ranges {@code [start, end)}, and when that window is written: once the watermark after
 * every writer has passed {@link #writtenAfter()}, the window's end plus its allowed lateness,
 * every pane of the window is in its files (docs/streaming.md#restarts-what-resumes-where).
 */
public final class WrittenOffsets {
  private final long writtenAfter;
  private final long[] ranges;

  WrittenOffsets(long writtenAfter, long[] ranges) {
    if (ranges.length % 2 != 0) {
      throw new IllegalArgumentException("ranges come in (start, end) pairs");
    }
    this.writtenAfter = writtenAfter;
    this.ranges = ranges;
  }

  /** Ranges from offsets in any order, duplicates allowed; {@code offsets} is sorted in place. */
  static WrittenOffsets of(long writtenAfter, long[] offsets, int count) {
    Arrays.sort(offsets, 0, count);
    long[] ranges = new long[Math.max(2, count * 2)];
    int n = 0;
    for (int i = 0; i < count; i++) {
      long offset = offsets[i];
      if (n > 0 && offset <= ranges[n - 1]) {
        ranges[n - 1] = Math.max(ranges[n - 1], offset + 1);
      } else {
        ranges[n++] = offset;
        ranges[n++] = offset + 1;
      }
    }
    return new WrittenOffsets(writtenAfter, Arrays.copyOf(ranges, n));
  }

  /** Event time (millis) after which the window holding these offsets is completely written. */
  public long writtenAfter() {
    return writtenAfter;
  }

  public int rangeCount() {
    return ranges.length / 2;
  }

  public long start(int range) {
    return ranges[range * 2];
  }

  public long end(int range) {
    return ranges[range * 2 + 1];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WrittenOffsets
        && ((WrittenOffsets) o).writtenAfter == writtenAfter
        && Arrays.equals(((WrittenOffsets) o).ranges, ranges);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(writtenAfter) * 31 + Arrays.hashCode(ranges);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("WrittenOffsets{after ").append(writtenAfter).append(':');
    for (int r = 0; r < rangeCount(); r++) {
      s.append(" [").append(start(r)).append(',').append(end(r)).append(')');
    }
    return s.append('}').toString();
  }

  /** Time, then the ranges as a count and deltas (small numbers for consecutive offsets). */
  public static final class Coder extends CustomCoder<WrittenOffsets> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(WrittenOffsets value, OutputStream out) throws IOException {
      VarLongCoder.of().encode(value.writtenAfter, out);
      VarIntCoder.of().encode(value.ranges.length, out);
      long previous = 0;
      for (long bound : value.ranges) {
        VarLongCoder.of().encode(bound - previous, out);
        previous = bound;
      }
    }

    @Override
    public WrittenOffsets decode(InputStream in) throws IOException {
      long writtenAfter = VarLongCoder.of().decode(in);
      long[] ranges = new long[VarIntCoder.of().decode(in)];
      long previous = 0;
      for (int i = 0; i < ranges.length; i++) {
        ranges[i] = previous + VarLongCoder.of().decode(in);
        previous = ranges[i];
      }
      return new WrittenOffsets(writtenAfter, ranges);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
