package io.pinpipe.emulator;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, or plain seconds. */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

  private Durations() {}

  static long parseNanos(String option, String text) throws UsageException {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      throw new UsageException("--" + option + " must look like 500ms, 30s, 5m or 2h, got '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    long nanosPerUnit =
        switch (unit) {
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m" -> 60_000_000_000L;
          default -> 3_600_000_000_000L;
        };
    if (n == 0 || n > Long.MAX_VALUE / nanosPerUnit) {
      throw new UsageException("--" + option + " must be positive and below 100 years, got '" + text + "'");
    }
    return n * nanosPerUnit;
  }
}
