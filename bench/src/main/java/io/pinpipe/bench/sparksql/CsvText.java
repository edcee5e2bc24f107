package io.pinpipe.bench.sparksql;

import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The results' CSV format (docs/semantics.md#queries), copied from the pipelines module's test check
 * ({@code io.pinpipe.pipelines.check.CsvText}) so that the bench does not depend on test classes:
 * a header of the column names, {@code \n} after every line, RFC 4180 quoting (a field holding a
 * comma, quote, CR or LF is quoted, quotes doubled), null as an empty field, numbers in plain
 * decimal notation (integral values without a fraction, others with the digits needed).
 */
final class CsvText {
  private CsvText() {}

  /** The rows as CSV text, in the order given. */
  static String of(StructType schema, List<Row> rows) {
    StringBuilder csv = new StringBuilder();
    StructField[] fields = schema.fields();
    for (int c = 0; c < fields.length; c++) {
      if (c > 0) {
        csv.append(',');
      }
      csv.append(field(fields[c].name()));
    }
    csv.append('\n');
    for (Row row : rows) {
      for (int c = 0; c < fields.length; c++) {
        if (c > 0) {
          csv.append(',');
        }
        csv.append(row.isNullAt(c) ? "" : value(row, c, fields[c]));
      }
      csv.append('\n');
    }
    return csv.toString();
  }

  private static String value(Row row, int c, StructField field) {
    DataType type = field.dataType();
    if (type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)) {
      return Long.toString(((Number) row.get(c)).longValue());
    }
    if (type.equals(DataTypes.DoubleType)) {
      return number(row.getDouble(c));
    }
    if (type.equals(DataTypes.StringType)) {
      return field(row.getString(c));
    }
    throw new IllegalStateException(
        "result column " + field.name() + " has type " + type.simpleString()
            + "; the outputs hold only strings, integers and doubles");
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
