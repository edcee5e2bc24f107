package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.MedianPerGroup;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.AgeGroups;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.Arrays;

/**
 * q8 {@code median_followers_by_age_group_and_join_year}: the median follower count per age group
 * and joining year (as in {@link MedianFollowersByJoinYear}). Reads pin⋈user rows; rows without an
 * age or a joining date are left out, null follower counts are ignored. Output: {@link
 * QueryOutput#Q8}.
 */
public final class MedianFollowersByAgeGroupAndJoinYear extends MedianPerGroup {
  private static final long serialVersionUID = 1L;

  private final int from;
  private final int to;

  public MedianFollowersByAgeGroupAndJoinYear(QuerySettings settings) {
    super(QueryOutput.Q8, settings.median());
    this.from = settings.joinYearFrom();
    this.to = settings.joinYearTo();
  }

  @Override
  protected void followers(Post post, Followers followers) {
    post.forEachPinUser(
        (pin, user) ->
            followers.add(
                Arrays.asList(
                    AgeGroups.ofNullable(user.getInt32("age")),
                    Years.within(user.getDateTime("date_joined"), from, to)),
                pin.getInt64("follower_count")));
  }
}
