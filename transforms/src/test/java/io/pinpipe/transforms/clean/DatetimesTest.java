package io.pinpipe.transforms.clean;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The contract's datetimes, parsed as UTC instants. */
@RunWith(JUnit4.class)
public class DatetimesTest {

  private static Instant utc(int year, int month, int day, int hour, int minute, int second, int millis) {
    return new DateTime(year, month, day, hour, minute, second, millis, DateTimeZone.UTC).toInstant();
  }

  private static final Instant AUG_28_035247 = utc(2020, 8, 28, 3, 52, 47, 0);

  @Test
  public void spaceSeparatedFormIsUtc() {
    assertEquals(AUG_28_035247, Datetimes.parseUtc("2020-08-28 03:52:47"));
    assertEquals(1_598_586_767_000L, Datetimes.parseUtc("2020-08-28 03:52:47").getMillis());
  }

  @Test
  public void isoFormIsUtc() {
    assertEquals(AUG_28_035247, Datetimes.parseUtc("2020-08-28T03:52:47"));
  }

  @Test
  public void fractionIsKeptToTheMillisecond() {
    assertEquals(utc(2020, 8, 28, 3, 52, 47, 123), Datetimes.parseUtc("2020-08-28T03:52:47.123"));
    assertEquals(utc(2020, 8, 28, 3, 52, 47, 500), Datetimes.parseUtc("2020-08-28 03:52:47.5"));
  }

  @Test
  public void fractionFinerThanMillisecondsIsTruncated() {
    assertEquals(
        utc(2020, 8, 28, 3, 52, 47, 123), Datetimes.parseUtc("2020-08-28T03:52:47.123999999Z"));
  }

  @Test
  public void zuluSuffixIsUtc() {
    assertEquals(AUG_28_035247, Datetimes.parseUtc("2020-08-28T03:52:47Z"));
  }

  @Test
  public void positiveOffsetIsConvertedToUtc() {
    assertEquals(AUG_28_035247, Datetimes.parseUtc("2020-08-28T05:52:47+02:00"));
  }

  @Test
  public void negativeOffsetIsConvertedToUtcAcrossMidnight() {
    assertEquals(utc(2020, 8, 29, 1, 0, 0, 0), Datetimes.parseUtc("2020-08-28T22:00:00-03:00"));
  }

  @Test
  public void spaceSeparatedFormWithOffsetAndFraction() {
    assertEquals(
        utc(2020, 8, 28, 3, 52, 47, 250), Datetimes.parseUtc("2020-08-28 05:52:47.25+02:00"));
  }

  @Test
  public void surroundingWhitespaceIsIgnored() {
    assertEquals(AUG_28_035247, Datetimes.parseUtc(" 2020-08-28 03:52:47 "));
  }

  @Test
  public void garbageIsNotADatetime() {
    assertNull(Datetimes.parseUtc("garbage"));
    assertNull(Datetimes.parseUtc(""));
    assertNull(Datetimes.parseUtc("28/08/2020 03:52:47"));
    assertNull(Datetimes.parseUtc("2020-08-28 03:52:47 UTC"));
  }

  @Test
  public void dateWithoutTimeIsNotADatetime() {
    assertNull(Datetimes.parseUtc("2020-08-28"));
  }

  @Test
  public void impossibleCalendarValuesAreNotDatetimes() {
    assertNull(Datetimes.parseUtc("2021-02-29 00:00:00"));
    assertNull(Datetimes.parseUtc("2020-08-28 24:00:00"));
    assertNull(Datetimes.parseUtc("2020-13-01 00:00:00"));
  }

  @Test
  public void leapDayIsADatetime() {
    assertEquals(utc(2020, 2, 29, 12, 0, 0, 0), Datetimes.parseUtc("2020-02-29 12:00:00"));
  }

  @Test
  public void yearOutsideFourDigitsIsNotADatetimeRatherThanAnError() {
    // ISO's expanded years parse in java.time, but +999999999 overflows epoch milliseconds.
    assertNull(Datetimes.parseUtc("+999999999-12-31T23:59:59"));
    assertNull(Datetimes.parseUtc("+10000-01-01T00:00:00"));
    assertNull(Datetimes.parseUtc("-0001-01-01T00:00:00"));
  }
}
