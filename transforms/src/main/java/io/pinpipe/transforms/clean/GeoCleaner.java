package io.pinpipe.transforms.clean;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.Arrays;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/** Geo rules: latitude and longitude become one {@code coordinates} array; the timestamp is parsed (UTC). */
public final class GeoCleaner implements RecordCleaner {

  @Override
  public RecordKind kind() {
    return RecordKind.GEO;
  }

  @Override
  public Row clean(Row parsed, CleaningLog log) {
    Double latitude = parsed.getDouble("latitude");
    Double longitude = parsed.getDouble("longitude");
    Object coordinates = null;
    if (latitude != null || longitude != null) {
      coordinates = Arrays.asList(latitude, longitude);
      log.fired("coordinates_from_latitude_longitude");
    }
    return Row.withSchema(RecordSchemas.GEO)
        .attachValues(
            parsed.getInt64("ind"),
            Strings.blankToNull(parsed.getString("country"), "country", log),
            coordinates,
            datetime(parsed.getString("timestamp"), "timestamp", log));
  }

  static Instant datetime(String text, String field, CleaningLog log) {
    String value = Strings.blankToNull(text, field, log);
    if (value == null) {
      return null;
    }
    Instant instant = Datetimes.parseUtc(value);
    if (instant == null) {
      log.nulled(field, "unparseable_datetime");
    }
    return instant;
  }
}
