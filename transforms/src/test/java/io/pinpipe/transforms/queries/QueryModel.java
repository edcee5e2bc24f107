package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.Median;
import io.pinpipe.transforms.aggregate.Ties;
import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import io.pinpipe.transforms.results.QueryOutput;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * Nexmark-style model of the nine queries: plain Java over lists of clean records, written from
 * docs/semantics.md without any of the Beam transforms, combiners, age
 * groups or orders it checks. Only the output schemas ({@link QueryOutput#row}) are shared, since
 * they are the contract both sides produce.
 */
final class QueryModel {
  /** One pin⋈geo row. */
  private record PinGeo(
      String category, String posterName, Long followerCount, String country, Integer postYear) {}

  /** One pin⋈user row. */
  private record PinUser(Long followerCount, String category, Integer age, Integer joinYear) {}

  private final List<PinGeo> pinGeo = new ArrayList<>();
  private final List<PinUser> pinUser = new ArrayList<>();
  private final List<Row> users;
  private final QuerySettings settings;

  QueryModel(List<Row> pins, List<Row> geos, List<Row> users, QuerySettings settings) {
    this.users = users;
    this.settings = settings;
    Map<Long, List<Row>> geosByInd = byInd(geos);
    Map<Long, List<Row>> usersByInd = byInd(users);
    // Nested-loop inner joins: one row per matching pair, like SQL.
    for (Row pin : pins) {
      for (Row geo : geosByInd.getOrDefault(pin.getInt64("ind"), List.of())) {
        pinGeo.add(
            new PinGeo(
                pin.getString("category"),
                pin.getString("poster_name"),
                pin.getInt64("follower_count"),
                geo.getString("country"),
                utcYear(geo.getDateTime("timestamp"))));
      }
      for (Row user : usersByInd.getOrDefault(pin.getInt64("ind"), List.of())) {
        pinUser.add(
            new PinUser(
                pin.getInt64("follower_count"),
                pin.getString("category"),
                user.getInt32("age"),
                utcYear(user.getDateTime("date_joined"))));
      }
    }
  }

  private static Map<Long, List<Row>> byInd(List<Row> rows) {
    Map<Long, List<Row>> byInd = new HashMap<>();
    for (Row row : rows) {
      byInd.computeIfAbsent(row.getInt64("ind"), k -> new ArrayList<>()).add(row);
    }
    return byInd;
  }

  private static Integer utcYear(ReadableInstant instant) {
    return instant == null
        ? null
        : java.time.Instant.ofEpochMilli(instant.getMillis()).atZone(ZoneOffset.UTC).getYear();
  }

  private static String ageGroup(int age) {
    if (age > 50) {
      return "+50";
    }
    if (age >= 36) {
      return "36-50";
    }
    if (age >= 25) {
      return "25-35";
    }
    if (age >= 18) {
      return "18-24";
    }
    return "<18";
  }

  /** Every output of the model. */
  Map<QueryOutput, List<Row>> outputs() {
    Map<QueryOutput, List<Row>> outputs = new EnumMap<>(QueryOutput.class);
    outputs.put(QueryOutput.Q1, q1());
    outputs.put(QueryOutput.Q2, q2());
    outputs.put(QueryOutput.Q3A, q3a());
    outputs.put(QueryOutput.Q3B, q3b());
    outputs.put(QueryOutput.Q4, q4());
    outputs.put(QueryOutput.Q5, q5());
    outputs.put(QueryOutput.Q6, q6());
    outputs.put(QueryOutput.Q7, q7());
    outputs.put(QueryOutput.Q8, q8());
    return outputs;
  }

  List<Row> q1() {
    Map<Object, Map<String, Long>> counts = new HashMap<>();
    for (PinGeo row : pinGeo) {
      if (row.country() != null && row.category() != null) {
        counts
            .computeIfAbsent(row.country(), k -> new HashMap<>())
            .merge(row.category(), 1L, Long::sum);
      }
    }
    return topCategories(QueryOutput.Q1, counts);
  }

  List<Row> q2() {
    Map<Object, Map<String, Long>> counts = new HashMap<>();
    for (PinGeo row : pinGeo) {
      Integer year = row.postYear();
      if (year != null
          && row.category() != null
          && settings.postYearFrom() <= year
          && year <= settings.postYearTo()) {
        counts.computeIfAbsent(year, k -> new HashMap<>()).merge(row.category(), 1L, Long::sum);
      }
    }
    return topCategories(QueryOutput.Q2, counts);
  }

  List<Row> q4() {
    Map<Object, Map<String, Long>> counts = new HashMap<>();
    for (PinUser row : pinUser) {
      if (row.age() != null && row.category() != null) {
        counts
            .computeIfAbsent(ageGroup(row.age()), k -> new HashMap<>())
            .merge(row.category(), 1L, Long::sum);
      }
    }
    return topCategories(QueryOutput.Q4, counts);
  }

  /** Per group, the categories with the highest count; the smallest one for ties=first. */
  private List<Row> topCategories(QueryOutput output, Map<Object, Map<String, Long>> counts) {
    List<Row> rows = new ArrayList<>();
    counts.forEach(
        (group, categoryCounts) -> {
          long max = Collections.max(categoryCounts.values());
          List<String> winners = new ArrayList<>();
          categoryCounts.forEach(
              (category, count) -> {
                if (count == max) {
                  winners.add(category);
                }
              });
          Collections.sort(winners); // String.compareTo: code point order
          for (String category : firstOrAll(winners)) {
            rows.add(output.row(group, category, max));
          }
        });
    return rows;
  }

  private <T> List<T> firstOrAll(List<T> sortedWinners) {
    return settings.ties() == Ties.FIRST ? sortedWinners.subList(0, 1) : sortedWinners;
  }

  List<Row> q3a() {
    Map<String, Set<List<Object>>> postersByCountry = new HashMap<>();
    for (PinGeo row : pinGeo) {
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
          for (String posterName : firstOrAll(winners)) {
            rows.add(QueryOutput.Q3A.row(country, posterName, max));
          }
        });
    return rows;
  }

  List<Row> q3b() {
    Map<String, Long> topByCountry = new HashMap<>();
    for (Row row : q3a()) {
      topByCountry.put(row.getString("country"), row.getInt64("follower_count"));
    }
    if (topByCountry.isEmpty()) {
      return List.of();
    }
    long max = Collections.max(topByCountry.values());
    List<String> winners = new ArrayList<>();
    topByCountry.forEach(
        (country, followers) -> {
          if (followers == max) {
            winners.add(country);
          }
        });
    Collections.sort(winners);
    List<Row> rows = new ArrayList<>();
    for (String country : firstOrAll(winners)) {
      rows.add(QueryOutput.Q3B.row(country, max));
    }
    return rows;
  }

  List<Row> q5() {
    return medians(QueryOutput.Q5, row -> row.age() == null ? null : List.of(ageGroup(row.age())));
  }

  List<Row> q7() {
    return medians(
        QueryOutput.Q7, row -> isJoinYear(row.joinYear()) ? List.of(row.joinYear()) : null);
  }

  List<Row> q8() {
    return medians(
        QueryOutput.Q8,
        row ->
            row.age() != null && isJoinYear(row.joinYear())
                ? List.of(ageGroup(row.age()), row.joinYear())
                : null);
  }

  private boolean isJoinYear(Integer year) {
    return year != null && settings.joinYearFrom() <= year && year <= settings.joinYearTo();
  }

  /**
   * The median of the non-null follower counts per group; {@code groupOf} null leaves a row out.
   */
  private List<Row> medians(QueryOutput output, Function<PinUser, List<Object>> groupOf) {
    Map<List<Object>, List<Long>> valuesByGroup = new HashMap<>();
    for (PinUser row : pinUser) {
      List<Object> group = groupOf.apply(row);
      if (group != null && row.followerCount() != null) {
        valuesByGroup.computeIfAbsent(group, k -> new ArrayList<>()).add(row.followerCount());
      }
    }
    List<Row> rows = new ArrayList<>();
    valuesByGroup.forEach(
        (group, values) -> {
          Collections.sort(values);
          int n = values.size();
          double median;
          if (settings.median() == Median.LOWER) {
            median = values.get((n + 1) / 2 - 1);
          } else if (n % 2 == 1) {
            median = values.get(n / 2);
          } else {
            median = (values.get(n / 2 - 1) + values.get(n / 2)) / 2.0;
          }
          List<Object> columns = new ArrayList<>(group);
          columns.add(median);
          rows.add(output.row(columns.toArray()));
        });
    return rows;
  }

  List<Row> q6() {
    Map<Integer, Set<List<Object>>> personsByYear = new TreeMap<>();
    Map<Integer, Long> rowsByYear = new TreeMap<>();
    for (Row user : users) {
      Integer year = utcYear(user.getDateTime("date_joined"));
      if (isJoinYear(year)) {
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
