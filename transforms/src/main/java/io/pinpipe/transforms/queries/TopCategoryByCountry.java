package io.pinpipe.transforms.queries;

import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * q1 {@code top_category_by_country}: per country, the category with the most posts. Reads pin⋈geo
 * rows ({@link io.pinpipe.transforms.join.PinGeoJoin}); rows without a country or a category are
 * left out. Output: {@link QueryOutput#Q1}.
 */
public final class TopCategoryByCountry extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QuerySettings settings;

  public TopCategoryByCountry(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> pinGeo) {
    return pinGeo.apply(
        "TopCategoryPerCountry",
        TopCountPerGroup.of(
            QueryOutput.Q1,
            settings.ties(),
            row -> Arrays.asList(row.getString("country"), row.getString("category"))));
  }
}
