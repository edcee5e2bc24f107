package io.pinpipe.transforms.queries;

import org.joda.time.DateTimeZone;
import org.joda.time.ReadableInstant;

/** The years the queries report (docs/semantics.md#queries): a post's or a joining year, in UTC. */
final class Years {
  private Years() {}

  /**
   * The UTC year of {@code instant} if it lies within {@code from..to} (inclusive), else null: a
   * post's or a joining year, or a reason to leave the row out.
   */
  static Integer within(ReadableInstant instant, int from, int to) {
    if (instant == null) {
      return null;
    }
    int year = instant.toInstant().toDateTime(DateTimeZone.UTC).getYear();
    return from <= year && year <= to ? year : null;
  }
}
