package io.pinpipe.emulator.generate;

import io.pinpipe.contract.RecordKind;
import java.util.Objects;

/**
 * One posting event: the pin, geo and user records that share a row number, each as the exact
 * JSON text the original Python emulator sent. A resent duplicate is an equal {@code Post}.
 */
public record Post(long index, String pinJson, String geoJson, String userJson) {

  public Post {
    Objects.requireNonNull(pinJson, "pinJson");
    Objects.requireNonNull(geoJson, "geoJson");
    Objects.requireNonNull(userJson, "userJson");
  }

  /** The record of the given kind. */
  public String json(RecordKind kind) {
    switch (kind) {
      case PIN:
        return pinJson;
      case GEO:
        return geoJson;
      case USER:
        return userJson;
      default:
        throw new AssertionError(kind);
    }
  }
}
