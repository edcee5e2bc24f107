package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.ModelRecords.PinGeo;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.values.Row;

/**
 * q3a in plain Java: per country, the distinct (poster_name, follower_count) of its pin⋈geo rows
 * with the highest follower count; rows without a country, a poster name or a follower count are
 * left out.
 */
final class TopUserByCountryModel {
  static List<Row> rows(ModelRecords records, QuerySettings settings) {
    Map<String, Set<List<Object>>> postersByCountry = new HashMap<>();
    for (PinGeo row : records.pinGeo) {
      if (row.country() != null && row.posterName() != null && row.followerCount() != null) {
        postersByCountry
            .computeIfAbsent(row.country(), k -> new HashSet<>())
            .add(Arrays.asList(row.posterName(), row.followerCount()));
      }
    }
    List<Row> rows = new ArrayList<>();
    postersByCountry.forEach(
        (country, posters) -> {
          long max = posters.stream().mapToLong(p -> (Long) p.get(1)).max().getAsLong();
          List<String> winners = new ArrayList<>();
          for (List<Object> poster : posters) {
            if ((Long) poster.get(1) == max) {
              winners.add((String) poster.get(0));
            }
          }
          Collections.sort(winners);
          for (String posterName : ModelRecords.firstOrAll(settings.ties(), winners)) {
            rows.add(QueryOutput.Q3A.row(country, posterName, max));
          }
        });
    return rows;
  }
}
