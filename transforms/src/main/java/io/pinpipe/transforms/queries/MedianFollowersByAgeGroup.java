package io.pinpipe.transforms.queries;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * q5 {@code median_followers_by_age_group}: the median follower count per age group ({@link
 * AgeGroups}). Reads pin⋈user rows; rows without an age are left out, null follower counts are
 * ignored. Output: {@link QueryOutput#Q5}.
 */
public final class MedianFollowersByAgeGroup
    extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QuerySettings settings;

  public MedianFollowersByAgeGroup(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> pinUser) {
    return pinUser.apply(
        "MedianPerAgeGroup",
        MedianPerGroup.of(
            QueryOutput.Q5,
            settings.median(),
            row -> Arrays.asList(AgeGroups.ofNullable(row.getInt32("age")))));
  }
}
