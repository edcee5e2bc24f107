package io.pinpipe.transforms.aggregate;

import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.values.Row;

/**
 * Keeps the rows with the maximal value of an INT64 column: all of them, distinct ({@link
 * Ties#ALL}, SQL {@code rank() = 1}), or only the smallest by the output's order ({@link
 * Ties#FIRST}, a deterministic {@code row_number() = 1}).
 *
 * <p>The accumulator is the current winners, distinct and sorted by the output's order. Rows with a
 * smaller value are dropped as soon as they are seen, so an accumulator holds only ties, which
 * makes the result independent of the order in which rows arrive and of how bundles are merged.
 * Rows whose value is null are ignored. The output is the winners in the output's order, empty only
 * if no row had a value.
 */
public final class TopWithTiesFn extends CombineFn<Row, List<Row>, List<Row>> {
  private static final long serialVersionUID = 1L;

  private final Schema schema;
  private final String valueField;
  private final SerializableComparator<Row> order;
  private final Ties ties;

  /**
   * @param schema schema of the rows combined
   * @param valueField the INT64 column whose maximum wins
   * @param order a total order on the rows that is consistent with {@link Row#equals}, used to keep
   *     ties distinct and to choose the first one
   */
  public TopWithTiesFn(
      Schema schema, String valueField, SerializableComparator<Row> order, Ties ties) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.valueField = Objects.requireNonNull(valueField, "valueField");
    this.order = Objects.requireNonNull(order, "order");
    this.ties = Objects.requireNonNull(ties, "ties");
    Schema.TypeName type = schema.getField(valueField).getType().getTypeName();
    if (type != Schema.TypeName.INT64) {
      throw new IllegalArgumentException(
          "Column " + valueField + " must be INT64 to rank rows by it, but is " + type);
    }
  }

  /** Ranks rows of {@code output} by its last column, in the output's order. */
  public static TopWithTiesFn of(QueryOutput output, Ties ties) {
    Schema schema = output.schema();
    String lastColumn = schema.getField(schema.getFieldCount() - 1).getName();
    return new TopWithTiesFn(schema, lastColumn, output.comparator(), ties);
  }

  @Override
  public List<Row> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<Row> addInput(List<Row> winners, Row row) {
    Long value = row.getInt64(valueField);
    if (value == null) {
      return winners;
    }
    int c = winners.isEmpty() ? 1 : Long.compare(value, winners.get(0).getInt64(valueField));
    if (c > 0) {
      winners.clear();
      winners.add(row);
    } else if (c == 0) {
      addTie(winners, row);
    }
    return winners;
  }

  /** Adds a row with the winners' value, keeping the list sorted, distinct, and short for FIRST. */
  private void addTie(List<Row> winners, Row row) {
    int at = Collections.binarySearch(winners, row, order);
    if (at >= 0) {
      return; // already there: ties are distinct rows
    }
    int insertionPoint = -at - 1;
    if (ties == Ties.FIRST) {
      if (insertionPoint == 0) {
        winners.set(0, row);
      }
    } else {
      winners.add(insertionPoint, row);
    }
  }

  @Override
  public List<Row> mergeAccumulators(Iterable<List<Row>> accumulators) {
    List<Row> merged = createAccumulator();
    for (List<Row> winners : accumulators) {
      for (Row row : winners) {
        addInput(merged, row);
      }
    }
    return merged;
  }

  @Override
  public List<Row> extractOutput(List<Row> winners) {
    return winners;
  }

  @Override
  public Coder<List<Row>> getAccumulatorCoder(CoderRegistry registry, Coder<Row> inputCoder) {
    return ListCoder.of(RowCoder.of(schema));
  }

  @Override
  public Coder<List<Row>> getDefaultOutputCoder(CoderRegistry registry, Coder<Row> inputCoder) {
    return ListCoder.of(RowCoder.of(schema));
  }
}
