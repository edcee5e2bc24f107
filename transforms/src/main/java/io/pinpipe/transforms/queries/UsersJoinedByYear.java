package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.MergeIntoLargest;
import io.pinpipe.transforms.aggregate.PostQuery;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import io.pinpipe.transforms.results.QueryOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.values.Row;

/**
 * q6 {@code users_joined_by_year}: per joining year (UTC year of {@code date_joined}, within {@link
 * QuerySettings#joinYearFrom()}..{@link QuerySettings#joinYearTo()}), how many users joined. Reads
 * clean user records, not a join: a user counts whether or not they posted. Records without a
 * joining date are left out.
 *
 * <p>{@link UserCount#DISTINCT} counts persons, a person being (user_name, age, date_joined) with
 * nulls equal to each other as in SQL {@code DISTINCT}: the same person recurs under many row
 * numbers. {@link UserCount#ROWS} counts the records (exact duplicates are already removed).
 *
 * <p>The accumulator holds counts per year and, for distinct persons, the set of persons per year.
 * That set grows with the input, so a pipeline should not merge it into one accumulator: it can
 * split the persons by {@link #personKey} into disjoint shards, count each shard on its own and
 * {@link #settle} it, since distinct counts of disjoint sets add up.
 */
public final class UsersJoinedByYear extends PostQuery<UsersJoinedByYear.Users> {
  private static final long serialVersionUID = 1L;

  private final int from;
  private final int to;
  private final boolean distinct;

  public UsersJoinedByYear(QuerySettings settings) {
    super(QueryOutput.Q6);
    this.from = settings.joinYearFrom();
    this.to = settings.joinYearTo();
    this.distinct = settings.userCount() == UserCount.DISTINCT;
  }

  /** True when users count as distinct persons, false when every record counts. */
  public boolean countsDistinctPersons() {
    return distinct;
  }

  /** The joining year of a clean user that q6 counts, or null if it counts nowhere. */
  public Integer joinYear(Row user) {
    return Years.within(user.getDateTime("date_joined"), from, to);
  }

  /** Settled counts per year, and the persons per year not yet counted. */
  public static final class Users implements Serializable {
    final Map<Integer, Long> counted = new HashMap<>();
    final Map<Integer, Set<String>> persons = new HashMap<>();

    int size() {
      int size = counted.size();
      for (Set<String> year : persons.values()) {
        size += year.size();
      }
      return size;
    }
  }

  @Override
  public Users createAccumulator() {
    return new Users();
  }

  @Override
  public Users addInput(Users users, Post post) {
    for (Row user : post.users()) {
      addUser(users, user);
    }
    return users;
  }

  /** Adds one clean user record. */
  public Users addUser(Users users, Row user) {
    Integer year = joinYear(user);
    if (year != null) {
      if (distinct) {
        users.persons.computeIfAbsent(year, y -> new HashSet<>()).add(personKey(user));
      } else {
        users.counted.merge(year, 1L, Long::sum);
      }
    }
    return users;
  }

  /** Adds one person ({@link #personKey}) who joined in {@code year}, a year q6 counts. */
  public Users addPerson(Users users, int year, String person) {
    users.persons.computeIfAbsent(year, y -> new HashSet<>()).add(person);
    return users;
  }

  /**
   * Turns the persons into counts. Only for an accumulator whose persons no other accumulator
   * holds (a shard of persons), or the same person would be counted twice.
   */
  public Users settle(Users users) {
    users.persons.forEach((year, persons) -> users.counted.merge(year, (long) persons.size(), Long::sum));
    users.persons.clear();
    return users;
  }

  @Override
  public Users mergeAccumulators(Iterable<Users> accumulators) {
    return MergeIntoLargest.merge(
        accumulators,
        Users::size,
        (into, other) -> {
          other.counted.forEach((year, n) -> into.counted.merge(year, n, Long::sum));
          other.persons.forEach((year, persons) -> into.persons.computeIfAbsent(year, y -> new HashSet<>()).addAll(persons));
        },
        Users::new);
  }

  @Override
  public List<Row> extractOutput(Users users) {
    Map<Integer, Long> perYear = new TreeMap<>(users.counted);
    users.persons.forEach((year, persons) -> perYear.merge(year, (long) persons.size(), Long::sum));
    List<Row> rows = new ArrayList<>();
    perYear.forEach((year, n) -> rows.add(QueryOutput.Q6.row(year, n)));
    return rows;
  }

  /** (user_name, age, date_joined) as text; null and each value are told apart. */
  public static String personKey(Row user) {
    StringBuilder key = new StringBuilder();
    for (String field : new String[] {"user_name", "age", "date_joined"}) {
      Object value = user.getValue(field);
      key.append(value == null ? "\u0001" : "\u0002" + value).append('\u0000');
    }
    return key.toString();
  }

  @Override
  public Coder<Users> getAccumulatorCoder(CoderRegistry registry, Coder<Post> input) {
    return UsersCoder.INSTANCE;
  }

  /** The counts per year, then the persons per year. */
  static final class UsersCoder extends CustomCoder<Users> {
    static final UsersCoder INSTANCE = new UsersCoder();
    private static final Coder<Map<Integer, Long>> COUNTED = MapCoder.of(VarIntCoder.of(), VarLongCoder.of());
    private static final Coder<Map<Integer, Set<String>>> PERSONS =
        MapCoder.of(VarIntCoder.of(), SetCoder.of(StringUtf8Coder.of()));

    @Override
    public void encode(Users users, OutputStream out) throws IOException {
      COUNTED.encode(users.counted, out);
      PERSONS.encode(users.persons, out);
    }

    @Override
    public Users decode(InputStream in) throws IOException {
      Users users = new Users();
      users.counted.putAll(COUNTED.decode(in));
      PERSONS.decode(in).forEach((year, persons) -> users.persons.put(year, new HashSet<>(persons)));
      return users;
    }
  }
}
