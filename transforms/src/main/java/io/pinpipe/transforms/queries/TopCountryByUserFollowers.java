package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.TopWithTiesFn;
import io.pinpipe.transforms.results.QueryOutput;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.values.Row;

/**
 * q3b {@code top_country_by_user_followers}: the country (or countries, with ties) whose top user
 * has the most followers. Computed from the rows of {@link TopUserByCountry} (q3a) after its tie
 * handling, so that q3b answers the question about q3a's table. Output: {@link QueryOutput#Q3B}.
 */
public final class TopCountryByUserFollowers implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TopWithTiesFn top;

  public TopCountryByUserFollowers(QuerySettings settings) {
    this.top = TopWithTiesFn.of(QueryOutput.Q3B, settings.ties());
  }

  /** q3b's rows, in the output's order, from q3a's rows. */
  public List<Row> of(List<Row> topUserByCountry) {
    List<Row> winners = top.createAccumulator();
    for (Row row : topUserByCountry) {
      top.addInput(winners, QueryOutput.Q3B.row(row.getString("country"), row.getInt64("follower_count")));
    }
    return new ArrayList<>(top.extractOutput(winners));
  }
}
