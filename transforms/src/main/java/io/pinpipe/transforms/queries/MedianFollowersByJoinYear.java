package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.MedianPerGroup;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.Collections;

/**
 * q7 {@code median_followers_by_join_year}: the median follower count per joining year (UTC year of
 * {@code date_joined}, within {@link QuerySettings#joinYearFrom()}..{@link
 * QuerySettings#joinYearTo()}). Reads pin⋈user rows; rows without a joining date are left out, null
 * follower counts are ignored. Output: {@link QueryOutput#Q7}.
 */
public final class MedianFollowersByJoinYear extends MedianPerGroup {
  private static final long serialVersionUID = 1L;

  private final int from;
  private final int to;

  public MedianFollowersByJoinYear(QuerySettings settings) {
    super(QueryOutput.Q7, settings.median());
    this.from = settings.joinYearFrom();
    this.to = settings.joinYearTo();
  }

  @Override
  protected void followers(Post post, Followers followers) {
    post.forEachPinUser(
        (pin, user) ->
            followers.add(
                Collections.singletonList(Years.within(user.getDateTime("date_joined"), from, to)),
                pin.getInt64("follower_count")));
  }
}
