package io.pinpipe.transforms.clean;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import io.pinpipe.transforms.clean.FollowerCounts.Form;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Pinterest's follower counts: plain digits, {@code k} and {@code M} suffixes, rounded half up. */
@RunWith(JUnit4.class)
public class FollowerCountsTest {

  private static void assertParses(String text, long value, Form form) {
    FollowerCounts.Parsed parsed = FollowerCounts.parse(text);
    assertNotNull("'" + text + "' should parse", parsed);
    assertEquals("value of '" + text + "'", value, parsed.value);
    assertEquals("form of '" + text + "'", form, parsed.form);
  }

  private static void assertNotParsed(String text) {
    assertNull("'" + text + "' should not parse", FollowerCounts.parse(text));
  }

  @Test
  public void plainDigitsAreTheCount() {
    assertParses("437", 437L, Form.DIGITS);
    assertParses("0", 0L, Form.DIGITS);
  }

  @Test
  public void thousandsSuffixMultipliesByOneThousand() {
    assertParses("26k", 26_000L, Form.THOUSANDS);
  }

  @Test
  public void upperCaseThousandsSuffixIsAccepted() {
    assertParses("26K", 26_000L, Form.THOUSANDS);
  }

  @Test
  public void decimalThousandsAreExact() {
    assertParses("1.5k", 1_500L, Form.THOUSANDS);
  }

  @Test
  public void millionsSuffixMultipliesByOneMillion() {
    assertParses("6M", 6_000_000L, Form.MILLIONS);
    assertParses("15M", 15_000_000L, Form.MILLIONS);
    assertParses("1.2M", 1_200_000L, Form.MILLIONS);
  }

  @Test
  public void fractionalResultIsRoundedHalfUp() {
    // 1.2345k = 1234.5 -> 1235; 1.2344k = 1234.4 -> 1234.
    assertParses("1.2345k", 1_235L, Form.THOUSANDS);
    assertParses("1.2344k", 1_234L, Form.THOUSANDS);
    assertParses("0.5", 1L, Form.DIGITS);
    assertParses("2.49", 2L, Form.DIGITS);
  }

  @Test
  public void surroundingWhitespaceIsTrimmed() {
    assertParses(" 26k ", 26_000L, Form.THOUSANDS);
  }

  @Test
  public void userInfoErrorPlaceholderIsNotACount() {
    assertNotParsed("User Info Error");
  }

  @Test
  public void emptyAndBlankTextAreNotACount() {
    assertNotParsed("");
    assertNotParsed("   ");
  }

  @Test
  public void textOtherThanDigitsWithOptionalSuffixIsNotACount() {
    assertNotParsed("abc");
    assertNotParsed("1e3");
    assertNotParsed("-5");
    assertNotParsed("+5");
    assertNotParsed("26m");
    assertNotParsed("26 k");
    assertNotParsed("1,000");
    assertNotParsed(".5k");
    assertNotParsed("5.k");
    assertNotParsed("k");
    assertNotParsed("26kk");
  }

  @Test
  public void largestCountThatFitsInt64IsParsed() {
    assertParses("9223372036854M", 9_223_372_036_854_000_000L, Form.MILLIONS);
  }

  @Test
  public void countBeyondInt64IsNotACountRatherThanAnError() {
    // 9,223,372,036,855 million exceeds Long.MAX_VALUE (9,223,372,036,854,775,807).
    assertNotParsed("9223372036855M");
    assertNotParsed("999999999999999M");
  }
}
