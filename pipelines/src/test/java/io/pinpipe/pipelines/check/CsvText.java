package io.pinpipe.pipelines.check;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/**
 * The check's own CSV formatter for query results (docs/semantics.md#queries): a header of the column names,
 * {@code \n} after every line, RFC 4180 quoting (a field holding a comma, quote, CR or LF is quoted,
 * quotes doubled), null as an empty field, numbers in plain decimal notation (integral values without
 * a fraction, others with the digits needed). Written independently of transforms/.
 */
final class CsvText {
  private CsvText() {}

  /** The whole result set as CSV text, rows in the order the query returned them. */
  static String of(ResultSet rows) throws SQLException {
    ResultSetMetaData meta = rows.getMetaData();
    int columns = meta.getColumnCount();
    StringBuilder csv = new StringBuilder();
    for (int c = 1; c <= columns; c++) {
      if (c > 1) {
        csv.append(',');
      }
      csv.append(field(meta.getColumnLabel(c)));
    }
    csv.append('\n');
    while (rows.next()) {
      for (int c = 1; c <= columns; c++) {
        if (c > 1) {
          csv.append(',');
        }
        csv.append(value(rows, c, meta.getColumnType(c)));
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  private static String value(ResultSet rows, int column, int sqlType) throws SQLException {
    switch (sqlType) {
      case Types.TINYINT:
      case Types.SMALLINT:
      case Types.INTEGER:
      case Types.BIGINT:
        {
          long value = rows.getLong(column);
          return rows.wasNull() ? "" : Long.toString(value);
        }
      case Types.FLOAT:
      case Types.REAL:
      case Types.DOUBLE:
        {
          double value = rows.getDouble(column);
          return rows.wasNull() ? "" : number(value);
        }
      case Types.VARCHAR:
        {
          String value = rows.getString(column);
          return value == null ? "" : field(value);
        }
      default:
        throw new IllegalStateException(
            "query column " + rows.getMetaData().getColumnLabel(column) + " has SQL type "
                + rows.getMetaData().getColumnTypeName(column) + "; the outputs hold only strings, integers and doubles");
    }
  }

  /** Plain decimal notation: {@code 59500}, {@code 15000000}, {@code 59500.5}, never an exponent. */
  static String number(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** One text field, quoted when it holds a comma, a quote, CR or LF. */
  static String field(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
