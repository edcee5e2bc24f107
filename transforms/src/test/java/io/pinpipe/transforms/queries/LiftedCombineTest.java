package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.QuerySettings.Median;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
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
 * A combine lifted per bundle gives {@code Combine.perKey}'s results in the same windows and panes:
 * on time, late within the allowed lateness, or not at all once the window has expired; and it
 * never modifies an element (TestPipeline's DirectRunner checks that).
 */
@RunWith(JUnit4.class)
public class LiftedCombineTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Duration WINDOW = Duration.standardSeconds(10);
  private static final IntervalWindow FIRST = new IntervalWindow(new Instant(0), WINDOW);
  private static final IntervalWindow SECOND = new IntervalWindow(new Instant(10_000), WINDOW);

  private static Instant at(int seconds) {
    return new Instant(seconds * 1000L);
  }

  private static TimestampedValue<KV<String, Long>> value(String key, long value, int second) {
    return TimestampedValue.of(KV.of(key, value), at(second));
  }

  @Test
  public void aKeyWithMoreInputsThanAPartialHoldsIsEmittedInPartsAndMerged() {
    // 2,500 inputs of one key in one bundle: two partials emitted while the bundle runs, one when
    // it finishes. Values 1..2,500: the median is (1,250 + 1,251) / 2.
    int n = 2 * LiftedCombine.MAX_INPUTS_PER_PARTIAL + 500;
    List<TimestampedValue<KV<String, Long>>> values = new ArrayList<>();
    for (int v = n; v >= 1; v--) {
      values.add(value("c", v, v % 10));
    }
    TestStream<KV<String, Long>> followers =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            .addElements(values.get(0), values.subList(1, n).toArray(new TimestampedValue[0]))
            .advanceWatermarkToInfinity();

    PCollection<KV<String, Double>> medians =
        p.apply(followers)
            .apply(Window.<KV<String, Long>>into(FixedWindows.of(WINDOW)))
            .apply("Median", LiftedCombine.perKey(new MedianFn(Median.EXACT)));

    PAssert.that(medians).inOnTimePane(FIRST).containsInAnyOrder(KV.of("c", 1250.5));
    p.run().waitUntilFinish();
  }

  @Test
  public void mediansPerWindowAndKeyKeepTheirPanes() {
    TestStream<KV<String, Long>> followers =
        TestStream.create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
            // one bundle holding both windows and two keys
            .addElements(value("a", 1, 1), value("a", 9, 2), value("b", 4, 9), value("a", 7, 11))
            // another bundle for the first window's "a": its median is over both bundles
            .addElements(value("a", 5, 3), value("a", 6, 4))
            .advanceWatermarkTo(at(15))
            // late for the first window, within its allowed lateness: a late pane of its own
            .addElements(value("a", 100, 3))
            .advanceWatermarkTo(at(45))
            // the first window has expired (10 s + 30 s): dropped, as Combine.perKey drops it
            .addElements(value("a", 1_000, 4))
            .advanceWatermarkToInfinity();

    PCollection<KV<String, Double>> medians =
        p.apply(followers)
            .apply(
                Window.<KV<String, Long>>into(FixedWindows.of(WINDOW))
                    .withAllowedLateness(Duration.standardSeconds(30))
                    .discardingFiredPanes())
            .apply("Median", LiftedCombine.perKey(new MedianFn(Median.EXACT)));

    // first window, "a": 1, 5, 6, 9 -> (5 + 6) / 2
    PAssert.that(medians).inOnTimePane(FIRST).containsInAnyOrder(KV.of("a", 5.5), KV.of("b", 4.0));
    PAssert.that(medians).inLatePane(FIRST).containsInAnyOrder(KV.of("a", 100.0));
    PAssert.that(medians).inOnTimePane(SECOND).containsInAnyOrder(KV.of("a", 7.0));
    p.run().waitUntilFinish();
  }

  @Test
  public void distinctPersonsPerYearMatchAPlainJavaCount() {
    // 20,000 records of 700 persons over 6 years: each year's set is split across partials (more
    // inputs than a partial takes), and the same person recurs in different partials.
    Random random = new Random(42);
    List<KV<Integer, String>> records = new ArrayList<>();
    Map<Integer, Set<String>> model = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      int year = 2015 + random.nextInt(6);
      String person = "person-" + random.nextInt(700);
      records.add(KV.of(year, person));
      model.computeIfAbsent(year, y -> new HashSet<>()).add(person);
    }
    List<KV<Integer, Long>> expected = new ArrayList<>();
    model.forEach((year, persons) -> expected.add(KV.of(year, (long) persons.size())));

    PCollection<KV<Integer, Long>> counts =
        p.apply(Create.of(records).withCoder(KvCoder.of(VarIntCoder.of(), StringUtf8Coder.of())))
            .apply("CountPersons", LiftedCombine.perKey(new UsersJoinedByYear.CountUsersFn(true)));

    PAssert.that(counts).containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }
}
