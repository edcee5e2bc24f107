package io.pinpipe.transforms.aggregate;

import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * The most frequent item per group, for outputs shaped {@code (group, item STRING, count)} (q1, q2,
 * q4): counts the joined rows per (group, item), leaving out those with a null group or item, then
 * keeps the items with the highest count in each group (all of them, or the first by the output's
 * order with {@code --ties=first}).
 *
 * <p>The accumulator is group to (item to count): a few hundred groups of at most 13 categories,
 * whatever the input size.
 */
public abstract class TopCountPerGroup extends PostQuery<Map<Row, Map<String, Long>>> {
  private static final long serialVersionUID = 1L;

  /** Receives the (group, item) pairs of one post; nulls are left out. */
  protected interface Items {
    void add(Object group, String item);
  }

  private final Ties ties;
  private final Schema groupSchema;

  protected TopCountPerGroup(QueryOutput output, Ties ties) {
    super(output);
    if (output.schema().getFieldCount() != 3
        || output.schema().getField(1).getType().getTypeName() != Schema.TypeName.STRING) {
      throw new IllegalArgumentException(output + " is not shaped (group, item STRING, count)");
    }
    this.ties = Objects.requireNonNull(ties, "ties");
    this.groupSchema = GroupKey.schema(output, 1);
  }

  /** The (group, item) pairs one post contributes, one per joined row. */
  protected abstract void items(Post post, Items items);

  @Override
  public Map<Row, Map<String, Long>> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<Row, Map<String, Long>> addInput(Map<Row, Map<String, Long>> counts, Post post) {
    items(
        post,
        (group, item) -> {
          if (group != null && item != null) {
            counts
                .computeIfAbsent(Row.withSchema(groupSchema).attachValues(group), g -> new HashMap<>())
                .merge(item, 1L, Long::sum);
          }
        });
    return counts;
  }

  @Override
  public Map<Row, Map<String, Long>> mergeAccumulators(Iterable<Map<Row, Map<String, Long>>> accumulators) {
    return MergeIntoLargest.merge(
        accumulators,
        Map::size,
        (into, other) ->
            other.forEach(
                (group, items) -> {
                  Map<String, Long> target = into.computeIfAbsent(group, g -> new HashMap<>());
                  items.forEach((item, n) -> target.merge(item, n, Long::sum));
                }),
        HashMap::new);
  }

  @Override
  public List<Row> extractOutput(Map<Row, Map<String, Long>> counts) {
    QueryOutput output = output();
    List<Row> rows = new ArrayList<>();
    counts.forEach(
        (group, items) -> {
          long max = 0;
          for (long n : items.values()) {
            max = Math.max(max, n);
          }
          List<Row> top = new ArrayList<>();
          for (Map.Entry<String, Long> item : items.entrySet()) {
            if (item.getValue() == max) {
              // A schema prefix: the group row is the output's first column, named per query.
              top.add(output.row(group.getValue(0), item.getKey(), max));
            }
          }
          top.sort(output.comparator());
          rows.addAll(ties == Ties.FIRST ? top.subList(0, Math.min(1, top.size())) : top);
        });
    rows.sort(output.comparator());
    return rows;
  }

  @Override
  public Coder<Map<Row, Map<String, Long>>> getAccumulatorCoder(CoderRegistry registry, Coder<Post> input) {
    return MapCoder.of(RowCoder.of(groupSchema), MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
  }
}
