package io.pinpipe.transforms.queries;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * {@code Combine.perKey(fn)} with the combiner lifted by hand: each bundle first adds its own
 * elements into one accumulator per window and key, and only those accumulators are shuffled and
 * merged per key.
 *
 * <p>Why: Beam 2.62's FlinkRunner does not lift combiners in streaming, so every joined record
 * reached each query's keyed combine and cost a per-element trip through Beam's windowing
 * machinery and Flink's keyed state there; in batch it lifts them, but by serializing every element
 * into its combine's sort buffer first. The queries key millions of records by a few dozen groups,
 * so a bundle's partial accumulators are far fewer than its records (BENCHMARKS.md, optimisation 9).
 *
 * <p>Results and panes are those of {@code Combine.perKey}: a partial keeps its records' window
 * and carries the window's end as its timestamp (the timestamp {@code Combine.perKey} gives its
 * output by default), so it reaches the merge on time, or late within the allowed lateness,
 * exactly when its records would have; runners commit a bundle's output before the watermark
 * passes it (see {@link io.pinpipe.transforms.quality.BundleCounts}, which does the same for
 * counts). A bundle holds one accumulator per window and key it met, each emitted when it has
 * taken {@link #MAX_INPUTS_PER_PARTIAL} inputs or the bundle finishes.
 */
final class LiftedCombine<K, InputT, AccumT, OutputT>
    extends PTransform<PCollection<KV<K, InputT>>, PCollection<KV<K, OutputT>>> {
  /**
   * The most inputs a partial accumulator takes before it is emitted. A batch runner's bundle can be
   * a whole partition, and an accumulator that grows with its inputs (q6's set of persons) would
   * then become one huge record: Flink's batch sorter refuses a record larger than its sort buffer
   * ("Record too large"). 1,000 inputs still cut the elements to merge a thousandfold.
   */
  static final int MAX_INPUTS_PER_PARTIAL = 1_000;

  private final CombineFn<InputT, AccumT, OutputT> fn;

  private LiftedCombine(CombineFn<InputT, AccumT, OutputT> fn) {
    this.fn = Objects.requireNonNull(fn, "fn");
  }

  /** Like {@code Combine.perKey(fn)}; the input must have a {@link KvCoder}. */
  static <K, InputT, AccumT, OutputT> LiftedCombine<K, InputT, AccumT, OutputT> perKey(
      CombineFn<InputT, AccumT, OutputT> fn) {
    return new LiftedCombine<>(fn);
  }

  @Override
  public PCollection<KV<K, OutputT>> expand(PCollection<KV<K, InputT>> input) {
    if (!(input.getCoder() instanceof KvCoder)) {
      throw new IllegalArgumentException(
          "LiftedCombine needs a KvCoder on its input, found " + input.getCoder());
    }
    KvCoder<K, InputT> kvCoder = (KvCoder<K, InputT>) input.getCoder();
    Coder<AccumT> accumulatorCoder;
    try {
      accumulatorCoder =
          fn.getAccumulatorCoder(input.getPipeline().getCoderRegistry(), kvCoder.getValueCoder());
    } catch (CannotProvideCoderException e) {
      throw new IllegalStateException("no accumulator coder for " + fn.getClass().getName(), e);
    }
    return input
        .apply("CombinePerBundle", ParDo.of(new CombinePerBundleFn<>(fn, kvCoder.getKeyCoder())))
        .setCoder(KvCoder.of(kvCoder.getKeyCoder(), accumulatorCoder))
        .apply(
            "MergePerKey",
            Combine.perKey(new MergeAccumulatorsFn<>(fn, accumulatorCoder, kvCoder.getValueCoder())));
  }

  /**
   * Adds a bundle's elements into one accumulator per window and key; emits each when it holds
   * {@link #MAX_INPUTS_PER_PARTIAL} inputs, and the rest when the bundle finishes.
   */
  private static final class CombinePerBundleFn<K, InputT, AccumT>
      extends DoFn<KV<K, InputT>, KV<K, AccumT>> {
    private final CombineFn<InputT, AccumT, ?> fn;
    private final Coder<K> keyCoder;
    // window -> the key's structural value (equal for equal encodings) -> the key's partial
    private transient Map<BoundedWindow, Map<Object, Partial<K, AccumT>>> partials;

    CombinePerBundleFn(CombineFn<InputT, AccumT, ?> fn, Coder<K> keyCoder) {
      this.fn = fn;
      this.keyCoder = keyCoder;
    }

    @StartBundle
    public void startBundle() {
      partials = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element KV<K, InputT> element, BoundedWindow window, OutputReceiver<KV<K, AccumT>> out) {
      Map<Object, Partial<K, AccumT>> byKey = partials.computeIfAbsent(window, w -> new HashMap<>());
      Object key = keyCoder.structuralValue(element.getKey());
      Partial<K, AccumT> partial =
          byKey.computeIfAbsent(key, k -> new Partial<>(element.getKey(), fn.createAccumulator()));
      partial.accumulator = fn.addInput(partial.accumulator, element.getValue());
      if (++partial.inputs >= MAX_INPUTS_PER_PARTIAL) {
        out.outputWithTimestamp(
            KV.of(partial.key, fn.compact(partial.accumulator)), window.maxTimestamp());
        byKey.remove(key);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      partials.forEach(
          (window, byKey) ->
              byKey.values().forEach(
                  partial ->
                      context.output(
                          KV.of(partial.key, fn.compact(partial.accumulator)),
                          window.maxTimestamp(),
                          window)));
      partials.clear();
    }
  }

  /** A key's accumulator within a bundle, and how many inputs it holds. */
  private static final class Partial<K, AccumT> {
    final K key;
    AccumT accumulator;
    int inputs;

    Partial(K key, AccumT accumulator) {
      this.key = key;
      this.accumulator = accumulator;
    }
  }

  /** Merges the partial accumulators of a key into the final one, then extracts as {@code fn}. */
  private static final class MergeAccumulatorsFn<InputT, AccumT, OutputT>
      extends CombineFn<AccumT, AccumT, OutputT> {
    private final CombineFn<InputT, AccumT, OutputT> fn;
    private final Coder<AccumT> accumulatorCoder;
    private final Coder<InputT> inputCoder;

    MergeAccumulatorsFn(
        CombineFn<InputT, AccumT, OutputT> fn, Coder<AccumT> accumulatorCoder, Coder<InputT> inputCoder) {
      this.fn = fn;
      this.accumulatorCoder = accumulatorCoder;
      this.inputCoder = inputCoder;
    }

    @Override
    public AccumT createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public AccumT addInput(AccumT accumulator, AccumT partial) {
      // A partial is an input element here, which must not be modified, and fn's merge may reuse
      // any of its arguments: merge a copy. That costs the partial's size, not the running size.
      try {
        return fn.mergeAccumulators(
            Arrays.asList(accumulator, CoderUtils.clone(accumulatorCoder, partial)));
      } catch (CoderException e) {
        throw new IllegalStateException("cannot copy a partial accumulator", e);
      }
    }

    @Override
    public AccumT mergeAccumulators(Iterable<AccumT> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public AccumT compact(AccumT accumulator) {
      return fn.compact(accumulator);
    }

    @Override
    public OutputT extractOutput(AccumT accumulator) {
      return fn.extractOutput(accumulator);
    }

    @Override
    public Coder<AccumT> getAccumulatorCoder(CoderRegistry registry, Coder<AccumT> ignored) {
      return accumulatorCoder;
    }

    @Override
    public Coder<OutputT> getDefaultOutputCoder(CoderRegistry registry, Coder<AccumT> ignored)
        throws CannotProvideCoderException {
      return fn.getDefaultOutputCoder(registry, inputCoder);
    }
  }
}
