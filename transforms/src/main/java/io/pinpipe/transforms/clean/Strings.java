package io.pinpipe.transforms.clean;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.checkerframework.checker.nullness.qual.Nullable;

/** The rule every kind shares: a blank string carries no value and becomes null. */
final class Strings {
  private Strings() {}

  /** Each field's rule name, built once rather than per record. */
  private static final Map<String, String> BLANK_TO_NULL = new ConcurrentHashMap<>();

  static @Nullable String blankToNull(@Nullable String value, String field, CleaningLog log) {
    if (value != null && value.isBlank()) {
      log.fired(BLANK_TO_NULL.computeIfAbsent(field, f -> f + "_blank_to_null"));
      return null;
    }
    return value;
  }
}
