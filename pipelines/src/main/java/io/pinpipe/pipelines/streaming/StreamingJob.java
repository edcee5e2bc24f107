package io.pinpipe.pipelines.streaming;

import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.transforms.assemble.AssemblePosts;
import io.pinpipe.transforms.clean.CleanRecords;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.quality.BundleCounts;
import io.pinpipe.transforms.queries.PinterestQueries;
import io.pinpipe.transforms.queries.QueryOutput;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.transforms.schema.RecordKind;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;

/**
 * The streaming job's processing, without sources or sinks, so tests can feed it a {@code
 * TestStream} and look at every output pane by pane (DESIGN.md §7):
 *
 * <ol>
 *   <li>{@link AssemblePosts} holds records until their post is complete or waited long enough;
 *   <li>the records are windowed for <b>tables</b> (appended per pane) and cleaned with the same
 *       {@link CleanRecords} as batch: clean rows and dead letters;
 *   <li>the records are windowed for <b>results</b> (one final pane per window) and cleaned again,
 *       so duplicates that arrived in different table panes of a window are still removed, then
 *       the same {@link PinterestQueries} as batch run per window. When tables fire once per window
 *       anyway (no early firings, no lateness), one cleaning serves both.
 * </ol>
 */
public final class StreamingJob {
  private final Map<RecordKind, PCollection<Row>> tables;
  private final Map<RecordKind, PCollection<DeadLetter>> deadLetters;
  private final PCollectionTuple results;
  private final PCollection<KV<String, Long>> counts;

  private StreamingJob(
      Map<RecordKind, PCollection<Row>> tables,
      Map<RecordKind, PCollection<DeadLetter>> deadLetters,
      PCollectionTuple results,
      PCollection<KV<String, Long>> counts) {
    this.tables = tables;
    this.deadLetters = deadLetters;
    this.results = results;
    this.counts = counts;
  }

  /** Adds the processing to the pipeline of {@code raw}. */
  public static StreamingJob build(
      Map<RecordKind, PCollection<RawRecord>> raw,
      StreamWindowing windowing,
      Duration assemblyWait,
      QuerySettings settings) {
    PCollectionTuple assembled =
        AssemblePosts.inputs(raw).apply("AssemblePosts", AssemblePosts.waitingAtMost(assemblyWait));

    Map<RecordKind, PCollection<Row>> tables = new EnumMap<>(RecordKind.class);
    Map<RecordKind, PCollection<DeadLetter>> deadLetters = new EnumMap<>(RecordKind.class);
    Map<RecordKind, PCollection<Row>> forQueries = new EnumMap<>(RecordKind.class);
    PCollectionList<KV<String, Long>> counts =
        PCollectionList.of(
            assembled
                .get(AssemblePosts.METRICS)
                .apply("WindowPostCounts", windowing.forResults())
                .apply("SumPostCountsPerBundle", BundleCounts.summed()));
    for (RecordKind kind : RecordKind.values()) {
      String name = capitalized(kind.id());
      PCollection<RawRecord> records = assembled.get(AssemblePosts.tag(kind));

      PCollectionTuple forTables =
          records
              .apply(
                  "Window" + name + "sForTables",
                  windowing.tablesFireOnceAtWindowEnd()
                      ? windowing.<RawRecord>forResults()
                      : windowing.<RawRecord>forTables())
              .apply("Clean" + name + "sForTables", CleanRecords.of(kind));
      tables.put(kind, forTables.get(CleanRecords.CLEAN));
      deadLetters.put(kind, forTables.get(CleanRecords.DEAD_LETTERS));

      PCollectionTuple forResults =
          windowing.tablesFireOnceAtWindowEnd()
              ? forTables
              : records
                  .apply("Window" + name + "sForResults", windowing.<RawRecord>forResults())
                  .apply("Clean" + name + "sForResults", CleanRecords.of(kind));
      forQueries.put(kind, forResults.get(CleanRecords.CLEAN));
      counts = counts.and(forResults.get(CleanRecords.METRICS));
    }

    PCollectionTuple results =
        PinterestQueries.inputs(
                forQueries.get(RecordKind.PIN), forQueries.get(RecordKind.GEO), forQueries.get(RecordKind.USER))
            .apply("Queries", PinterestQueries.with(settings));
    for (QueryOutput output : QueryOutput.values()) {
      String name = output.outputName();
      counts =
          counts.and(
              results
                  .get(output.tag())
                  .apply("Count" + stepName(name) + "Rows", Combine.globally(Count.<Row>combineFn()).withoutDefaults())
                  .apply(
                      "Label" + stepName(name) + "Count",
                      MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                          .via((Long n) -> KV.of(RunSummary.RESULT_ROWS + name, n))));
    }
    return new StreamingJob(
        tables, deadLetters, results, counts.apply("CollectCounts", Flatten.pCollections()));
  }

  /** Clean records of one kind, windowed for appends: one element per record per pane. */
  public PCollection<Row> table(RecordKind kind) {
    return tables.get(kind);
  }

  /** Records of one kind that could not be parsed, in the tables' panes. */
  public PCollection<DeadLetter> deadLetters(RecordKind kind) {
    return deadLetters.get(kind);
  }

  /** One query output's rows, one final pane per window. */
  public PCollection<Row> result(QueryOutput output) {
    return results.get(output.tag());
  }

  /**
   * Data-quality, post-assembly and result-row counts, in the results' windows ({@code
   * KV<key, n>}, to be summed per window).
   */
  public PCollection<KV<String, Long>> counts() {
    return counts;
  }

  static String stepName(String outputName) {
    StringBuilder name = new StringBuilder();
    for (String part : outputName.split("_")) {
      name.append(capitalized(part));
    }
    return name.toString();
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
