package io.pinpipe.pipelines.batch;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.io.OutputLayout;
import io.pinpipe.pipelines.io.ResultFile;
import io.pinpipe.pipelines.io.WholeFile;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.transforms.queries.PinterestQueries;
import io.pinpipe.transforms.queries.QueryOptions;
import io.pinpipe.transforms.queries.QueryOutput;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.transforms.schema.RecordKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Runs the shared queries on the clean records and writes each result as one sorted CSV file. */
final class BatchResults {
  private BatchResults() {}

  static List<String> outputNames() {
    List<String> names = new ArrayList<>();
    for (QueryOutput output : QueryOutput.values()) {
      names.add(output.outputName());
    }
    return names;
  }

  /** The query settings of the command line; a bad value is a user error. */
  static QuerySettings settings(QueryOptions options) {
    return CommandLine.userInput(() -> QuerySettings.fromOptions(options));
  }

  /** Adds the queries and their CSV files; returns the row count of each result, as summary counts. */
  static PCollectionList<KV<String, Long>> write(
      Map<RecordKind, PCollection<Row>> clean, QuerySettings settings, OutputLayout layout) {
    PCollectionTuple results =
        PinterestQueries.inputs(clean.get(RecordKind.PIN), clean.get(RecordKind.GEO), clean.get(RecordKind.USER))
            .apply("Queries", PinterestQueries.with(settings));
    PCollectionList<KV<String, Long>> rowCounts = PCollectionList.empty(clean.get(RecordKind.PIN).getPipeline());
    for (QueryOutput output : QueryOutput.values()) {
      String name = output.outputName();
      String step = ResultFile.stepName(name);
      PCollection<Row> rows = results.get(output.tag());
      rows.apply("Sort" + step, Combine.globally(ResultFile.csvOf(output)))
          .apply("Write" + step, WholeFile.to(layout.resultCsv(name)));
      rowCounts =
          rowCounts.and(
              rows.apply("Count" + step, Count.globally())
                  .apply(
                      "Label" + step + "Count",
                      MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                          .via(n -> KV.of(RunSummary.RESULT_ROWS + name, n))));
    }
    return rowCounts;
  }
}
