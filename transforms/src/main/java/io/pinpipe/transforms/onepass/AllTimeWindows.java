package io.pinpipe.transforms.onepass;

import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.joda.time.Duration;

/**
 * One window that holds every timestamp an element of the global window can have, as an {@link
 * IntervalWindow}: the same grouping as the global window, told apart from it only by its type.
 *
 * <p>Why: SparkRunner (Beam 2.62) translates a GroupByKey in the global window into Spark's {@code
 * combineByKey}, which gathers each key's values into one in-memory list on both sides of the
 * shuffle and then caches the grouped collection ({@code
 * GroupNonMergingWindowsFunctions.groupByKeyInGlobalWindow}); Spark sizes those few large lists by
 * sampling, underestimates them and spills too late, so a task held half the input on heap and
 * 10,000,000 events ran out of 8 GB (BENCHMARKS.md). In any other non-merging window it sorts and
 * streams each key's values to the step after the grouping, within Spark's spill accounting and
 * with nothing cached ({@code groupByKeyAndWindow}). {@link CleanAndQuery#withSortedGroupings()}
 * groups in this window and puts the groups back into the global window at once, so nothing after
 * the grouping sees a difference.
 */
final class AllTimeWindows extends NonMergingWindowFn<Object, IntervalWindow> {
  /** From the earliest timestamp to just after the global window's last one. */
  static final IntervalWindow WINDOW =
      new IntervalWindow(
          BoundedWindow.TIMESTAMP_MIN_VALUE, GlobalWindow.INSTANCE.maxTimestamp().plus(Duration.millis(1)));

  private static final List<IntervalWindow> ONLY = List.of(WINDOW);

  @Override
  public Collection<IntervalWindow> assignWindows(AssignContext context) {
    return ONLY;
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof AllTimeWindows;
  }

  @Override
  public Coder<IntervalWindow> windowCoder() {
    return IntervalWindow.getCoder();
  }

  @Override
  public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException("AllTimeWindows is only for a grouping, not for side inputs");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AllTimeWindows;
  }

  @Override
  public int hashCode() {
    return AllTimeWindows.class.hashCode();
  }
}
