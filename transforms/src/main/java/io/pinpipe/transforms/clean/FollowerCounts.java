package io.pinpipe.transforms.clean;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Parses Pinterest's follower counts: {@code "437"}, {@code "26k"}, {@code "1.5k"}, {@code "6M"}.
 * {@code k} multiplies by 1,000 and {@code M} by 1,000,000; a fractional result is rounded half up.
 */
public final class FollowerCounts {
  private FollowerCounts() {}

  private static final Pattern FORMAT = Pattern.compile("(\\d{1,15}(?:\\.\\d{1,6})?)([kKM]?)");
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** Which form a parsed count had; the data-quality report counts each. */
  public enum Form {
    DIGITS,
    THOUSANDS,
    MILLIONS
  }

  /** A parsed count and its form. */
  public static final class Parsed {
    public final long value;
    public final Form form;

    Parsed(long value, Form form) {
      this.value = value;
      this.form = form;
    }
  }

  /** The count, or null when the text is not a follower count. */
  public static @Nullable Parsed parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    BigDecimal number = new BigDecimal(m.group(1));
    try {
      switch (m.group(2)) {
        case "":
          return new Parsed(round(number), Form.DIGITS);
        case "M":
          return new Parsed(round(number.multiply(MILLION)), Form.MILLIONS);
        default:
          return new Parsed(round(number.multiply(THOUSAND)), Form.THOUSANDS);
      }
    } catch (ArithmeticException beyondInt64) {
      return null; // up to 15 digits times a million can exceed Long.MAX_VALUE
    }
  }

  private static long round(BigDecimal value) {
    return value.setScale(0, RoundingMode.HALF_UP).longValueExact();
  }
}
