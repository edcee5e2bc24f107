package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.QuerySettings.Ties;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Keeps, among rows of an output, those with the maximal value of its last column: per group of its
 * leading columns, or overall. See {@link TopWithTiesFn} for ties.
 *
 * <p>Windowing-agnostic: per group it is a {@link LiftedCombine#perKey}; overall it is a {@link
 * Combine#globally} {@link Combine.Globally#withoutDefaults() without defaults}. A default would
 * make an empty global window emit an (empty) result, and is refused by Beam in any other window;
 * without it, a window with no rows simply has no top row, like the per-group case.
 */
final class TopPerGroup extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QueryOutput output;
  private final int groupColumns;
  private final Ties ties;

  private TopPerGroup(QueryOutput output, int groupColumns, Ties ties) {
    this.output = output;
    this.groupColumns = groupColumns;
    this.ties = ties;
  }

  /** The top rows per distinct value of the first {@code groupColumns} columns. */
  static TopPerGroup perGroup(QueryOutput output, int groupColumns, Ties ties) {
    if (groupColumns < 1 || groupColumns >= output.schema().getFieldCount()) {
      throw new IllegalArgumentException("groupColumns out of range: " + groupColumns);
    }
    return new TopPerGroup(output, groupColumns, ties);
  }

  /** The top rows of the whole input (of each window). */
  static TopPerGroup overall(QueryOutput output, Ties ties) {
    return new TopPerGroup(output, 0, ties);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> rows) {
    TopWithTiesFn top = TopWithTiesFn.of(output, ties);
    PCollection<List<Row>> winners;
    if (groupColumns == 0) {
      winners = rows.apply("KeepTop", Combine.globally(top).withoutDefaults());
    } else {
      Schema keySchema = GroupKey.schema(output, groupColumns);
      int keyColumns = groupColumns;
      winners =
          rows.apply(
                  "KeyByGroup",
                  WithKeys.of((Row row) -> prefix(row, keySchema, keyColumns))
                      .withKeyType(TypeDescriptor.of(Row.class)))
              .setCoder(KvCoder.of(RowCoder.of(keySchema), RowCoder.of(output.schema())))
              .apply("KeepTopPerGroup", LiftedCombine.perKey(top))
              .apply("DropKeys", Values.create());
    }
    return winners
        .apply("Unpack", FlatMapElements.into(TypeDescriptors.rows()).via((List<Row> list) -> list))
        .setRowSchema(output.schema());
  }

  private static Row prefix(Row row, Schema keySchema, int columns) {
    return Row.withSchema(keySchema).attachValues(new ArrayList<>(row.getValues().subList(0, columns)));
  }
}
