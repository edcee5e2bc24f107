package io.pinpipe.transforms.quality;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * The job's counts as Beam metrics, for watching a run while it works: the progress lines the jobs
 * print, and a runner's metric reporters (Flink's Prometheus endpoint). They mirror the exact
 * counts that travel as data ({@link QualityMetrics}) into {@code summary.json}, but a runner may
 * count a retried bundle twice, so they are for watching, never for results.
 *
 * <p>All are counters in namespace {@value #NAMESPACE}, named after what they count, the same
 * words as {@code summary.json}: {@code <kind>_<measure>} ({@code pin_read}, {@code
 * geo_dead_lettered}, {@code user_duplicates}, ...), {@value #RESULT_WINDOWS} (windows whose results
 * were computed; 1 in batch) and {@code results_<output>_rows} (result rows over all windows).
 * Each is added to once per pack, bucket or window, with its count, never once per record.
 */
public final class JobCounters {
  private JobCounters() {}

  public static final String NAMESPACE = "pinpipe";

  /** The per-kind measures, as in {@code summary.json}'s {@code kinds}. */
  public static final List<String> MEASURES =
      List.of(
          QualityMetrics.READ,
          QualityMetrics.CLEANED,
          QualityMetrics.DEAD_LETTERED,
          QualityMetrics.DUPLICATES,
          QualityMetrics.CONFLICTS);

  public static final String RESULT_WINDOWS = "results_windows";

  /** {@code pin_read}: one kind's measure. */
  public static String name(RecordKind kind, String measure) {
    return kind.id() + "_" + measure;
  }

  /** {@code results_top_category_by_country_rows}: one result's rows, over all windows. */
  public static String resultRows(QueryOutput output) {
    return "results_" + output.outputName() + "_rows";
  }

  public static Counter counter(RecordKind kind, String measure) {
    return Metrics.counter(NAMESPACE, name(kind, measure));
  }

  public static Counter counter(String name) {
    return Metrics.counter(NAMESPACE, name);
  }
}
