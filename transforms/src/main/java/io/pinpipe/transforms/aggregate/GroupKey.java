package io.pinpipe.transforms.aggregate;

import io.pinpipe.transforms.results.QueryOutput;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.Row;

/**
 * The values a query groups one input row by, in the order of the output's leading columns, e.g.
 * {@code Arrays.asList(country, category)} for q1.
 *
 * <p>A row whose key holds a null, or for which the function returns null, is left out of the query
 * (docs/semantics.md#queries: null keys). Building that rule into the keying step, rather than
 * filtering before it, saves a step on every joined row.
 */
@FunctionalInterface
public interface GroupKey extends SerializableFunction<Row, List<Object>> {

  /** The first {@code columns} columns of {@code output}: the schema of its group keys. */
  static Schema schema(QueryOutput output, int columns) {
    return new Schema(output.schema().getFields().subList(0, columns));
  }

  /** The key of {@code row} as a row of {@code keySchema}, or null if the row is left out. */
  static Row keyRow(GroupKey key, Schema keySchema, Row row) {
    List<Object> values = key.apply(row);
    if (values == null || values.contains(null)) {
      return null;
    }
    return Row.withSchema(keySchema).attachValues(values);
  }
}
