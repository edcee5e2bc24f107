package io.pinpipe.transforms.queries;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * q8 {@code median_followers_by_age_group_and_join_year}: the median follower count per age group
 * and joining year (as in {@link MedianFollowersByJoinYear}). Reads pin⋈user rows; rows without an
 * age or a joining date are left out, null follower counts are ignored. Output: {@link
 * QueryOutput#Q8}.
 */
public final class MedianFollowersByAgeGroupAndJoinYear
    extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QuerySettings settings;

  public MedianFollowersByAgeGroupAndJoinYear(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> pinUser) {
    int from = settings.joinYearFrom();
    int to = settings.joinYearTo();
    return pinUser.apply(
        "MedianPerAgeGroupAndJoinYear",
        MedianPerGroup.of(
            QueryOutput.Q8,
            settings.median(),
            row ->
                Arrays.asList(
                    AgeGroups.ofNullable(row.getInt32("age")),
                    GroupKey.yearWithin(row.getDateTime("date_joined"), from, to))));
  }
}
