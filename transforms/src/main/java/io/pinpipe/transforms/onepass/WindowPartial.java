package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.queries.PinterestQueries;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * What one bundle found in one window: every query's accumulator ({@link PinterestQueries}) and
 * the data-quality counts ({@link io.pinpipe.transforms.quality.QualityMetrics} keys). A window's
 * partials are merged once into its results and summary.
 */
final class WindowPartial {
  final Object[] queries;
  final Map<String, Long> counts;

  WindowPartial(Object[] queries, Map<String, Long> counts) {
    this.queries = queries;
    this.counts = counts;
  }

  static WindowPartial empty(PinterestQueries fn) {
    return new WindowPartial(fn.createAccumulator(), new HashMap<>());
  }

  void count(String key, long n) {
    if (n != 0) {
      counts.merge(key, n, Long::sum);
    }
  }

  /** The queries' accumulators with their own coder, then the counts. */
  static final class Coder extends CustomCoder<WindowPartial> {
    private static final org.apache.beam.sdk.coders.Coder<Map<String, Long>> COUNTS =
        MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    private final org.apache.beam.sdk.coders.Coder<Object[]> queries;

    Coder(org.apache.beam.sdk.coders.Coder<Object[]> queries) {
      this.queries = queries;
    }

    @Override
    public void encode(WindowPartial partial, OutputStream out) throws IOException {
      queries.encode(partial.queries, out);
      COUNTS.encode(partial.counts, out);
    }

    @Override
    public WindowPartial decode(InputStream in) throws IOException {
      return new WindowPartial(queries.decode(in), COUNTS.decode(in));
    }
  }
}
