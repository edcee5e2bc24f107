package io.pinpipe.transforms.queries;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * q7 {@code median_followers_by_join_year}: the median follower count per joining year (UTC year of
 * {@code date_joined}, within {@link QuerySettings#joinYearFrom()}..{@link
 * QuerySettings#joinYearTo()}). Reads pin⋈user rows; rows without a joining date are left out, null
 * follower counts are ignored. Output: {@link QueryOutput#Q7}.
 */
public final class MedianFollowersByJoinYear
    extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QuerySettings settings;

  public MedianFollowersByJoinYear(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> pinUser) {
    int from = settings.joinYearFrom();
    int to = settings.joinYearTo();
    return pinUser.apply(
        "MedianPerJoinYear",
        MedianPerGroup.of(
            QueryOutput.Q7,
            settings.median(),
            row -> Arrays.asList(GroupKey.yearWithin(row.getDateTime("date_joined"), from, to))));
  }
}
