package io.pinpipe.transforms.queries;

import java.util.Objects;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * q3b {@code top_country_by_user_followers}: the country (or countries, with ties) whose top user
 * has the most followers. Reads the output of {@link TopUserByCountry} (q3a) after its tie
 * handling, so that q3b answers the question about q3a's table. Output: {@link QueryOutput#Q3B}.
 */
public final class TopCountryByUserFollowers
    extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QuerySettings settings;

  public TopCountryByUserFollowers(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> topUserByCountry) {
    return topUserByCountry
        .apply(
            "ToCountryRows",
            MapElements.into(TypeDescriptors.rows())
                .via(
                    row ->
                        QueryOutput.Q3B.row(
                            row.getString("country"), row.getInt64("follower_count"))))
        .setRowSchema(QueryOutput.Q3B.schema())
        .apply("TopCountry", TopPerGroup.overall(QueryOutput.Q3B, settings.ties()));
  }
}
