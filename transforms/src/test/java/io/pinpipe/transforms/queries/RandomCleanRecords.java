package io.pinpipe.transforms.queries;

import static io.pinpipe.transforms.testing.CleanRows.geo;
import static io.pinpipe.transforms.testing.CleanRows.pin;
import static io.pinpipe.transforms.testing.CleanRows.user;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.beam.sdk.values.Row;

/**
 * Seeded random clean records shaped to hit every corner of the queries: few categories and
 * countries (many ties), a small set of follower counts (repeated values, even and odd counts),
 * nulls in every column the queries read, row numbers missing on one side or doubled with
 * conflicting content, recurring persons, ages on every group boundary and datetimes on every
 * default year bound. Exact duplicates are removed, as the cleaning does.
 */
final class RandomCleanRecords {
  private static final String[] CATEGORIES = {
    "art", "beauty", "diy-and-crafts", "Event planning", "travel", "quotes"
  };

  /** Countries whose names need CSV quoting or sort unusually by code point. */
  private static final String[] ODD_COUNTRIES = {
    "Korea, Republic of",
    "Åland Islands",
    "Côte d'Ivoire",
    "\"Quoted\" Land",
    "Multi\nline",
    "Zambia"
  };

  private static final long[] FOLLOWER_COUNTS = {
    0, 5, 100, 1000, 26_000, 26_000, 59_000, 60_001, 1_000_000, 15_000_000
  };
  private static final int[] AGES = {18, 20, 24, 25, 30, 35, 36, 44, 50, 51, 60};

  /** Under 18: rare, so that the group is small and has ties. */
  private static final int[] RARE_AGES = {3, 17};

  private static final String[] POST_TIMES = {
    "2016-07-01T12:00:00Z", "2019-03-03T03:03:03Z", "2020-02-29T00:00:00Z", "2021-11-11T11:11:11Z"
  };

  /** On the default post-year bounds: rare, so that 2018 and 2022 are small and have ties. */
  private static final String[] RARE_POST_TIMES = {
    "2017-12-31T23:59:59Z",
    "2018-01-01T00:00:00Z",
    "2022-12-31T23:59:59.999Z",
    "2023-01-01T00:00:00Z"
  };

  private static final String[] JOIN_TIMES = {
    "2014-12-31T23:59:59Z", "2015-01-01T00:00:00Z", "2015-08-08T08:08:08Z",
    "2016-06-06T06:06:06Z", "2017-01-31T00:00:00Z", "2020-12-31T23:59:59Z",
    "2021-01-01T00:00:00Z", "2013-05-05T05:05:05Z"
  };

  private record Person(String name, Integer age, String dateJoined) {}

  final List<Row> pins;
  final List<Row> geos;
  final List<Row> users;

  private final Random random;

  RandomCleanRecords(long seed, int events) {
    random = new Random(seed);
    List<Person> persons = new ArrayList<>();
    for (int i = 0; i < events / 20 + 1; i++) {
      // Few names, so that two persons sometimes share a name and differ in age or date.
      persons.add(
          new Person(
              nullable("Person " + random.nextInt(events / 25 + 1)),
              nullable(rarely(RARE_AGES, AGES, 4)),
              nullable(pick(JOIN_TIMES))));
    }
    // About 30 posts per country: small enough for ties between its top categories.
    List<String> countries = new ArrayList<>(List.of(ODD_COUNTRIES));
    for (int i = countries.size(); i < events / 30 + 1; i++) {
      countries.add(String.format("Country %03d", i));
    }
    List<String> posters = new ArrayList<>();
    for (int i = 0; i < events / 15 + 1; i++) {
      posters.add("poster" + i);
    }
    Set<Row> pins = new LinkedHashSet<>();
    Set<Row> geos = new LinkedHashSet<>();
    Set<Row> users = new LinkedHashSet<>();
    for (long ind = 0; ind < events; ind++) {
      // Each kind: usually once, sometimes missing, sometimes twice with conflicting content.
      for (int copy = copies(); copy > 0; copy--) {
        pins.add(
            pin(
                ind,
                nullable(pick(CATEGORIES)),
                nullable(posters.get(random.nextInt(posters.size()))),
                nullable(followerCount())));
      }
      for (int copy = copies(); copy > 0; copy--) {
        geos.add(
            geo(
                ind,
                nullable(countries.get(random.nextInt(countries.size()))),
                nullable(rarely(RARE_POST_TIMES, POST_TIMES, 3))));
      }
      for (int copy = copies(); copy > 0; copy--) {
        // Persons recur under many row numbers, as in the real data.
        Person person = persons.get(random.nextInt(persons.size()));
        users.add(user(ind, person.name(), person.age(), person.dateJoined()));
      }
    }
    this.pins = new ArrayList<>(pins);
    this.geos = new ArrayList<>(geos);
    this.users = new ArrayList<>(users);
  }

  /** Mostly a few popular values (ties, repeats); else spread, so middle values differ. */
  private long followerCount() {
    return random.nextInt(100) < 70
        ? FOLLOWER_COUNTS[random.nextInt(FOLLOWER_COUNTS.length)]
        : 50L * random.nextInt(2000);
  }

  private int copies() {
    int draw = random.nextInt(100);
    return draw < 5 ? 0 : draw < 10 ? 2 : 1;
  }

  private <T> T nullable(T value) {
    return random.nextInt(100) < 8 ? null : value;
  }

  private String pick(String[] values) {
    return values[random.nextInt(values.length)];
  }

  private Integer pick(int[] values) {
    return values[random.nextInt(values.length)];
  }

  /** One of {@code rare} {@code percent}% of the time, else one of {@code common}. */
  private String rarely(String[] rare, String[] common, int percent) {
    return random.nextInt(100) < percent ? pick(rare) : pick(common);
  }

  private Integer rarely(int[] rare, int[] common, int percent) {
    return random.nextInt(100) < percent ? pick(rare) : pick(common);
  }
}
