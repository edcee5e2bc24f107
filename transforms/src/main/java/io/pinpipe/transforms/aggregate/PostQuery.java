package io.pinpipe.transforms.aggregate;

import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;

/**
 * One query (docs/semantics.md#queries) as a {@link CombineFn} over {@link Post}s: the clean records of
 * each row number go in, the output's rows come out, sorted by the output's order.
 *
 * <p>A query reads the joins it needs from each post ({@link Post#forEachPinGeo}, {@link
 * Post#forEachPinUser}, or the users alone) and adds them into a small accumulator: counts per
 * group and item, follower-count histograms per group, the current winners per country. Those
 * accumulators are what crosses the runner, merged once per bundle and window ({@link
 * io.pinpipe.transforms.queries.PinterestQueries}), so a query costs no shuffle of its own. Each
 * query is checked against its plain-Java model, which sits beside its test ({@code
 * TopCategoryByCountryModel} for {@code TopCategoryByCountry}, Nexmark style).
 */
public abstract class PostQuery<A> extends CombineFn<Post, A, List<Row>> {
  private static final long serialVersionUID = 1L;

  private final QueryOutput output;

  protected PostQuery(QueryOutput output) {
    this.output = Objects.requireNonNull(output, "output");
  }

  /** The output this query computes; its rows have {@code output().schema()}. */
  public QueryOutput output() {
    return output;
  }
}
