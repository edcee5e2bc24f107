package io.pinpipe.pipelines.report.html;

/** Escaping for text from the data, in HTML and SVG text and attributes. */
final class Html {
  private Html() {}

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** 1234567 → 1,234,567; 22000.5 → 22,000.5 (medians may be halves). */
  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(java.util.Locale.ROOT, "%,d", (long) value);
    }
    return String.format(java.util.Locale.ROOT, "%,.1f", value);
  }

  /**
   * A short form that is still exact, for a heat-map cell: 22000 → 22k, 21500 → 21.5k, 15000000 →
   * 15M; a value without such a form is written in full, as {@link #number}.
   */
  static String compact(double value) {
    if (Math.abs(value) >= 1e6 && Math.rint(value / 1e4) == value / 1e4) {
      return plain(value / 1e6) + "M";
    }
    if (Math.abs(value) >= 1e3 && Math.rint(value / 1e2) == value / 1e2) {
      return plain(value / 1e3) + "k";
    }
    return number(value);
  }

  private static String plain(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
