package io.pinpipe.transforms.results;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Formats query results as CSV (docs/semantics.md#queries, "CSV"): RFC 4180 quoting, null as an
 * empty field, numbers in plain decimal notation. Pure functions without IO: the pipelines module
 * writes the files.
 *
 * <p>Lines are returned without their terminator; a file joins them with {@link #LINE_END}, as
 * {@link #document} does.
 */
public final class ResultCsv {
  private ResultCsv() {}

  /** Line terminator of the result files. */
  public static final String LINE_END = "\n";

  /** The header line: the column names of {@code schema}, in order. */
  public static String header(Schema schema) {
    List<String> names = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      names.add(quote(field.getName()));
    }
    return String.join(",", names);
  }

  /** One row as a CSV line, without line terminator. */
  public static String line(Row row) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < row.getFieldCount(); i++) {
      if (i > 0) {
        line.append(',');
      }
      line.append(field(row.getValue(i)));
    }
    return line.toString();
  }

  /**
   * A whole result file: the header and every row sorted by the output's order, each line ended by
   * {@link #LINE_END}. Meant for results, which are small; {@code rows} is not modified.
   */
  public static String document(QueryOutput output, Iterable<Row> rows) {
    return document(output, rows, "", "");
  }

  /**
   * A result file with leading columns: {@code headerPrefix} before the header (column names, each
   * followed by a comma) and {@code linePrefix} before every row (their values), such as the
   * window bounds of a streaming result.
   */
  public static String document(
      QueryOutput output, Iterable<Row> rows, String headerPrefix, String linePrefix) {
    List<Row> sorted = new ArrayList<>();
    rows.forEach(sorted::add);
    sorted.sort(output.comparator());
    StringBuilder doc = new StringBuilder(headerPrefix).append(header(output.schema())).append(LINE_END);
    for (Row row : sorted) {
      doc.append(linePrefix).append(line(row)).append(LINE_END);
    }
    return doc.toString();
  }

  /** One value as a CSV field: empty for null, numbers in plain notation, text quoted if needed. */
  public static String field(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Number) {
      return number((Number) value);
    }
    return quote(value.toString());
  }

  /**
   * A number in plain decimal notation, never with an exponent: integral values without a fraction
   * ({@code 59500}, {@code 1.0E7} as {@code 10000000}), others with the fewest digits that read
   * back as the same double ({@code 59500.5}). Non-finite doubles, which no query produces, print
   * as Java does ({@code NaN}, {@code Infinity}).
   */
  public static String number(Number value) {
    if (value instanceof Double || value instanceof Float) {
      double d = value.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        return Double.toString(d);
      }
      if (d == 0) {
        return "0"; // also for -0.0
      }
      // Double.toString gives the shortest digits that identify the double; BigDecimal drops
      // its exponent and any trailing zeros (1.0E7 -> 10000000, 59500.50 -> 59500.5).
      return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    return value.toString(); // Byte, Short, Integer, Long, BigInteger: already plain.
  }

  /** Quotes {@code text} if it holds a comma, a double quote, CR or LF, doubling inner quotes. */
  public static String quote(String text) {
    boolean needsQuotes =
        text.indexOf(',') >= 0
            || text.indexOf('"') >= 0
            || text.indexOf('\r') >= 0
            || text.indexOf('\n') >= 0;
    return needsQuotes ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }
}
