package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.QuerySettings.Ties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The most frequent item per group, for outputs shaped {@code (group, item STRING, count)} (q1, q2,
 * q4): counts the input rows per (group, item) as a {@link GroupKey} extracts it, leaving out rows
 * with a null in it, then keeps the items with the highest count in each group.
 *
 * <p>The counts of one group are combined in one accumulator (item to count) keyed by the group,
 * not keyed by (group, item): per-key work is paid per key on every runner (the direct runner makes
 * each key its own bundle), and a group has few distinct items (13 categories).
 */
final class TopCountPerGroup extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QueryOutput output;
  private final Ties ties;
  private final GroupKey groupAndItem;

  private TopCountPerGroup(QueryOutput output, Ties ties, GroupKey groupAndItem) {
    this.output = output;
    this.ties = ties;
    this.groupAndItem = groupAndItem;
  }

  /**
   * @param output an output of three columns: group, item (STRING), INT64 count
   * @param groupAndItem the (group, item) of an input row
   */
  static TopCountPerGroup of(QueryOutput output, Ties ties, GroupKey groupAndItem) {
    if (output.schema().getFieldCount() != 3
        || output.schema().getField(1).getType().getTypeName() != Schema.TypeName.STRING) {
      throw new IllegalArgumentException(output + " is not shaped (group, item STRING, count)");
    }
    return new TopCountPerGroup(output, ties, groupAndItem);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    Schema keySchema = GroupKey.schema(output, 2);
    Schema groupSchema = GroupKey.schema(output, 1);
    return input
        .apply("KeyItemByGroup", ParDo.of(new ItemByGroupFn(groupAndItem, keySchema, groupSchema)))
        .setCoder(KvCoder.of(RowCoder.of(groupSchema), StringUtf8Coder.of()))
        .apply("CountItemsPerGroup", LiftedCombine.perKey(new CountItemsFn()))
        .apply("KeepTopItems", ParDo.of(new TopItemsFn(output, ties)))
        .setRowSchema(output.schema());
  }

  /** (group, item) of every row whose group and item are known. */
  private static final class ItemByGroupFn extends DoFn<Row, KV<Row, String>> {
    private final GroupKey key;
    private final Schema keySchema;
    private final Schema groupSchema;

    ItemByGroupFn(GroupKey key, Schema keySchema, Schema groupSchema) {
      this.key = key;
      this.keySchema = keySchema;
      this.groupSchema = groupSchema;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<Row, String>> out) {
      Row keyRow = GroupKey.keyRow(key, keySchema, row);
      if (keyRow != null) {
        out.output(
            KV.of(Row.withSchema(groupSchema).attachValues(keyRow.<Object>getValue(0)), keyRow.getString(1)));
      }
    }
  }

  /** Counts per item within one group. */
  static final class CountItemsFn extends Combine.CombineFn<String, Map<String, Long>, Map<String, Long>> {
    @Override
    public Map<String, Long> createAccumulator() {
      return new HashMap<>();
    }

    @Override
    public Map<String, Long> addInput(Map<String, Long> counts, String item) {
      counts.merge(item, 1L, Long::sum);
      return counts;
    }

    @Override
    public Map<String, Long> mergeAccumulators(Iterable<Map<String, Long>> accumulators) {
      return MergeIntoLargest.merge(
          accumulators,
          Map::size,
          (into, other) -> other.forEach((item, n) -> into.merge(item, n, Long::sum)),
          HashMap::new);
    }

    @Override
    public Map<String, Long> extractOutput(Map<String, Long> counts) {
      return counts;
    }

    @Override
    public Coder<Map<String, Long>> getAccumulatorCoder(CoderRegistry registry, Coder<String> input) {
      return MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    }

    @Override
    public Coder<Map<String, Long>> getDefaultOutputCoder(CoderRegistry registry, Coder<String> input) {
      return MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    }
  }

  /** The rows of a group's maximal count: all of them, or the first by the output's order. */
  private static final class TopItemsFn extends DoFn<KV<Row, Map<String, Long>>, Row> {
    private final QueryOutput output;
    private final Ties ties;

    TopItemsFn(QueryOutput output, Ties ties) {
      this.output = output;
      this.ties = ties;
    }

    @ProcessElement
    public void process(@Element KV<Row, Map<String, Long>> group, OutputReceiver<Row> out) {
      long max = 0;
      for (long n : group.getValue().values()) {
        max = Math.max(max, n);
      }
      List<Row> top = new ArrayList<>();
      for (Map.Entry<String, Long> item : group.getValue().entrySet()) {
        if (item.getValue() == max) {
          top.add(output.row(group.getKey().getValue(0), item.getKey(), max));
        }
      }
      top.sort(output.comparator());
      if (ties == Ties.FIRST) {
        top = top.subList(0, Math.min(1, top.size()));
      }
      top.forEach(out::output);
    }
  }
}
