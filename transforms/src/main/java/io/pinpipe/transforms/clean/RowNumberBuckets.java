package io.pinpipe.transforms.clean;

/**
 * Spreads row numbers over a fixed number of buckets, the key for every grouping by row number.
 *
 * <p>Grouping by the row number itself gives one group per event: a million tiny groups, which
 * every runner pays for per group (DirectRunner makes each its own bundle, and took minutes for
 * a few thousand). Sixteen buckets keep DirectRunner's threads and a small cluster busy while
 * each group stays small enough to index in memory by row number; raise it for wide clusters.
 */
public final class RowNumberBuckets {
  private RowNumberBuckets() {}

  public static final int COUNT = 16;

  public static int of(long rowNumber) {
    return Math.floorMod(Long.hashCode(rowNumber * 0x9E3779B97F4A7C15L), COUNT);
  }
}
