package io.pinpipe.transforms.quality;

import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SimpleFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Counts summed per bundle reach the same windows and panes as one count per record would: on time,
 * late within the allowed lateness, or not at all once the window has expired.
 */
@RunWith(JUnit4.class)
public class BundleCountsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Duration WINDOW = Duration.standardSeconds(10);
  private static final IntervalWindow FIRST = new IntervalWindow(new Instant(0), WINDOW);
  private static final IntervalWindow SECOND = new IntervalWindow(new Instant(10_000), WINDOW);

  private static Instant at(int seconds) {
    return new Instant(seconds * 1000L);
  }

  /** Fixed 10 s windows, 30 s allowed lateness, a pane on time and one per late arrival. */
  private static <T> Window<T> windows() {
    return Window.<T>into(FixedWindows.of(WINDOW))
        .withAllowedLateness(Duration.standardSeconds(30))
        .discardingFiredPanes();
  }

  @Test
  public void oneBundleAcrossTwoWindowsIsCountedPerWindow() {
    TestStream<String> records =
        TestStream.create(StringUtf8Coder.of())
            // one bundle holding records of both windows
            .addElements(
                TimestampedValue.of("a", at(1)),
                TimestampedValue.of("b", at(9)),
                TimestampedValue.of("c", at(11)))
            .advanceWatermarkTo(at(15))
            // late for the first window, within its allowed lateness
            .addElements(TimestampedValue.of("late", at(3)))
            .advanceWatermarkTo(at(45))
            // the first window has expired (10 s + 30 s): dropped, as a per-record count would be
            .addElements(TimestampedValue.of("expired", at(4)))
            .advanceWatermarkToInfinity();

    PCollection<KV<String, Long>> sums =
        p.apply(records)
            .apply(BundleCountsTest.<String>windows())
            .apply("OnePerRecord", MapElements.via(new OnePerRecord()))
            .apply("CountRecords", BundleCounts.summed())
            .apply("SumPerWindow", Sum.longsPerKey());

    PAssert.that(sums).inOnTimePane(FIRST).containsInAnyOrder(KV.of("pin|read", 2L));
    PAssert.that(sums).inLatePane(FIRST).containsInAnyOrder(KV.of("pin|read", 1L));
    PAssert.that(sums).inOnTimePane(SECOND).containsInAnyOrder(KV.of("pin|read", 1L));
    p.run().waitUntilFinish();
  }

  @Test
  public void summedCountsKeepEveryKeyAndWindow() {
    TestStream<KV<String, Long>> counts =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .addElements(
                TimestampedValue.of(KV.of("pin|cleaned|rule:x", 1L), at(1)),
                TimestampedValue.of(KV.of("pin|cleaned|rule:x", 1L), at(2)),
                TimestampedValue.of(KV.of("pin|cleaned|", 1L), at(2)),
                TimestampedValue.of(KV.of("pin|cleaned|rule:x", 1L), at(12)),
                TimestampedValue.of(KV.of("posts|complete", 5L), at(12)))
            .advanceWatermarkToInfinity();

    PCollection<KV<String, Long>> sums =
        p.apply(counts)
            .apply(BundleCountsTest.<KV<String, Long>>windows())
            .apply("SumPerBundle", BundleCounts.summed())
            .apply("SumPerWindow", Sum.longsPerKey());

    PAssert.that(sums)
        .inOnTimePane(FIRST)
        .containsInAnyOrder(KV.of("pin|cleaned|rule:x", 2L), KV.of("pin|cleaned|", 1L));
    PAssert.that(sums)
        .inOnTimePane(SECOND)
        .containsInAnyOrder(KV.of("pin|cleaned|rule:x", 1L), KV.of("posts|complete", 5L));
    p.run().waitUntilFinish();
  }

  @Test
  public void anEmptyCollectionCountsNothing() {
    PCollection<KV<String, Long>> sums =
        p.apply(Create.empty(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))).apply(BundleCounts.summed());
    PAssert.that(sums).empty();
    p.run().waitUntilFinish();
  }

  /** One {@code pin|read} count per record, as a reader would emit it. */
  private static final class OnePerRecord extends SimpleFunction<String, KV<String, Long>> {
    @Override
    public KV<String, Long> apply(String record) {
      return KV.of("pin|read", 1L);
    }
  }
}
