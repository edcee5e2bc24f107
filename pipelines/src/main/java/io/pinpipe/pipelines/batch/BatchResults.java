package io.pinpipe.pipelines.batch;

import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.io.sink.ResultFile;
import io.pinpipe.pipelines.io.sink.WholeFile;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.values.PCollectionTuple;

/** The query outputs' names and settings, and their CSV files. */
final class BatchResults {
  private BatchResults() {}

  static List<String> outputNames() {
    List<String> names = new ArrayList<>();
    for (QueryOutput output : QueryOutput.values()) {
      names.add(output.outputName());
    }
    return names;
  }

  /** Writes each query output of {@code processed} as one sorted CSV file. */
  static void write(PCollectionTuple processed, OutputLayout layout) {
    for (QueryOutput output : QueryOutput.values()) {
      String name = output.outputName();
      String step = ResultFile.stepName(name);
      processed
          .get(output.tag())
          .apply("Sort" + step, Combine.globally(ResultFile.csvOf(output)))
          .apply("Write" + step, WholeFile.to(layout.resultCsv(name)));
    }
  }
}
