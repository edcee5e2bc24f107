package io.pinpipe.transforms.aggregate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The median combiner (a histogram of values), exact or lower, under any bundling and merge. */
@RunWith(JUnit4.class)
public class MedianFnTest {

  private static Double median(Median mode, Long... values) {
    MedianFn fn = new MedianFn(mode);
    Map<Long, Long> acc = fn.createAccumulator();
    for (Long value : values) {
      acc = fn.addInput(acc, value);
    }
    return fn.extractOutput(acc);
  }

  @Test
  public void anOddCountsMedianIsTheMiddleValueInBothModes() {
    assertEquals(5.0, median(Median.EXACT, 9L, 1L, 5L), 0);
    assertEquals(5.0, median(Median.LOWER, 9L, 1L, 5L), 0);
  }

  @Test
  public void anEvenCountAveragesTheMiddlePairWhenExactAndTakesTheLowerWhenLower() {
    assertEquals(59500.5, median(Median.EXACT, 60000L, 59000L, 59001L, 70000L), 0);
    assertEquals(59001.0, median(Median.LOWER, 60000L, 59000L, 59001L, 70000L), 0);
    assertEquals(7.5, median(Median.EXACT, 10L, 5L), 0);
    assertEquals(5.0, median(Median.LOWER, 10L, 5L), 0);
  }

  @Test
  public void repeatedValuesCountOncePerOccurrence() {
    // 1000 x3, 26000 x2, 6000000 x1: sorted 1000 1000 1000 26000 26000 6000000.
    Long[] values = {26000L, 1000L, 6_000_000L, 1000L, 26000L, 1000L};
    assertEquals(13500.0, median(Median.EXACT, values), 0);
    assertEquals(1000.0, median(Median.LOWER, values), 0);
  }

  @Test
  public void nullsAreIgnoredAndNoValueHasNoMedian() {
    assertEquals(2.0, median(Median.EXACT, null, 2L, null), 0);
    assertNull(median(Median.EXACT, null, null));
    assertNull(median(Median.LOWER));
  }

  @Test
  public void largeValuesAreAveragedWithoutOverflow() {
    assertEquals(4.5e15, median(Median.EXACT, 4_000_000_000_000_000L, 5_000_000_000_000_000L), 0);
  }

  @Test
  public void theMedianDoesNotDependOnBundlingOrOrder() {
    Random random = new Random(7);
    for (int n = 1; n <= 9; n++) {
      List<Long> values = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        values.add((long) random.nextInt(4) * 1000);
      }
      List<Long> sorted = new ArrayList<>(values);
      Collections.sort(sorted);
      double exact =
          n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
      double lower = sorted.get((n + 1) / 2 - 1);
      CombineFnTester.testCombineFn(new MedianFn(Median.EXACT), values, exact);
      CombineFnTester.testCombineFn(new MedianFn(Median.LOWER), values, lower);
    }
  }

  @Test
  public void theHistogramAccumulatorSurvivesItsCoder() throws Exception {
    MedianFn fn = new MedianFn(Median.EXACT);
    Coder<Map<Long, Long>> coder =
        fn.getAccumulatorCoder(CoderRegistry.createDefault(), VarLongCoder.of());
    Map<Long, Long> histogram = fn.createAccumulator();
    for (Long value : Arrays.asList(5L, 5L, 26000L, 0L)) {
      fn.addInput(histogram, value);
    }
    CoderProperties.coderDecodeEncodeEqual(coder, histogram);
  }
}
