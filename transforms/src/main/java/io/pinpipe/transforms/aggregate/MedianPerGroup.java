package io.pinpipe.transforms.aggregate;

import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * The median {@code follower_count} per group, for outputs shaped {@code (group columns...,
 * median_follower_count)} (q5, q7, q8). Joined rows whose group holds a null are left out; null
 * follower counts are ignored, so a group whose follower counts are all null gets no row.
 *
 * <p>The accumulator is group to a histogram of follower counts ({@link MedianFn}): exact, and
 * small because follower counts repeat ({@code 26k} is 26000 for everyone who has it).
 */
public abstract class MedianPerGroup extends PostQuery<Map<Row, Map<Long, Long>>> {
  private static final long serialVersionUID = 1L;

  /** Receives the (group values, follower count) of one joined row. */
  protected interface Followers {
    void add(List<Object> group, Long followerCount);
  }

  private final MedianFn median;
  private final Schema groupSchema;

  protected MedianPerGroup(QueryOutput output, Median median) {
    super(output);
    this.median = new MedianFn(median);
    this.groupSchema = GroupKey.schema(output, output.schema().getFieldCount() - 1);
  }

  /** The (group, follower count) of each joined row of one post. */
  protected abstract void followers(Post post, Followers followers);

  @Override
  public Map<Row, Map<Long, Long>> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<Row, Map<Long, Long>> addInput(Map<Row, Map<Long, Long>> histograms, Post post) {
    followers(
        post,
        (group, followerCount) -> {
          if (followerCount != null && !group.contains(null)) {
            median.addInput(
                histograms.computeIfAbsent(
                    Row.withSchema(groupSchema).attachValues(group), g -> median.createAccumulator()),
                followerCount);
          }
        });
    return histograms;
  }

  @Override
  public Map<Row, Map<Long, Long>> mergeAccumulators(Iterable<Map<Row, Map<Long, Long>>> accumulators) {
    return MergeIntoLargest.merge(
        accumulators,
        Map::size,
        (into, other) ->
            other.forEach(
                (group, histogram) ->
                    into.merge(group, histogram, (a, b) -> median.mergeAccumulators(List.of(a, b)))),
        HashMap::new);
  }

  @Override
  public List<Row> extractOutput(Map<Row, Map<Long, Long>> histograms) {
    List<Row> rows = new ArrayList<>();
    histograms.forEach(
        (group, histogram) -> {
          Double value = median.extractOutput(histogram);
          if (value != null) {
            List<Object> values = new ArrayList<>(group.getValues());
            values.add(value);
            rows.add(Row.withSchema(output().schema()).attachValues(values));
          }
        });
    rows.sort(output().comparator());
    return rows;
  }

  @Override
  public Coder<Map<Row, Map<Long, Long>>> getAccumulatorCoder(CoderRegistry registry, Coder<Post> input) {
    return MapCoder.of(RowCoder.of(groupSchema), MapCoder.of(VarLongCoder.of(), VarLongCoder.of()));
  }
}
