package io.pinpipe.pipelines.streaming;

import io.pinpipe.pipelines.iceberg.StreamNote;
import io.pinpipe.pipelines.iceberg.StreamTableFiles;
import io.pinpipe.pipelines.iceberg.StreamTables;
import io.pinpipe.pipelines.io.sink.AppendPaneFiles;
import io.pinpipe.pipelines.io.sink.DeadLetterJson;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.io.sink.ParquetTables;
import io.pinpipe.pipelines.io.sink.ResultFile;
import io.pinpipe.pipelines.io.sink.SortedLines;
import io.pinpipe.pipelines.io.sink.WholeFile;
import io.pinpipe.pipelines.io.sink.WindowFileOnce;
import io.pinpipe.pipelines.io.layout.WindowedFiles;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.pipelines.report.SumByKey;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.onepass.TablePackSink;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.results.ResultCsv;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Where the streaming job writes (docs/streaming.md#windows-and-triggers), under the same root layout as batch:
 *
 * <ul>
 *   <li>{@code tables/<kind>/}: Parquet appends, files per window, pane, row-number bucket and
 *       chunk, written by the job's bucket step itself ({@link #tables});
 *   <li>{@code dead-letter/<kind>/}: JSON lines sorted by origin, a file per window and pane;
 *       like the tables, appended files never replace one already there ({@link
 *       io.pinpipe.pipelines.io.layout.AppendOnlyNames});
 *   <li>{@code results/<output>/<output>-<window>.csv}: the result CSV of each window with {@code
 *       window_start,window_end} in front, written once the window is final, and kept: a restart
 *       that reads part of the window again does not replace it ({@link WindowFileOnce});
 *   <li>{@code summary/summary-<window>.json}: the window's counts, likewise.
 * </ul>
 *
 * With one global window, results and summary are written exactly as batch writes them ({@code
 * results/<output>.csv}, {@code summary.json}), so a bounded replay can be compared with batch
 * file for file; with Parquet or Iceberg tables alike.
 */
public final class StreamingSinks {
  private StreamingSinks() {}

  /**
   * The tables' writer, which the job runs in the step that cleans a bucket ({@link
   * StreamingJob#build(Map, StreamWindowing, org.joda.time.Duration,
   * io.pinpipe.transforms.queries.QuerySettings, io.pinpipe.transforms.onepass.PackLimits, int,
   * TablePackSink)}): each pack of rows appended as a Parquet file named by window, pane, bucket and
   * chunk, as batch writes its tables (no table row packed, handed on and unpacked again).
   */
  public static TablePackSink tables(OutputLayout output) {
    Map<RecordKind, String> directories = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      directories.put(kind, output.tableDir(kind));
    }
    return ParquetTables.appendPackFilesIn(directories);
  }

  /**
   * Adds the writers of everything but the tables (written by the job itself, {@link #tables});
   * returns their outputs and the job's tables-written output, which carry no records: their
   * watermark passes a window's end plus the allowed lateness only once every file of that window
   * is written (what the Kafka offset commits wait for, docs/streaming.md#what-the-job-commits-to-kafka).
   */
  public static List<PCollection<?>> write(
      StreamingJob job, StreamWindowing windowing, OutputLayout output, String input, String runner) {
    List<PCollection<?>> written = new ArrayList<>();
    written.add(job.tablesWritten());
    for (RecordKind kind : RecordKind.values()) {
      String name = capitalized(kind.id());
      written.add(
          job.deadLetters(kind)
              .apply(
                  "Format" + name + "DeadLetters",
                  MapElements.into(TypeDescriptors.strings()).via((DeadLetter d) -> DeadLetterJson.toJsonLine(d)))
              .apply("Sort" + name + "DeadLetters", Combine.globally(SortedLines.naturally()).withoutDefaults())
              .apply(
                  "Write" + name + "DeadLetters",
                  ParDo.of(new AppendPaneFiles(output.deadLetterDir(kind), kind.id(), ".jsonl"))));
    }

    for (QueryOutput result : QueryOutput.values()) {
      String name = result.outputName();
      String step = StreamingJob.stepName(name);
      PCollection<Row> rows = job.result(result);
      if (windowing.isGlobal()) {
        written.add(
            rows.apply("Format" + step, Combine.globally(ResultFile.csvOf(result)))
                .apply("Write" + step, WholeFile.to(output.resultCsv(name))));
      } else {
        written.add(
            rows.apply("Gather" + step, Combine.globally(ResultFile.rowsOf(result)).withoutDefaults())
                .setCoder(ListCoder.of(RowCoder.of(result.schema())))
                .apply("Format" + step, ParDo.of(new WindowedCsvFn(result)))
                .setCoder(StringUtf8Coder.of())
                .apply("Write" + step, ParDo.of(new WindowFileOnce(output.resultDir(name), name, ".csv"))));
      }
    }

    PCollection<Map<String, Long>> sums =
        job.counts().apply("SumCounts", Combine.globally(new SumByKey()).withoutDefaults());
    if (windowing.isGlobal()) {
      written.add(
          sums.apply(
                  "FormatSummary",
                  MapElements.into(TypeDescriptors.strings()).via(s -> RunSummary.toJson(input, runner, s)))
              .apply("WriteSummary", WholeFile.to(output.summaryJson())));
    } else {
      written.add(
          sums.apply("FormatSummaries", ParDo.of(new WindowSummaryFn(input, runner)))
              .setCoder(StringUtf8Coder.of())
              .apply("WriteSummaries", ParDo.of(new WindowFileOnce(output.summaryDir(), "summary", ".json"))));
    }
    return written;
  }

  /**
   * With Iceberg tables (docs/iceberg.md#streaming): the dead-letter and result tables' files,
   * and the results' CSV files and the summaries as {@link #write} writes them; returns the notes
   * of every table file (the bucket step's included) for the one commit step. The dead letters are
   * in their tables only.
   */
  public static PCollection<StreamNote> writeIceberg(
      StreamingJob job, StreamWindowing windowing, OutputLayout output, String input, String runner, StreamTables tables) {
    long lateness = windowing.allowedLateness().getMillis();
    StreamNote.Coder noteCoder = StreamNote.Coder.of();
    PCollectionList<StreamNote> notes =
        PCollectionList.of(
            job.tablesWritten()
                .apply("NotesOfTableFiles", ParDo.of(StreamTableFiles.decodeNotes()))
                .setCoder(noteCoder)
                .apply("TableNotesInGlobalWindow", notesInGlobalWindow()));
    for (RecordKind kind : RecordKind.values()) {
      String name = capitalized(kind.id());
      notes =
          notes.and(
              job.deadLetters(kind)
                  .apply("Write" + name + "DeadLetterTable", StreamTableFiles.deadLetters(kind, tables, lateness))
                  .apply(name + "DeadLetterNotesInGlobalWindow", notesInGlobalWindow()));
    }
    for (QueryOutput result : QueryOutput.values()) {
      String name = result.outputName();
      String step = StreamingJob.stepName(name);
      PCollection<List<Row>> gathered =
          job.result(result)
              .apply("Gather" + step, Combine.globally(ResultFile.rowsOf(result)).withoutDefaults())
              .setCoder(ListCoder.of(RowCoder.of(result.schema())));
      if (windowing.isGlobal()) {
        // A replay's one global window: the result CSV as batch writes it, as with Parquet tables.
        job.result(result)
            .apply("Format" + step, Combine.globally(ResultFile.csvOf(result)))
            .apply("Write" + step, WholeFile.to(output.resultCsv(name)));
      } else {
        gathered
            .apply("Format" + step, ParDo.of(new WindowedCsvFn(result)))
            .setCoder(StringUtf8Coder.of())
            .apply("Write" + step, ParDo.of(new WindowFileOnce(output.resultDir(name), name, ".csv")));
      }
      notes =
          notes.and(
              gathered
                  .apply("Write" + step + "Table", ParDo.of(StreamTableFiles.results(result, tables, lateness)))
                  .setCoder(noteCoder)
                  .apply(step + "NotesInGlobalWindow", notesInGlobalWindow()));
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
          .apply("WriteSummaries", ParDo.of(new WindowFileOnce(output.summaryDir(), "summary", ".json")));
    }
    return notes.apply("TableNotes", Flatten.pCollections());
  }

  /**
   * The commit step's inputs in the global window, each note keeping its timestamp (so the step's
   * watermark still waits for a window's last file).
   */
  public static Window<StreamNote> notesInGlobalWindow() {
    return Window.<StreamNote>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(org.joda.time.Duration.ZERO)
        .discardingFiredPanes();
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
