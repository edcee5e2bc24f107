package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.queries.PinterestQueries;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/** Merges a window's partials into one: the queries' accumulators, and the counts summed. */
final class MergePartialsFn extends CombineFn<WindowPartial, WindowPartial, WindowPartial> {
  private final PinterestQueries queries;
  private final Coder<WindowPartial> coder;

  MergePartialsFn(PinterestQueries queries, Coder<WindowPartial> coder) {
    this.queries = queries;
    this.coder = coder;
  }

  @Override
  public WindowPartial createAccumulator() {
    return WindowPartial.empty(queries);
  }

  /**
   * Merges a copy of {@code partial}: merging reuses the largest accumulator, and a combine's input
   * must not be changed.
   */
  @Override
  public WindowPartial addInput(WindowPartial merged, WindowPartial partial) {
    try {
      return mergeAccumulators(List.of(merged, CoderUtils.clone(coder, partial)));
    } catch (CoderException e) {
      throw new IllegalStateException("cannot copy a partial result", e);
    }
  }

  @Override
  public WindowPartial mergeAccumulators(Iterable<WindowPartial> partials) {
    List<Object[]> accumulators = new ArrayList<>();
    WindowPartial merged = null;
    for (WindowPartial partial : partials) {
      accumulators.add(partial.queries);
      if (merged == null) {
        merged = partial;
      } else {
        WindowPartial target = merged;
        partial.counts.forEach(target::count);
      }
    }
    if (merged == null) {
      return createAccumulator();
    }
    return new WindowPartial(queries.mergeAccumulators(accumulators), merged.counts);
  }

  @Override
  public WindowPartial extractOutput(WindowPartial merged) {
    return merged;
  }

  @Override
  public Coder<WindowPartial> getAccumulatorCoder(CoderRegistry registry, Coder<WindowPartial> input)
      throws CannotProvideCoderException {
    return coder;
  }

  @Override
  public Coder<WindowPartial> getDefaultOutputCoder(CoderRegistry registry, Coder<WindowPartial> input) {
    return coder;
  }
}
