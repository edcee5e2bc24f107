package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.QuerySettings.Median;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * The median {@code follower_count} per group, for outputs shaped {@code (group columns...,
 * median_follower_count)} (q5, q7, q8). Rows whose group holds a null are left out; null follower
 * counts are ignored, so a group whose follower counts are all null gets no row.
 */
final class MedianPerGroup extends PTransform<PCollection<Row>, PCollection<Row>> {
  static final String FOLLOWER_COUNT = "follower_count";

  private final QueryOutput output;
  private final Median median;
  private final GroupKey group;

  private MedianPerGroup(QueryOutput output, Median median, GroupKey group) {
    this.output = output;
    this.median = median;
    this.group = group;
  }

  /**
   * @param output an output whose last column is the DOUBLE median and the others the group
   * @param group the group of an input row (which has a {@code follower_count})
   */
  static MedianPerGroup of(QueryOutput output, Median median, GroupKey group) {
    return new MedianPerGroup(output, median, group);
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> input) {
    Schema keySchema = GroupKey.schema(output, output.schema().getFieldCount() - 1);
    return input
        .apply("KeyFollowersByGroup", ParDo.of(new KeyFollowersFn(keySchema, group)))
        .setCoder(KvCoder.of(RowCoder.of(keySchema), VarLongCoder.of()))
        .apply("MedianPerGroup", LiftedCombine.perKey(new MedianFn(median)))
        .apply("ToMedianRows", ParDo.of(new ToMedianRowFn(output)))
        .setRowSchema(output.schema());
  }

  /** (group, follower_count) of the rows whose group and follower count are known. */
  private static final class KeyFollowersFn extends DoFn<Row, KV<Row, Long>> {
    private final Schema keySchema;
    private final GroupKey group;

    KeyFollowersFn(Schema keySchema, GroupKey group) {
      this.keySchema = keySchema;
      this.group = group;
    }

    @ProcessElement
    public void process(@Element Row row, OutputReceiver<KV<Row, Long>> out) {
      Long followers = row.getInt64(FOLLOWER_COUNT);
      Row key = followers == null ? null : GroupKey.keyRow(group, keySchema, row);
      if (key != null) {
        out.output(KV.of(key, followers));
      }
    }
  }

  /** The output row of one group; none when the group has no median. */
  private static final class ToMedianRowFn extends DoFn<KV<Row, Double>, Row> {
    private final QueryOutput output;

    ToMedianRowFn(QueryOutput output) {
      this.output = output;
    }

    @ProcessElement
    public void process(@Element KV<Row, Double> median, OutputReceiver<Row> out) {
      if (median.getValue() != null) {
        List<Object> values = new ArrayList<>(median.getKey().getValues());
        values.add(median.getValue());
        out.output(Row.withSchema(output.schema()).attachValues(values));
      }
    }
  }
}
