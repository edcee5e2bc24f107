package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.MergeIntoLargest;
import io.pinpipe.transforms.aggregate.PostQuery;
import io.pinpipe.transforms.aggregate.TopWithTiesFn;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.values.Row;

/**
 * q3a {@code top_user_by_country}: per country, the distinct (poster_name, follower_count) with the
 * highest follower count. Reads pin⋈geo rows; rows without a country, a poster name or a follower
 * count are left out. A poster posting many times in a country appears once. Output: {@link
 * QueryOutput#Q3A}; {@link TopCountryByUserFollowers} (q3b) reads its rows.
 *
 * <p>The accumulator is country to its current winners ({@link TopWithTiesFn}): only ties are
 * kept, so it stays as small as the output.
 */
public final class TopUserByCountry extends PostQuery<Map<String, List<Row>>> {
  private static final long serialVersionUID = 1L;

  private final TopWithTiesFn top;

  public TopUserByCountry(QuerySettings settings) {
    super(QueryOutput.Q3A);
    this.top = TopWithTiesFn.of(QueryOutput.Q3A, settings.ties());
  }

  @Override
  public Map<String, List<Row>> createAccumulator() {
    return new HashMap<>();
  }

  @Override
  public Map<String, List<Row>> addInput(Map<String, List<Row>> winners, Post post) {
    post.forEachPinGeo(
        (pin, geo) -> {
          String country = geo.getString("country");
          String posterName = pin.getString("poster_name");
          Long followerCount = pin.getInt64("follower_count");
          if (country != null && posterName != null && followerCount != null) {
            top.addInput(
                winners.computeIfAbsent(country, c -> top.createAccumulator()),
                QueryOutput.Q3A.row(country, posterName, followerCount));
          }
        });
    return winners;
  }

  @Override
  public Map<String, List<Row>> mergeAccumulators(Iterable<Map<String, List<Row>>> accumulators) {
    return MergeIntoLargest.merge(
        accumulators,
        Map::size,
        (into, other) ->
            other.forEach(
                (country, rows) -> into.merge(country, rows, (a, b) -> top.mergeAccumulators(List.of(a, b)))),
        HashMap::new);
  }

  @Override
  public List<Row> extractOutput(Map<String, List<Row>> winners) {
    List<Row> rows = new ArrayList<>();
    winners.values().forEach(rows::addAll);
    rows.sort(output().comparator());
    return rows;
  }

  @Override
  public Coder<Map<String, List<Row>>> getAccumulatorCoder(CoderRegistry registry, Coder<Post> input) {
    return MapCoder.of(StringUtf8Coder.of(), ListCoder.of(RowCoder.of(QueryOutput.Q3A.schema())));
  }
}
