package io.pinpipe.pipelines.io.kafka;

import java.util.Map;
import java.util.TreeMap;

/**
 * Sets of offsets as disjoint {@code [start, end)} ranges keyed by start: the Kafka offset commits'
 * bookkeeping ({@link PartitionProgress}) and the streaming Iceberg commits' ({@code
 * iceberg/TablePositions}).
 */
public final class OffsetRanges {
  private OffsetRanges() {}

  /** Adds {@code [start, end)} to {@code ranges}, merging what overlaps or touches. */
  public static void add(TreeMap<Long, Long> ranges, long start, long end) {
    if (end <= start) {
      return;
    }
    Map.Entry<Long, Long> before = ranges.floorEntry(start);
    if (before != null && before.getValue() >= start) {
      start = before.getKey();
      end = Math.max(end, before.getValue());
      ranges.remove(before.getKey());
    }
    for (Map.Entry<Long, Long> after = ranges.ceilingEntry(start);
        after != null && after.getKey() <= end;
        after = ranges.ceilingEntry(start)) {
      end = Math.max(end, after.getValue());
      ranges.remove(after.getKey());
    }
    ranges.put(start, end);
  }

  /** {@code ranges} as a flat array {@code [start0, end0, start1, end1, ...]}, in order: a compact state value. */
  public static long[] toPairs(TreeMap<Long, Long> ranges) {
    long[] out = new long[ranges.size() * 2];
    int i = 0;
    for (Map.Entry<Long, Long> r : ranges.entrySet()) {
      out[i++] = r.getKey();
      out[i++] = r.getValue();
    }
    return out;
  }
}
