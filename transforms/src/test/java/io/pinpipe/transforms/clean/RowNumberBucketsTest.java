package io.pinpipe.transforms.clean;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Buckets whose number grows with the input, so that no group grows with it. */
@RunWith(JUnit4.class)
public class RowNumberBucketsTest {

  /** Rows per bucket for row numbers {@code [from, to)}. */
  private static Map<Integer, Integer> groups(long from, long to) {
    Map<Integer, Integer> sizes = new HashMap<>();
    for (long rowNumber = from; rowNumber < to; rowNumber++) {
      sizes.merge(RowNumberBuckets.of(rowNumber), 1, Integer::sum);
    }
    return sizes;
  }

  @Test
  public void oneSpanOfRowNumbersFillsSixteenBucketsEvenly() {
    Map<Integer, Integer> sizes = groups(0, 65_536);
    assertEquals(16, sizes.size());
    // 65,536 / 16 = 4,096 each if perfectly even; the scatter is a hash, so within 1%.
    assertTrue(sizes.toString(), Collections.max(sizes.values()) <= 4_137);
    assertTrue(sizes.toString(), Collections.min(sizes.values()) >= 4_055);
  }

  @Test
  public void tenMillionRowNumbersGetMoreBucketsNotBiggerOnes() {
    Map<Integer, Integer> sizes = groups(0, 10_000_000);
    // ceil(10,000,000 / 65,536) = 153 spans of 16 buckets; with a fixed 16 each would hold 625,000.
    assertEquals(153 * 16, sizes.size());
    assertTrue(sizes.toString(), Collections.max(sizes.values()) <= 4_137);
  }

  @Test
  public void rowNumbersArrivingInOrderAreSpreadOverSixteenKeysAtOnce() {
    // A live stream sends row numbers in order; 64 consecutive ones must not share one key (one worker).
    Map<Integer, Integer> sizes = groups(5_000, 5_064);
    assertEquals(16, sizes.size());
    assertTrue(sizes.toString(), Collections.max(sizes.values()) <= 8);
  }

  @Test
  public void spansHaveDisjointBucketsUpToTwoToTheFortyThree() {
    long lastSpanStart = (1L << 43) - RowNumberBuckets.SPAN;
    assertTrue(Collections.disjoint(
        groups(0, 4_096).keySet(), groups(lastSpanStart, lastSpanStart + 4_096).keySet()));
    assertTrue(Collections.disjoint(
        groups(lastSpanStart - 4_096, lastSpanStart).keySet(),
        groups(lastSpanStart, lastSpanStart + 4_096).keySet()));
  }

  @Test
  public void negativeAndExtremeRowNumbersAreScatteredToo() {
    // Parsing accepts any integral row number; those must group without overflow or a single hot key.
    assertEquals(16, groups(-65_536, 0).size());
    assertEquals(16, groups(Long.MAX_VALUE - 64, Long.MAX_VALUE).size());
    assertEquals(16, groups(Long.MIN_VALUE, Long.MIN_VALUE + 64).size());
  }
}
