package io.pinpipe.transforms.quality;

import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Counts summed within a bundle, per window and key, and emitted when the bundle finishes: the
 * combiner lifting a runner does in front of a shuffle, done by hand. Beam 2.62's FlinkRunner does
 * not lift combiners in streaming, so every count element used to reach the job's summary combine
 * (a single key, so a single task) and cost a keyed-state update there: 15% of the streaming job's
 * CPU samples, and a ceiling of about 3,900 events/s on any number of cores
 * (BENCHMARKS.md#7-quality-counts-summed-per-bundle-in-front-of-the-summary). Post assembly's counts are summed this way; the one-pass composite adds its
 * counts into its per-bundle partials instead.
 *
 * <p>Nothing is lost or moved to another window: a sum keeps its records' window and carries the
 * window's end as its timestamp, so it reaches that window's summary exactly when (on time, or late
 * within the allowed lateness) its records' own counts would have. A runner commits a bundle's
 * output before the watermark passes it (FlinkRunner's {@code DoFnOperator} holds its output
 * watermark while a bundle is open).
 */
public final class BundleCounts {
  private final Map<BoundedWindow, Map<String, Long>> sums = new HashMap<>();

  /** Adds {@code n} to {@code key}'s count in {@code window}. */
  public void add(BoundedWindow window, String key, long n) {
    sums.computeIfAbsent(window, w -> new HashMap<>()).merge(key, n, Long::sum);
  }

  public void add(BoundedWindow window, KV<String, Long> count) {
    add(window, count.getKey(), count.getValue());
  }

  /** Emits the bundle's sums to the output {@code tag}, then forgets them. */
  public void emitTo(DoFn<?, ?>.FinishBundleContext context, TupleTag<KV<String, Long>> tag) {
    sums.forEach(
        (window, counts) ->
            counts.forEach((key, n) -> context.output(tag, KV.of(key, n), window.maxTimestamp(), window)));
    sums.clear();
  }

  /** Emits the bundle's sums to the main output, then forgets them. */
  public void emitTo(DoFn<?, KV<String, Long>>.FinishBundleContext context) {
    sums.forEach(
        (window, counts) ->
            counts.forEach((key, n) -> context.output(KV.of(key, n), window.maxTimestamp(), window)));
    sums.clear();
  }

  /** Sums {@code KV<key, n>} count elements per key, window and bundle. */
  public static PTransform<PCollection<KV<String, Long>>, PCollection<KV<String, Long>>> summed() {
    return new PTransform<PCollection<KV<String, Long>>, PCollection<KV<String, Long>>>() {
      @Override
      public PCollection<KV<String, Long>> expand(PCollection<KV<String, Long>> input) {
        return input.apply("SumPerBundle", ParDo.of(new SumFn())).setCoder(COUNT_CODER);
      }
    };
  }

  private static final KvCoder<String, Long> COUNT_CODER = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());

  private static final class SumFn extends DoFn<KV<String, Long>, KV<String, Long>> {
    private transient BundleCounts counts;

    @StartBundle
    public void startBundle() {
      counts = new BundleCounts();
    }

    @ProcessElement
    public void process(@Element KV<String, Long> count, BoundedWindow window) {
      counts.add(window, count);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      counts.emitTo(context);
    }
  }
}
