package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.transforms.queries.PinterestQueries;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * A window's merged partial as what the jobs write: each output's rows under its {@link
 * QueryOutput#tag()}, and the counts, with each output's row count under {@link
 * QualityMetrics#RESULT_ROWS}; the same row counts and the window go to the Beam counters of {@link
 * JobCounters}.
 */
final class SplitResultsFn extends DoFn<WindowPartial, KV<String, Long>> {
  private final PinterestQueries queries;
  /** False in a second pass over what the job already counts (CleanAndQuery#withoutJobCounters). */
  private final boolean jobCounters;
  private transient Counter windows;
  private transient Map<QueryOutput, Counter> rowCounters;

  SplitResultsFn(PinterestQueries queries, boolean jobCounters) {
    this.queries = queries;
    this.jobCounters = jobCounters;
  }

  @Setup
  public void setup() {
    rowCounters = new EnumMap<>(QueryOutput.class);
    if (!jobCounters) {
      return;
    }
    windows = JobCounters.counter(JobCounters.RESULT_WINDOWS);
    for (QueryOutput output : QueryOutput.values()) {
      rowCounters.put(output, JobCounters.counter(JobCounters.resultRows(output)));
    }
  }

  @ProcessElement
  public void process(@Element WindowPartial merged, MultiOutputReceiver out) {
    Map<QueryOutput, List<Row>> results = queries.extractOutput(merged.queries);
    TupleTag<KV<String, Long>> counts = CleanAndQuery.COUNTS;
    for (QueryOutput output : QueryOutput.values()) {
      List<Row> rows = results.get(output);
      rows.forEach(out.get(output.tag())::output);
      out.get(counts).output(KV.of(QualityMetrics.RESULT_ROWS + output.outputName(), (long) rows.size()));
      if (jobCounters) {
        rowCounters.get(output).inc(rows.size());
      }
    }
    if (jobCounters) {
      windows.inc();
    }
    merged.counts.forEach((key, n) -> out.get(counts).output(KV.of(key, n)));
  }
}
