package io.pinpipe.emulator.generate;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Datetimes as the original sent them: {@code "2020-08-28 03:52:47"}, UTC. */
final class Timestamps {
  private Timestamps() {}

  static long epochSecond(String isoLocal) {
    return LocalDateTime.parse(isoLocal).toEpochSecond(ZoneOffset.UTC);
  }

  static String format(long epochSecond) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
    StringBuilder s = new StringBuilder(19);
    s.append(t.getYear()).append('-');
    twoDigits(s, t.getMonthValue()).append('-');
    twoDigits(s, t.getDayOfMonth()).append(' ');
    twoDigits(s, t.getHour()).append(':');
    twoDigits(s, t.getMinute()).append(':');
    return twoDigits(s, t.getSecond()).toString();
  }

  private static StringBuilder twoDigits(StringBuilder s, int value) {
    return s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
