package io.pinpipe.emulator.generate;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Builds a JSON object exactly as Python's {@code json.dumps} writes it with its defaults, which
 * is what the original emulator sent: keys in insertion order, separators {@code ", "} and {@code
 * ": "}, and {@code ensure_ascii}: every character outside printable ASCII escaped as a lowercase
 * {@code \\uxxxx} (UTF-16 units, so characters beyond the BMP become surrogate pairs).
 */
public final class PythonJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final StringBuilder out;
  private boolean empty = true;

  public PythonJson(int capacity) {
    out = new StringBuilder(capacity).append('{');
  }

  public PythonJson field(String key, String value) {
    key(key);
    appendString(out, value);
    return this;
  }

  public PythonJson field(String key, long value) {
    key(key);
    out.append(value);
    return this;
  }

  /** A number already in Python's repr form, see {@link #pythonFloat}. */
  public PythonJson rawNumber(String key, String pythonRepr) {
    key(key);
    out.append(pythonRepr);
    return this;
  }

  /** {@code None} as json.dumps writes it, for a database column that holds NULL. */
  public PythonJson nullField(String key) {
    key(key);
    out.append("null");
    return this;
  }

  public String build() {
    return out.append('}').toString();
  }

  private void key(String key) {
    if (!empty) {
      out.append(", ");
    }
    empty = false;
    appendString(out, key);
    out.append(": ");
  }

  /** A JSON string literal as {@code json.dumps(s)} (ensure_ascii) writes it. */
  static void appendString(StringBuilder out, String s) {
    out.append('"');
    int plainFrom = 0; // copy runs of characters that need no escape in one go
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        continue;
      }
      out.append(s, plainFrom, i);
      appendEscaped(out, c);
      plainFrom = i + 1;
    }
    out.append(s, plainFrom, s.length());
    out.append('"');
  }

  private static void appendEscaped(StringBuilder out, char c) {
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        out.append("\\u")
            .append(HEX[(c >> 12) & 0xf])
            .append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
    }
  }

  /**
   * {@code value} rounded to {@code significantDigits} (at most 15), written as Python's {@code
   * repr} writes the float nearest to that decimal. With at most 15 significant digits that repr
   * is the decimal itself without trailing zeros: "-87.2", "90.0", "0.0001", and below 1e-4 in
   * scientific form with a two-digit exponent, "1.23456e-05".
   */
  public static String pythonFloat(double value, int significantDigits) {
    if (significantDigits < 1 || significantDigits > 15) {
      throw new IllegalArgumentException("1..15 significant digits, got " + significantDigits);
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("JSON has no " + value);
    }
    BigDecimal d =
        new BigDecimal(value).round(new MathContext(significantDigits, RoundingMode.HALF_EVEN));
    if (d.signum() == 0) {
      return "0.0";
    }
    d = d.stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1; // of the leading digit
    if (exponent < -4 || exponent >= 16) {
      String digits = d.unscaledValue().abs().toString();
      StringBuilder s = new StringBuilder();
      if (d.signum() < 0) {
        s.append('-');
      }
      s.append(digits.charAt(0));
      if (digits.length() > 1) {
        s.append('.').append(digits, 1, digits.length());
      }
      s.append(exponent < 0 ? "e-" : "e+");
      int e = Math.abs(exponent);
      if (e < 10) {
        s.append('0');
      }
      return s.append(e).toString();
    }
    String plain = d.toPlainString();
    return plain.indexOf('.') < 0 ? plain + ".0" : plain;
  }
}
