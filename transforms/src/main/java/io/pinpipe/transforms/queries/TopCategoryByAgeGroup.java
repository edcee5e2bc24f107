package io.pinpipe.transforms.queries;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * q4 {@code top_category_by_age_group}: per age group ({@link AgeGroups}), the category with the
 * most posts. Reads pin⋈user rows ({@link io.pinpipe.transforms.join.PinUserJoin}); rows without an
 * age or a category are left out. Output: {@link QueryOutput#Q4}.
 */
public final class TopCategoryByAgeGroup extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QuerySettings settings;

  public TopCategoryByAgeGroup(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> pinUser) {
    return pinUser.apply(
        "TopCategoryPerAgeGroup",
        TopCountPerGroup.of(
            QueryOutput.Q4,
            settings.ties(),
            row ->
                Arrays.asList(
                    AgeGroups.ofNullable(row.getInt32("age")), row.getString("category"))));
  }
}
