package io.pinpipe.transforms.results;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.values.Row;

/**
 * The sort order of query outputs (docs/semantics.md#queries): by every column in output order; an {@code
 * age_group} column youngest first, numbers numerically, strings by code point ({@link
 * String#compareTo}). Nulls, which no output contains, sort first so that the order stays total.
 *
 * <p>Because it compares every column, two rows compare equal exactly when they are equal, which
 * the top-with-ties combiner relies on to keep rows distinct.
 */
final class RowOrder implements SerializableComparator<Row> {
  private static final long serialVersionUID = 1L;

  private final Schema schema;

  RowOrder(Schema schema) {
    this.schema = schema;
  }

  @Override
  public int compare(Row a, Row b) {
    List<Schema.Field> fields = schema.getFields();
    for (int i = 0; i < fields.size(); i++) {
      int c = compareValues(fields.get(i), a.getValue(i), b.getValue(i));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareValues(Schema.Field field, Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    // The one column compared by age group order rather than as a string.
    if (QueryOutput.Column.AGE_GROUP.equals(field.getName())) {
      return AgeGroups.compare((String) a, (String) b);
    }
    // Strings (code point order), boxed numbers and Joda instants are all Comparable.
    return ((Comparable) a).compareTo(b);
  }
}
