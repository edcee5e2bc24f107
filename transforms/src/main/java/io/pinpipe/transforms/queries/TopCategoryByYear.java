package io.pinpipe.transforms.queries;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * q2 {@code top_category_by_year}: per post year (UTC year of the geo timestamp, within {@link
 * QuerySettings#postYearFrom()}..{@link QuerySettings#postYearTo()}), the category with the most
 * posts. Reads pin⋈geo rows; rows without a timestamp or a category are left out. Output: {@link
 * QueryOutput#Q2}.
 */
public final class TopCategoryByYear extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QuerySettings settings;

  public TopCategoryByYear(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> pinGeo) {
    int from = settings.postYearFrom();
    int to = settings.postYearTo();
    return pinGeo.apply(
        "TopCategoryPerPostYear",
        TopCountPerGroup.of(
            QueryOutput.Q2,
            settings.ties(),
            row ->
                Arrays.asList(
                    GroupKey.yearWithin(row.getDateTime("timestamp"), from, to),
                    row.getString("category"))));
  }
}
