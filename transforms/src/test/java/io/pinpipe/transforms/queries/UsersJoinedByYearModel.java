package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.values.Row;

/**
 * q6 in plain Java: per joining year (UTC, within the settings' joining years), the users who
 * joined, from the user records alone: distinct (user_name, age, date_joined) persons, or records.
 */
final class UsersJoinedByYearModel {
  static List<Row> rows(ModelRecords records, QuerySettings settings) {
    Map<Integer, Set<List<Object>>> personsByYear = new TreeMap<>();
    Map<Integer, Long> rowsByYear = new TreeMap<>();
    for (Row user : records.users) {
      Integer year =
          ModelRecords.within(
              ModelRecords.utcYear(user.getDateTime("date_joined")),
              settings.joinYearFrom(),
              settings.joinYearTo());
      if (year != null) {
        personsByYear
            .computeIfAbsent(year, k -> new HashSet<>())
            .add(
                Arrays.asList(
                    user.getString("user_name"),
                    user.getInt32("age"),
                    user.getDateTime("date_joined").getMillis()));
        rowsByYear.merge(year, 1L, Long::sum);
      }
    }
    List<Row> rows = new ArrayList<>();
    rowsByYear.forEach(
        (year, count) ->
            rows.add(
                QueryOutput.Q6.row(
                    year,
                    settings.userCount() == UserCount.ROWS
                        ? count
                        : (long) personsByYear.get(year).size())));
    return rows;
  }
}
