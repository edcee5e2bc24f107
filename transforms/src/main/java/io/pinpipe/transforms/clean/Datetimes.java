package io.pinpipe.transforms.clean;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * Parses the contract's datetimes as UTC instants: {@code 2020-08-28 03:52:47} (the original
 * database's format) and ISO {@code 2020-08-28T03:52:47}, optionally with a fraction and an offset
 * ({@code Z}, {@code +02:00}). A value without an offset is UTC.
 */
public final class Datetimes {
  private Datetimes() {}

  public static @Nullable Instant parseUtc(String text) {
    String iso = text.trim();
    // YYYY only: java.time also reads ISO's signed expanded years (+999999999-12-31T...), whose
    // epoch milliseconds overflow (toEpochMilli throws).
    if (iso.isEmpty() || iso.charAt(0) < '0' || iso.charAt(0) > '9') {
      return null;
    }
    if (iso.length() > 10 && iso.charAt(10) == ' ') {
      iso = iso.substring(0, 10) + 'T' + iso.substring(11);
    }
    // A string parses as at most one of the two forms, so the order of the attempts does not change
    // the result; trying the likely form first saves a thrown exception per value (most carry no
    // offset, as the original database wrote them).
    boolean offsetFirst = hasOffsetSuffix(iso);
    Instant first = offsetFirst ? withOffset(iso) : withoutOffset(iso);
    if (first != null) {
      return first;
    }
    return offsetFirst ? withoutOffset(iso) : withOffset(iso);
  }

  /** Ends like an offset: {@code Z}, or {@code +hh:mm}/{@code -hh:mm} after the time of day. */
  private static boolean hasOffsetSuffix(String iso) {
    char last = iso.charAt(iso.length() - 1);
    return last == 'Z' || last == 'z' || iso.indexOf('+', 10) > 0 || iso.indexOf('-', 10) > 0;
  }

  private static @Nullable Instant withOffset(String iso) {
    try {
      return toJoda(OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException notOffset) {
      return null;
    }
  }

  private static @Nullable Instant withoutOffset(String iso) {
    try {
      return toJoda(LocalDateTime.parse(iso, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC));
    } catch (DateTimeParseException notLocal) {
      return null;
    }
  }

  private static Instant toJoda(java.time.Instant instant) {
    // Beam's DATETIME keeps milliseconds; finer fractions are truncated.
    return Instant.ofEpochMilli(instant.toEpochMilli());
  }
}
