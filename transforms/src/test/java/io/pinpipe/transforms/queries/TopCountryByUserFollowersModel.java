package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;

/**
 * q3b in plain Java: the countries whose top user, in q3a's rows (after q3a's ties), has the most
 * followers.
 */
final class TopCountryByUserFollowersModel {
  static List<Row> rows(ModelRecords records, QuerySettings settings) {
    Map<String, Long> topByCountry = new HashMap<>();
    for (Row row : TopUserByCountryModel.rows(records, settings)) {
      topByCountry.put(row.getString("country"), row.getInt64("follower_count"));
    }
    if (topByCountry.isEmpty()) {
      return List.of();
    }
    long max = Collections.max(topByCountry.values());
    List<Row> rows = new ArrayList<>();
    for (String country : ModelRecords.winners(topByCountry, settings)) {
      rows.add(QueryOutput.Q3B.row(country, max));
    }
    return rows;
  }
}
