package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.TopCountPerGroup;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.AgeGroups;
import io.pinpipe.transforms.results.QueryOutput;

/**
 * q4 {@code top_category_by_age_group}: per age group ({@link AgeGroups}), the category with the
 * most posts. Reads pin⋈user rows; rows without an age or a category are left out. Output: {@link
 * QueryOutput#Q4}.
 */
public final class TopCategoryByAgeGroup extends TopCountPerGroup {
  private static final long serialVersionUID = 1L;

  public TopCategoryByAgeGroup(QuerySettings settings) {
    super(QueryOutput.Q4, settings.ties());
  }

  @Override
  protected void items(Post post, Items items) {
    post.forEachPinUser(
        (pin, user) -> items.add(AgeGroups.ofNullable(user.getInt32("age")), pin.getString("category")));
  }
}
