package io.pinpipe.pipelines.streaming;

import io.pinpipe.pipelines.io.DeadLetterJson;
import io.pinpipe.pipelines.io.OutputLayout;
import io.pinpipe.pipelines.io.ParquetTables;
import io.pinpipe.pipelines.io.ResultFile;
import io.pinpipe.pipelines.io.SortedLines;
import io.pinpipe.pipelines.io.WholeFile;
import io.pinpipe.pipelines.io.WindowedFiles;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.pipelines.report.SumByKey;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.queries.QueryOutput;
import io.pinpipe.transforms.schema.RecordKind;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.values.Row;
import io.pinpipe.transforms.queries.ResultCsv;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Where the streaming job writes (docs/streaming.md), under the same root layout as batch:
 *
 * <ul>
 *   <li>{@code tables/<kind>/}: Parquet appends, files per window, pane and row-number bucket;
 *   <li>{@code dead-letter/<kind>/}: JSON lines sorted by origin, a file per window and pane;
 *   <li>{@code results/<output>/<output>-<window>.csv}: the result CSV of each window with {@code
 *       window_start,window_end} in front, written once the window is final;
 *   <li>{@code summary/summary-<window>.json}: the window's counts.
 * </ul>
 *
 * With one global window, results and summary are written exactly as batch writes them ({@code
 * results/<output>.csv}, {@code summary.json}), so a bounded replay can be compared with batch
 * file for file.
 */
public final class StreamingSinks {
  private StreamingSinks() {}

  public static void write(
      StreamingJob job, StreamWindowing windowing, OutputLayout output, String input, String runner) {
    for (RecordKind kind : RecordKind.values()) {
      String name = capitalized(kind.id());
      job.tablePacks(kind)
          .apply(
              "Append" + name + "Table",
              ParquetTables.appendPacks(output.tableDir(kind), kind.id(), kind.cleanSchema()));
      job.deadLetters(kind)
          .apply(
              "Format" + name + "DeadLetters",
              MapElements.into(TypeDescriptors.strings()).via((DeadLetter d) -> DeadLetterJson.toJsonLine(d)))
          .apply("Sort" + name + "DeadLetters", Combine.globally(SortedLines.naturally()).withoutDefaults())
          .apply(
              "Write" + name + "DeadLetters",
              FileIO.<String>write()
                  .via(new WindowedFiles.TextSink())
                  .to(output.deadLetterDir(kind))
                  .withNaming(WindowedFiles.byWindowAndPane(kind.id(), ".jsonl"))
                  .withNumShards(1));
    }

    for (QueryOutput result : QueryOutput.values()) {
      String name = result.outputName();
      String step = StreamingJob.stepName(name);
      PCollection<Row> rows = job.result(result);
      if (windowing.isGlobal()) {
        rows.apply("Format" + step, Combine.globally(ResultFile.csvOf(result)))
            .apply("Write" + step, WholeFile.to(output.resultCsv(name)));
      } else {
        rows.apply("Gather" + step, Combine.globally(ResultFile.rowsOf(result)).withoutDefaults())
            .setCoder(ListCoder.of(RowCoder.of(result.schema())))
            .apply("Format" + step, ParDo.of(new WindowedCsvFn(result)))
            .setCoder(StringUtf8Coder.of())
            .apply(
                "Write" + step,
                FileIO.<String>write()
                    .via(new WindowedFiles.TextSink())
                    .to(output.resultDir(name))
                    .withNaming(WindowedFiles.byWindow(name, ".csv"))
                    .withNumShards(1));
      }
    }

    PCollection<Map<String, Long>> sums =
        job.counts().apply("SumCounts", Combine.globally(new SumByKey()).withoutDefaults());
    if (windowing.isGlobal()) {
      sums.apply(
              "FormatSummary",
              MapElements.into(TypeDescriptors.strings()).via(s -> RunSummary.toJson(input, runner, s)))
          .apply("WriteSummary", WholeFile.to(output.summaryJson()));
    } else {
      sums.apply("FormatSummaries", ParDo.of(new WindowSummaryFn(input, runner)))
          .setCoder(StringUtf8Coder.of())
          .apply(
              "WriteSummaries",
              FileIO.<String>write()
                  .via(new WindowedFiles.TextSink())
                  .to(output.summaryDir())
                  .withNaming(WindowedFiles.byWindow("summary", ".json"))
                  .withNumShards(1));
    }
  }

  /** A window's result as its result CSV with {@code window_start,window_end} in front. */
  static final class WindowedCsvFn extends DoFn<List<Row>, String> {
    private final QueryOutput output;

    WindowedCsvFn(QueryOutput output) {
      this.output = output;
    }

    @ProcessElement
    public void process(@Element List<Row> rows, BoundedWindow window, OutputReceiver<String> out) {
      IntervalWindow interval = (IntervalWindow) window;
      String bounds =
          WindowedFiles.isoInstant(interval.start()) + "," + WindowedFiles.isoInstant(interval.end()) + ",";
      out.output(ResultCsv.document(output, rows, "window_start,window_end,", bounds));
    }
  }

  /** A window's summed counts as its summary JSON. */
  static final class WindowSummaryFn extends DoFn<Map<String, Long>, String> {
    private final String input;
    private final String runner;

    WindowSummaryFn(String input, String runner) {
      this.input = input;
      this.runner = runner;
    }

    @ProcessElement
    public void process(@Element Map<String, Long> sums, BoundedWindow window, OutputReceiver<String> out) {
      out.output(RunSummary.toJson(input, runner, (IntervalWindow) window, sums));
    }
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
