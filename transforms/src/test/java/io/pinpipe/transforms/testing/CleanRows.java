package io.pinpipe.transforms.testing;

import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Builders of clean records ({@link RecordSchemas#PIN}, {@link RecordSchemas#GEO}, {@link
 * RecordSchemas#USER}) holding only the columns the queries read; the other columns are null.
 * Datetimes are ISO-8601 strings with an offset, e.g. {@code "2018-01-01T00:00:00Z"}, or null.
 */
public final class CleanRows {
  private CleanRows() {}

  public static Row pin(long ind, String category, String posterName, Long followerCount) {
    return Row.withSchema(RecordSchemas.PIN)
        .withFieldValue("ind", ind)
        .withFieldValue("unique_id", "uid-" + ind)
        .withFieldValue("category", category)
        .withFieldValue("poster_name", posterName)
        .withFieldValue("follower_count", followerCount)
        .build();
  }

  public static Row geo(long ind, String country, String timestamp) {
    return Row.withSchema(RecordSchemas.GEO)
        .withFieldValue("ind", ind)
        .withFieldValue("country", country)
        .withFieldValue("coordinates", List.of(1.5, -2.5))
        .withFieldValue("timestamp", instant(timestamp))
        .build();
  }

  public static Row user(long ind, String userName, Integer age, String dateJoined) {
    return Row.withSchema(RecordSchemas.USER)
        .withFieldValue("ind", ind)
        .withFieldValue("user_name", userName)
        .withFieldValue("age", age)
        .withFieldValue("date_joined", instant(dateJoined))
        .build();
  }

  public static Instant instant(String iso) {
    return iso == null ? null : Instant.parse(iso);
  }
}
