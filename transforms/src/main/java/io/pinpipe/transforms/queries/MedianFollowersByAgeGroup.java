package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.MedianPerGroup;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.AgeGroups;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.Collections;

/**
 * q5 {@code median_followers_by_age_group}: the median follower count per age group ({@link
 * AgeGroups}). Reads pin⋈user rows; rows without an age are left out, null follower counts are
 * ignored. Output: {@link QueryOutput#Q5}.
 */
public final class MedianFollowersByAgeGroup extends MedianPerGroup {
  private static final long serialVersionUID = 1L;

  public MedianFollowersByAgeGroup(QuerySettings settings) {
    super(QueryOutput.Q5, settings.median());
  }

  @Override
  protected void followers(Post post, Followers followers) {
    post.forEachPinUser(
        (pin, user) ->
            followers.add(
                Collections.singletonList(AgeGroups.ofNullable(user.getInt32("age"))),
                pin.getInt64("follower_count")));
  }
}
