package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.Median;
import io.pinpipe.transforms.aggregate.Ties;
import io.pinpipe.transforms.results.QueryOutput;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.sdk.values.Row;
import org.joda.time.ReadableInstant;

/**
 * The clean records as the Nexmark-style query models read them (one model beside each query's
 * test, e.g. {@link TopCategoryByCountryModel}), and the steps several models share. Plain Java
 * written from docs/semantics.md#queries without any of the Beam transforms, combiners, age groups or
 * orders the models check; only the output schemas ({@link QueryOutput#row}) are shared, since they
 * are the contract both sides produce.
 */
final class ModelRecords {
  /** One pin⋈geo row. */
  record PinGeo(
      String category, String posterName, Long followerCount, String country, Integer postYear) {
    /** The post year if it is one of the settings' post years, else null. */
    Integer postYearIn(QuerySettings settings) {
      return within(postYear, settings.postYearFrom(), settings.postYearTo());
    }
  }

  /** One pin⋈user row. */
  record PinUser(Long followerCount, String category, Integer age, Integer joinYear) {
    /** The age group, or null without an age. */
    String ageGroup() {
      return age == null ? null : ModelRecords.ageGroup(age);
    }

    /** The joining year if it is one of the settings' joining years, else null. */
    Integer joinYearIn(QuerySettings settings) {
      return within(joinYear, settings.joinYearFrom(), settings.joinYearTo());
    }
  }

  final List<PinGeo> pinGeo = new ArrayList<>();
  final List<PinUser> pinUser = new ArrayList<>();
  final List<Row> users;

  ModelRecords(List<Row> pins, List<Row> geos, List<Row> users) {
    this.users = users;
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

  static Integer utcYear(ReadableInstant instant) {
    return instant == null
        ? null
        : java.time.Instant.ofEpochMilli(instant.getMillis()).atZone(ZoneOffset.UTC).getYear();
  }

  static String ageGroup(int age) {
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

  /** {@code year} if it lies within {@code from..to} (both inclusive), else null. */
  static Integer within(Integer year, int from, int to) {
    return year != null && from <= year && year <= to ? year : null;
  }

  /**
   * The keys of the highest value in code point order: all of them, or the first for ties=first.
   */
  static List<String> winners(Map<String, Long> values, QuerySettings settings) {
    long max = Collections.max(values.values());
    List<String> winners = new ArrayList<>();
    values.forEach(
        (key, value) -> {
          if (value == max) {
            winners.add(key);
          }
        });
    Collections.sort(winners); // String.compareTo: code point order
    return firstOrAll(settings.ties(), winners);
  }

  /** All of the winners, or for ties=first the first of them (they come sorted). */
  static <T> List<T> firstOrAll(Ties ties, List<T> sortedWinners) {
    return ties == Ties.FIRST ? sortedWinners.subList(0, 1) : sortedWinners;
  }

  /** Per group, the categories of the most rows; a null group or category leaves a row out. */
  static <R> List<Row> topCategories(
      QueryOutput output,
      QuerySettings settings,
      List<R> rows,
      Function<R, Object> groupOf,
      Function<R, String> categoryOf) {
    Map<Object, Map<String, Long>> counts = new HashMap<>();
    for (R row : rows) {
      Object group = groupOf.apply(row);
      String category = categoryOf.apply(row);
      if (group != null && category != null) {
        counts.computeIfAbsent(group, k -> new HashMap<>()).merge(category, 1L, Long::sum);
      }
    }
    List<Row> top = new ArrayList<>();
    counts.forEach(
        (group, categoryCounts) -> {
          long max = Collections.max(categoryCounts.values());
          for (String category : winners(categoryCounts, settings)) {
            top.add(output.row(group, category, max));
          }
        });
    return top;
  }

  /**
   * The median of the non-null follower counts of the pin⋈user rows per group; a group holding a
   * null leaves a row out.
   */
  List<Row> medians(
      QueryOutput output, QuerySettings settings, Function<PinUser, List<Object>> groupOf) {
    Map<List<Object>, List<Long>> valuesByGroup = new HashMap<>();
    for (PinUser row : pinUser) {
      List<Object> group = groupOf.apply(row);
      if (!group.contains(null) && row.followerCount() != null) {
        valuesByGroup.computeIfAbsent(group, k -> new ArrayList<>()).add(row.followerCount());
      }
    }
    List<Row> rows = new ArrayList<>();
    valuesByGroup.forEach(
        (group, values) -> {
          Collections.sort(values);
          int n = values.size();
          double value;
          if (settings.median() == Median.LOWER) {
            value = values.get((n + 1) / 2 - 1);
          } else if (n % 2 == 1) {
            value = values.get(n / 2);
          } else {
            value = (values.get(n / 2 - 1) + values.get(n / 2)) / 2.0;
          }
          List<Object> columns = new ArrayList<>(group);
          columns.add(value);
          rows.add(output.row(columns.toArray()));
        });
    return rows;
  }
}
