package io.pinpipe.transforms.clean;

import org.checkerframework.checker.nullness.qual.Nullable;

/** The rule every kind shares: a blank string carries no value and becomes null. */
final class Strings {
  private Strings() {}

  static @Nullable String blankToNull(@Nullable String value, String field, CleaningLog log) {
    if (value != null && value.isBlank()) {
      log.fired(field + "_blank_to_null");
      return null;
    }
    return value;
  }
}
