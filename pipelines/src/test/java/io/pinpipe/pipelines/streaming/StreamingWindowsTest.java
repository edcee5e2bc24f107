package io.pinpipe.pipelines.streaming;

import static io.pinpipe.pipelines.streaming.StreamEvents.at;
import static io.pinpipe.pipelines.streaming.StreamEvents.geo;
import static io.pinpipe.pipelines.streaming.StreamEvents.pin;
import static io.pinpipe.pipelines.streaming.StreamEvents.rowNumbers;
import static io.pinpipe.pipelines.streaming.StreamEvents.user;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.results.ResultCsv;
import java.util.Map;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;

/**
 * The streaming job's windows, triggers and post assembly on a {@code TestStream}, one scenario
 * each, in the style of Beam's LeaderBoardTest: every assertion names the pane it is about.
 * Tables are compared by the row numbers they hold; results by their CSV lines.
 */
public class StreamingWindowsTest {
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final IntervalWindow FIRST = new IntervalWindow(at(0), MINUTE);
  private static final IntervalWindow SECOND = new IntervalWindow(at(60), MINUTE);
  private static final Duration WAIT = Duration.standardSeconds(10);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private StreamingJob job(TestStream<KV<String, RawRecord>> events, StreamWindowing windowing) {
    Map<RecordKind, PCollection<RawRecord>> raw = StreamEvents.byKind(pipeline, events);
    return StreamingJob.build(raw, windowing, WAIT, QuerySettings.defaults());
  }

  private static StreamWindowing fixedMinutes(int earlySeconds, int latenessSeconds) {
    return StreamWindowing.of(
        MINUTE, Duration.standardSeconds(earlySeconds), Duration.standardSeconds(latenessSeconds));
  }

  private static PCollection<String> csv(StreamingJob job, QueryOutput output) {
    return job.result(output)
        .apply("Csv" + output.name(), MapElements.into(TypeDescriptors.strings()).via(ResultCsv::line));
  }

  /** The per-window sums of the count keys starting with {@code prefix}. */
  private static PCollection<KV<String, Long>> counts(StreamingJob job, String prefix) {
    return job.counts()
        .apply("Only" + prefix, Filter.by((KV<String, Long> kv) -> kv.getKey().startsWith(prefix)))
        .apply("Sum" + prefix, Sum.longsPerKey());
  }

  @Test
  public void postsOnTimeLandInTheirEventTimeWindowsTablesAndResults() {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(1, "art", 5), geo(1, "Aruba", 5), user(1, 30, 6))
            .addElements(pin(2, "art", 10), geo(2, "Aruba", 11), user(2, 40, 11))
            .addElements(pin(3, "diy", 70), geo(3, "Benin", 70), user(3, 20, 71))
            .advanceWatermarkTo(at(130))
            .advanceWatermarkToInfinity();
    StreamingJob job = job(events, fixedMinutes(0, 0));

    PAssert.that(rowNumbers(job.table(RecordKind.PIN), "PinInds")).inOnTimePane(FIRST).containsInAnyOrder(1L, 2L);
    PAssert.that(rowNumbers(job.table(RecordKind.USER), "UserInds")).inOnTimePane(SECOND).containsInAnyOrder(3L);
    PCollection<String> q1 = csv(job, QueryOutput.Q1);
    PAssert.that(q1).inFinalPane(FIRST).containsInAnyOrder("Aruba,art,2");
    PAssert.that(q1).inFinalPane(SECOND).containsInAnyOrder("Benin,diy,1");
    PAssert.that(csv(job, QueryOutput.Q4)).inFinalPane(FIRST).containsInAnyOrder("25-35,art,1", "36-50,art,1");
    PAssert.that(counts(job, "posts|")).inWindow(FIRST).containsInAnyOrder(KV.of("posts|complete", 2L));
    PAssert.that(counts(job, "pin|read")).inWindow(SECOND).containsInAnyOrder(KV.of("pin|read", 1L));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aPostAcrossAWindowBoundaryIsAssembledIntoItsLastRecordsWindow() {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(7, "art", 59))
            .addElements(geo(7, "Aruba", 61), user(7, 30, 62))
            .advanceWatermarkToInfinity();
    StreamingJob job = job(events, fixedMinutes(0, 0));

    PAssert.that(rowNumbers(job.table(RecordKind.PIN), "PinInds")).inWindow(FIRST).empty();
    PAssert.that(rowNumbers(job.table(RecordKind.PIN), "PinInds2")).inOnTimePane(SECOND).containsInAnyOrder(7L);
    PAssert.that(csv(job, QueryOutput.Q1)).inFinalPane(SECOND).containsInAnyOrder("Aruba,art,1");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void earlyTablePanesAppendWhatArrivedAndResultsWaitForTheWindowsEnd() {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(1, "art", 5), geo(1, "Aruba", 5), user(1, 30, 5))
            .advanceWatermarkTo(at(6))
            .advanceProcessingTime(Duration.standardSeconds(31))
            .addElements(pin(2, "art", 20), geo(2, "Aruba", 20), user(2, 30, 21))
            .advanceWatermarkTo(at(61))
            .advanceWatermarkToInfinity();
    StreamingJob job = job(events, fixedMinutes(30, 0));

    PAssert.that(rowNumbers(job.table(RecordKind.GEO), "GeoInds")).inEarlyPane(FIRST).containsInAnyOrder(1L);
    PAssert.that(rowNumbers(job.table(RecordKind.GEO), "GeoInds2")).inOnTimePane(FIRST).containsInAnyOrder(2L);
    PAssert.that(csv(job, QueryOutput.Q1)).inFinalPane(FIRST).containsInAnyOrder("Aruba,art,2");
    PAssert.that(csv(job, QueryOutput.Q5)).inFinalPane(FIRST).containsInAnyOrder("25-35,1500");
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void lateRecordsWithinAllowedLatenessGoInALatePaneAndAreCounted() {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(1, "art", 5), geo(1, "Aruba", 5), user(1, 30, 5))
            .advanceWatermarkTo(at(90))
            .addElements(pin(2, "diy", 30), geo(2, "Aruba", 30), user(2, 30, 30))
            .addElements(pin(3, "diy", 31), geo(3, "Aruba", 31), user(3, 30, 31))
            .advanceWatermarkTo(at(200))
            .advanceWatermarkToInfinity();
    StreamingJob job = job(events, fixedMinutes(0, 120));

    PAssert.that(rowNumbers(job.table(RecordKind.PIN), "PinInds")).inOnTimePane(FIRST).containsInAnyOrder(1L);
    PAssert.that(rowNumbers(job.table(RecordKind.PIN), "PinInds2")).inLatePane(FIRST).containsInAnyOrder(2L, 3L);
    PAssert.that(csv(job, QueryOutput.Q1)).inFinalPane(FIRST).containsInAnyOrder("Aruba,diy,2");
    PAssert.that(counts(job, "pin|read")).inWindow(FIRST).containsInAnyOrder(KV.of("pin|read", 3L));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void recordsPastAllowedLatenessAreLeftOutOfTablesResultsAndCounts() {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(1, "art", 5), geo(1, "Aruba", 5), user(1, 30, 5))
            .advanceWatermarkTo(at(200))
            .addElements(pin(2, "diy", 30), geo(2, "Aruba", 30), user(2, 30, 30))
            .addElements(pin(3, "diy", 31), geo(3, "Aruba", 31), user(3, 30, 31))
            .advanceWatermarkToInfinity();
    StreamingJob job = job(events, fixedMinutes(0, 120));

    PAssert.that(rowNumbers(job.table(RecordKind.PIN), "PinInds")).inWindow(FIRST).containsInAnyOrder(1L);
    PAssert.that(csv(job, QueryOutput.Q1)).inFinalPane(FIRST).containsInAnyOrder("Aruba,art,1");
    PAssert.that(counts(job, "pin|read")).inWindow(FIRST).containsInAnyOrder(KV.of("pin|read", 1L));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aPostMissingItsUserIsWrittenAtTheWindowsEndAndCountedIncomplete() {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(1, "art", 5), geo(1, "Aruba", 6))
            .addElements(pin(2, "art", 10), geo(2, "Aruba", 10), user(2, 30, 11))
            .advanceWatermarkTo(at(30))
            .advanceWatermarkToInfinity();
    StreamingJob job = job(events, fixedMinutes(0, 0));

    PAssert.that(rowNumbers(job.table(RecordKind.PIN), "PinInds")).inOnTimePane(FIRST).containsInAnyOrder(1L, 2L);
    PAssert.that(rowNumbers(job.table(RecordKind.GEO), "GeoInds")).inOnTimePane(FIRST).containsInAnyOrder(1L, 2L);
    PAssert.that(rowNumbers(job.table(RecordKind.USER), "UserInds")).inOnTimePane(FIRST).containsInAnyOrder(2L);
    // The pin without its user still counts where only pin and geo are joined.
    PAssert.that(csv(job, QueryOutput.Q1)).inFinalPane(FIRST).containsInAnyOrder("Aruba,art,2");
    PAssert.that(csv(job, QueryOutput.Q4)).inFinalPane(FIRST).containsInAnyOrder("25-35,art,1");
    PAssert.that(counts(job, "posts|"))
        .inWindow(FIRST)
        .containsInAnyOrder(
            KV.of("posts|complete", 1L), KV.of("posts|incomplete", 1L), KV.of("posts|missing_user", 1L));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void aResendAfterItsPostCompletedIsCountedLateAndRemovedAsADuplicate() {
    TestStream<KV<String, RawRecord>> events =
        StreamEvents.stream(pipeline)
            .advanceWatermarkTo(at(0))
            .addElements(pin(1, "art", 5), geo(1, "Aruba", 5), user(1, 30, 6))
            .addElements(pin(1, "art", 8))
            .advanceWatermarkToInfinity();
    StreamingJob job = job(events, fixedMinutes(0, 0));

    PAssert.that(rowNumbers(job.table(RecordKind.PIN), "PinInds")).inOnTimePane(FIRST).containsInAnyOrder(1L);
    PAssert.that(csv(job, QueryOutput.Q1)).inFinalPane(FIRST).containsInAnyOrder("Aruba,art,1");
    PAssert.that(counts(job, "posts|"))
        .inWindow(FIRST)
        .containsInAnyOrder(KV.of("posts|complete", 1L), KV.of("posts|late_resends", 1L));
    PAssert.that(counts(job, "pin|duplicates")).inWindow(FIRST).containsInAnyOrder(KV.of("pin|duplicates", 1L));
    pipeline.run().waitUntilFinish();
  }
}
