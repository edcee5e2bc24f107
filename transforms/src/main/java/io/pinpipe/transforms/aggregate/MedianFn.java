package io.pinpipe.transforms.aggregate;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.NullableCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * The median of long values, exact ({@link Median#EXACT}: the mean of the two middle values for an
 * even count, like SQL {@code PERCENTILE_CONT(0.5)}) or lower ({@link Median#LOWER}: the value at
 * 1-based rank ceil(n/2) of the sorted values).
 *
 * <p>The accumulator is a histogram, value to number of occurrences: follower counts repeat a lot
 * ({@code 26k} is 26000 for every poster who has it), so it stays far smaller than the list of
 * values while still giving the exact answer. Nulls are ignored; the median of no value is null.
 */
public final class MedianFn extends CombineFn<Long, Map<Long, Long>, Double> {
  private static final long serialVersionUID = 1L;

  private final Median median;

  public MedianFn(Median median) {
    this.median = Objects.requireNonNull(median, "median");
  }

  @Override
  public Map<Long, Long> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<Long, Long> addInput(Map<Long, Long> histogram, Long value) {
    if (value != null) {
      histogram.merge(value, 1L, Long::sum);
    }
    return histogram;
  }

  @Override
  public Map<Long, Long> mergeAccumulators(Iterable<Map<Long, Long>> histograms) {
    return MergeIntoLargest.merge(
        histograms,
        Map::size,
        (into, other) -> other.forEach((value, count) -> into.merge(value, count, Long::sum)),
        this::createAccumulator);
  }

  @Override
  public Double extractOutput(Map<Long, Long> histogram) {
    long n = 0;
    for (long count : histogram.values()) {
      n += count;
    }
    if (n == 0) {
      return null;
    }
    TreeMap<Long, Long> sorted = new TreeMap<>(histogram);
    long lowerRank = (n + 1) / 2; // ceil(n/2), 1-based
    long lower = valueAtRank(sorted, lowerRank);
    if (median == Median.LOWER || n % 2 == 1) {
      return (double) lower;
    }
    long upper = valueAtRank(sorted, lowerRank + 1);
    // Halve before adding: exact for |values| < 2^52 and cannot overflow.
    return lower / 2.0 + upper / 2.0;
  }

  /** The value at 1-based {@code rank} of the values the histogram counts. */
  private static long valueAtRank(TreeMap<Long, Long> sorted, long rank) {
    long seen = 0;
    for (Map.Entry<Long, Long> entry : sorted.entrySet()) {
      seen += entry.getValue();
      if (seen >= rank) {
        return entry.getKey();
      }
    }
    throw new IllegalStateException("rank " + rank + " beyond " + seen + " values");
  }

  @Override
  public Coder<Map<Long, Long>> getAccumulatorCoder(
      CoderRegistry registry, Coder<Long> inputCoder) {
    return MapCoder.of(VarLongCoder.of(), VarLongCoder.of());
  }

  @Override
  public Coder<Double> getDefaultOutputCoder(CoderRegistry registry, Coder<Long> inputCoder) {
    return NullableCoder.of(DoubleCoder.of());
  }
}
