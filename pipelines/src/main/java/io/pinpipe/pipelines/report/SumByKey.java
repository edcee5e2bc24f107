package io.pinpipe.pipelines.report;

import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.KV;

/** Sums counts per key into one sorted map: all of a run's counts in one element. */
public final class SumByKey
    extends Combine.CombineFn<KV<String, Long>, Map<String, Long>, Map<String, Long>> {

  @Override
  public Map<String, Long> createAccumulator() {
    return new TreeMap<>();
  }

  @Override
  public Map<String, Long> addInput(Map<String, Long> sums, KV<String, Long> count) {
    sums.merge(count.getKey(), count.getValue(), Long::sum);
    return sums;
  }

  @Override
  public Map<String, Long> mergeAccumulators(Iterable<Map<String, Long>> accumulators) {
    Map<String, Long> merged = new TreeMap<>();
    accumulators.forEach(sums -> sums.forEach((k, n) -> merged.merge(k, n, Long::sum)));
    return merged;
  }

  @Override
  public Map<String, Long> extractOutput(Map<String, Long> sums) {
    return sums;
  }

  @Override
  public Coder<Map<String, Long>> getAccumulatorCoder(
      CoderRegistry registry, Coder<KV<String, Long>> inputCoder) {
    return MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
  }

  @Override
  public Coder<Map<String, Long>> getDefaultOutputCoder(
      CoderRegistry registry, Coder<KV<String, Long>> inputCoder) {
    return MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
  }
}
