package io.pinpipe.transforms.clean;

/**
 * Spreads row numbers over buckets, the key for every grouping by row number (duplicate removal,
 * the joins, streaming post assembly).
 *
 * <p>Grouping by the row number itself gives one group per event: a million tiny groups, which
 * every runner pays for per group (DirectRunner makes each its own bundle). A fixed number of
 * buckets goes wrong the other way: each group grows with the input and is held in memory by the
 * step that reads it, so 10,000,000 events in 16 buckets filled an 8 GB heap (BENCHMARKS.md).
 *
 * <p>So a bucket is one of {@link #PER_SPAN} scattered parts of a span of {@link #SPAN}
 * consecutive row numbers. Row numbers are the source tables' key, dense in the original data and
 * in the generator's (docs/semantics.md), so the number of buckets grows with the input and a group
 * holds about {@code SPAN / PER_SPAN} row numbers whatever the input size; the scatter keeps
 * records arriving in row-number order (a live stream) on {@link #PER_SPAN} keys at once, so
 * streaming state stays spread over workers.
 */
public final class RowNumberBuckets {
  private RowNumberBuckets() {}

  /** Consecutive row numbers that share {@link #PER_SPAN} buckets. */
  public static final long SPAN = 1L << 16;

  /** Buckets each span is scattered over: enough for DirectRunner's threads and a small cluster. */
  public static final int PER_SPAN = 16;

  public static int of(long rowNumber) {
    long span = Math.floorDiv(rowNumber, SPAN);
    int part = Math.floorMod(Long.hashCode(rowNumber * 0x9E3779B97F4A7C15L), PER_SPAN);
    // Distinct spans get distinct keys for row numbers in [0, 2^43); elsewhere (negative or huge
    // row numbers) spans may share a key, which only merges their groups.
    return Long.hashCode(span) * PER_SPAN + part;
  }
}
