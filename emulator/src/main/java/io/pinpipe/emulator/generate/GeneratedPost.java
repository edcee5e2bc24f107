package io.pinpipe.emulator.generate;

import io.pinpipe.contract.RecordKind;
import java.util.Objects;

/**
 * One posting event: the pin, geo and user records that share a row number, each as the exact
 * JSON text the original Python emulator sent. A resent duplicate is an equal {@code GeneratedPost}.
 */
public record GeneratedPost(long index, String pinJson, String geoJson, String userJson) {

  public GeneratedPost {
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
