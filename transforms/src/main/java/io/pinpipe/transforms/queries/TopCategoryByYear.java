package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.TopCountPerGroup;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.QueryOutput;

/**
 * q2 {@code top_category_by_year}: per post year (UTC year of the geo timestamp, within {@link
 * QuerySettings#postYearFrom()}..{@link QuerySettings#postYearTo()}), the category with the most
 * posts. Reads pin⋈geo rows; rows without a timestamp or a category are left out. Output: {@link
 * QueryOutput#Q2}.
 */
public final class TopCategoryByYear extends TopCountPerGroup {
  private static final long serialVersionUID = 1L;

  private final int from;
  private final int to;

  public TopCategoryByYear(QuerySettings settings) {
    super(QueryOutput.Q2, settings.ties());
    this.from = settings.postYearFrom();
    this.to = settings.postYearTo();
  }

  @Override
  protected void items(Post post, Items items) {
    post.forEachPinGeo(
        (pin, geo) ->
            items.add(Years.within(geo.getDateTime("timestamp"), from, to), pin.getString("category")));
  }
}
