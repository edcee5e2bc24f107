package io.pinpipe.transforms.aggregate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Merges combiner accumulators into the largest of them rather than into a fresh one.
 *
 * <p>Why: FlinkRunner's batch combine merges a running accumulator with one partial at a time
 * ({@code mergeAccumulators(running, next)} per partial). Copying into a fresh accumulator then
 * costs the running size for every partial, which is quadratic in the number of partials: on
 * 10,000,000 events it was 54% of the job's CPU (BENCHMARKS.md#8-accumulators-merged-in-place-not-copied).
 * Beam's {@code CombineFn} contract lets {@code mergeAccumulators} modify its arguments and return one of them.
 */
public final class MergeIntoLargest {
  private MergeIntoLargest() {}

  /**
   * Adds every accumulator into the largest by {@code size} and returns it, or a new empty one when
   * there is none. {@code addInto.accept(target, other)} adds {@code other} into {@code target}.
   */
  public static <A> A merge(
      Iterable<A> accumulators, ToIntFunction<A> size, BiConsumer<A, A> addInto, Supplier<A> empty) {
    List<A> all = new ArrayList<>();
    accumulators.forEach(all::add);
    if (all.isEmpty()) {
      return empty.get();
    }
    A target = all.get(0);
    for (A accumulator : all) {
      if (size.applyAsInt(accumulator) > size.applyAsInt(target)) {
        target = accumulator;
      }
    }
    for (A accumulator : all) {
      if (accumulator != target) {
        addInto.accept(target, accumulator);
      }
    }
    return target;
  }
}
