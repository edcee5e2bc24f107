package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.TopCountPerGroup;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.QueryOutput;

/**
 * q1 {@code top_category_by_country}: per country, the category with the most posts. Reads pin⋈geo
 * rows; rows without a country or a category are left out. Output: {@link QueryOutput#Q1}.
 */
public final class TopCategoryByCountry extends TopCountPerGroup {
  private static final long serialVersionUID = 1L;

  public TopCategoryByCountry(QuerySettings settings) {
    super(QueryOutput.Q1, settings.ties());
  }

  @Override
  protected void items(Post post, Items items) {
    post.forEachPinGeo((pin, geo) -> items.add(geo.getString("country"), pin.getString("category")));
  }
}
