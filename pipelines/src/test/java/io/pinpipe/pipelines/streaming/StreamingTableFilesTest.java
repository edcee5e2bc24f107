package io.pinpipe.pipelines.streaming;

import static io.pinpipe.pipelines.streaming.StreamEvents.at;
import static io.pinpipe.pipelines.streaming.StreamEvents.geo;
import static io.pinpipe.pipelines.streaming.StreamEvents.pin;
import static io.pinpipe.pipelines.streaming.StreamEvents.user;
import static org.junit.Assert.assertEquals;

import io.pinpipe.pipelines.batch.ParquetTable;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.transforms.clean.RowNumberBuckets;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The tables as the job writes them, in the step that cleans a bucket ({@link
 * StreamingSinks#tables}), on StreamingWindowsTest's scenarios: each pane's rows in files named by
 * window, pane, timing, bucket and chunk (docs/streaming.md#windows-and-triggers), on-time, early and late panes alike.
 * StreamingWindowsTest checks the same panes' rows as elements; this checks the files.
 */
public class StreamingTableFilesTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final String FIRST = "20261124T000000Z-20261124T000100Z";
  private static final String SECOND = "20261124T000100Z-20261124T000200Z";

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private OutputLayout run(TestStream<KV<String, RawRecord>> events, int earlySeconds, int latenessSeconds)
      throws Exception {
    OutputLayout output = new OutputLayout(tmp.newFolder("out").toString());
    Map<RecordKind, PCollection<RawRecord>> raw = StreamEvents.byKind(pipeline, events);
    StreamingJob.build(
        raw,
        StreamWindowing.of(MINUTE, Duration.standardSeconds(earlySeconds), Duration.standardSeconds(latenessSeconds)),
        Duration.standardSeconds(10),
        QuerySettings.defaults(),
        PackLimits.defaults(),
        JsonRecordParser.DEFAULT_MAX_RECORD_BYTES,
        StreamingSinks.tables(output));
    pipeline.run().waitUntilFinish();
    return output;
  }

  /** Each file of a kind's table folder with the row numbers it holds, in file order. */
  private static Map<String, List<Long>> files(OutputLayout output, RecordKind kind) throws Exception {
    Map<String, List<Long>> files = new TreeMap<>();
    Path folder = Path.of(output.tableDir(kind));
    try (Stream<Path> listed = Files.list(folder)) {
      for (Path file : (Iterable<Path>) listed::iterator) {
        String name = file.getFileName().toString();
        List<Long> inds = new ArrayList<>();
        for (GenericRecord row : ParquetTable.read(folder, name)) {
          inds.add((Long) row.get("ind"));
        }
        files.put(name, inds);
      }
    }
    return files;
  }

  /**
   * Each file's rows, the file named with its pane index replaced by {@code *}: a pane index counts
   * the panes of one bucket and window, and a late pane may hold only records that leave no table
   * row (e.g. a pack that only counts records read), so the index of a later late pane depends on
   * how the runner bundled the arrivals.
   */
  private static Map<String, List<Long>> anyPaneIndex(Map<String, List<Long>> files) {
    Map<String, List<Long>> masked = new TreeMap<>();
    files.forEach(
        (name, inds) ->
            masked.computeIfAbsent(name.replaceFirst("-pane-[0-9]+-", "-pane-*-"), n -> new ArrayList<>()).addAll(inds));
    return masked;
  }

  /**
   * Adds a pane's rows to {@code expected}: a file per row-number bucket (one pack each here), its
   * rows in row-number order. The pane index counts a bucket's panes of the window.
   */
  private static Map<String, List<Long>> pane(
      Map<String, List<Long>> expected, RecordKind kind, String window, Object pane, String timing, long... inds) {
    for (long ind : inds) {
      String name = kind.id() + "-" + window + "-pane-" + pane + "-" + timing + "-" + RowNumberBuckets.of(ind) + "-0.parquet";
      expected.computeIfAbsent(name, n -> new ArrayList<>()).add(ind);
    }
    return expected;
  }

  @Test
  public void onTimePanesAreWrittenPerWindowWhenTablesFireWithResults() throws Exception {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(1, "art", 5), geo(1, "Aruba", 5), user(1, 30, 5))
            .addElements(pin(2, "art", 20), geo(2, "Aruba", 20), user(2, 40, 21))
            .addElements(pin(3, "diy", 70), geo(3, "Benin", 70), user(3, 30, 70))
            .advanceWatermarkToInfinity();
    OutputLayout output = run(events, 0, 0);

    for (RecordKind kind : RecordKind.values()) {
      assertEquals(
          kind.id(),
          pane(pane(new TreeMap<>(), kind, FIRST, 0, "on-time", 1, 2), kind, SECOND, 0, "on-time", 3),
          files(output, kind));
    }
  }

  @Test
  public void earlyPanesAreFilesOfTheirOwnBeforeTheOnTimePane() throws Exception {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(1, "art", 5), geo(1, "Aruba", 5), user(1, 30, 5))
            .advanceWatermarkTo(at(6))
            .advanceProcessingTime(Duration.standardSeconds(31))
            .addElements(pin(2, "art", 20), geo(2, "Aruba", 20), user(2, 30, 21))
            .advanceWatermarkTo(at(61))
            .advanceWatermarkToInfinity();
    OutputLayout output = run(events, 30, 0);

    for (RecordKind kind : RecordKind.values()) {
      assertEquals(
          kind.id(),
          // Row number 2's bucket had no early pane: its on-time pane is its first.
          pane(pane(new TreeMap<>(), kind, FIRST, 0, "early", 1), kind, FIRST, 0, "on-time", 2),
          files(output, kind));
    }
  }

  @Test
  public void lateRecordsWithinTheLatenessAreALatePaneOfTheirWindow() throws Exception {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(1, "art", 5), geo(1, "Aruba", 5), user(1, 30, 5))
            .advanceWatermarkTo(at(90))
            .addElements(pin(2, "diy", 30), geo(2, "Aruba", 30), user(2, 30, 30))
            .addElements(pin(3, "diy", 31), geo(3, "Aruba", 31), user(3, 30, 31))
            .advanceWatermarkTo(at(200))
            .advanceWatermarkToInfinity();
    OutputLayout output = run(events, 0, 120);

    for (RecordKind kind : RecordKind.values()) {
      assertEquals(
          kind.id(),
          pane(pane(new TreeMap<>(), kind, FIRST, "*", "on-time", 1), kind, FIRST, "*", "late", 2, 3),
          anyPaneIndex(files(output, kind)));
    }
  }
}
