package io.pinpipe.emulator.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Picks an item with probability proportional to its integer weight (a measured count). */
final class WeightedTable<T> {
  private final List<T> items;
  private final long[] cumulative;

  WeightedTable(List<T> items, long[] weights) {
    if (items.isEmpty() || items.size() != weights.length) {
      throw new IllegalArgumentException("need one positive weight per item, at least one item");
    }
    this.items = List.copyOf(items);
    this.cumulative = new long[weights.length];
    long total = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] <= 0) {
        throw new IllegalArgumentException("weight of " + items.get(i) + " must be positive");
      }
      total += weights[i];
      cumulative[i] = total;
    }
  }

  /** Consecutive integers {@code first, first + 1, ...} weighted by {@code counts}; zero counts are left out. */
  static WeightedTable<Integer> ofRange(int first, int... counts) {
    List<Integer> values = new ArrayList<>();
    List<Long> weights = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        values.add(first + i);
        weights.add((long) counts[i]);
      }
    }
    return new WeightedTable<>(values, weights.stream().mapToLong(Long::longValue).toArray());
  }

  T pick(SplittableRandom random) {
    long x = random.nextLong(cumulative[cumulative.length - 1]);
    int i = Arrays.binarySearch(cumulative, x);
    // the first cumulative weight above x
    return items.get(i >= 0 ? i + 1 : -i - 1);
  }

  List<T> items() {
    return items;
  }

  int size() {
    return items.size();
  }
}
