package io.pinpipe.transforms.queries;

import java.util.Objects;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;

/**
 * q3a {@code top_user_by_country}: per country, the distinct (poster_name, follower_count) with the
 * highest follower count. Reads pin⋈geo rows; rows without a country, a poster name or a follower
 * count are left out. A poster posting many times in a country appears once. Output: {@link
 * QueryOutput#Q3A}.
 */
public final class TopUserByCountry extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QuerySettings settings;

  public TopUserByCountry(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> pinGeo) {
    return pinGeo
        .apply("ToKnownUserRows", ParDo.of(new ToKnownUserRowFn()))
        .setRowSchema(QueryOutput.Q3A.schema())
        .apply("TopUserPerCountry", TopPerGroup.perGroup(QueryOutput.Q3A, 1, settings.ties()));
  }

  /** (country, poster_name, follower_count) of a joined row that has all three. */
  private static final class ToKnownUserRowFn extends DoFn<Row, Row> {
    @ProcessElement
    public void process(@Element Row row, OutputReceiver<Row> out) {
      String country = row.getString("country");
      String posterName = row.getString("poster_name");
      Long followerCount = row.getInt64("follower_count");
      if (country != null && posterName != null && followerCount != null) {
        out.output(QueryOutput.Q3A.row(country, posterName, followerCount));
      }
    }
  }
}
