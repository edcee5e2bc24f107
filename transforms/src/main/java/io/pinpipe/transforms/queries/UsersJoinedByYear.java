package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import java.util.Objects;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.SetCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.FlatMapElements;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * q6 {@code users_joined_by_year}: per joining year (UTC year of {@code date_joined}, within {@link
 * QuerySettings#joinYearFrom()}..{@link QuerySettings#joinYearTo()}), how many users joined. Reads
 * clean user records ({@link io.pinpipe.transforms.schema.RecordSchemas#USER}), not a join: a user
 * counts whether or not they posted. Records without a joining date are left out.
 *
 * <p>{@link UserCount#DISTINCT} counts persons, a person being (user_name, age, date_joined) with
 * nulls equal to each other as in SQL {@code DISTINCT}: the same person recurs under many row
 * numbers. {@link UserCount#ROWS} counts the records as they come (the cleaning has already removed
 * exact duplicates). Output: {@link QueryOutput#Q6}.
 */
public final class UsersJoinedByYear extends PTransform<PCollection<Row>, PCollection<Row>> {
  private final QuerySettings settings;

  public UsersJoinedByYear(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public PCollection<Row> expand(PCollection<Row> users) {
    int from = settings.joinYearFrom();
    int to = settings.joinYearTo();
    boolean distinct = settings.userCount() == UserCount.DISTINCT;
    return users
        .apply(
            "KeyPersonByJoinYear",
            FlatMapElements.into(
                    TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.strings()))
                .via(
                    (Row user) -> {
                      Integer year = GroupKey.yearWithin(user.getDateTime("date_joined"), from, to);
                      return year == null
                          ? List.<KV<Integer, String>>of()
                          : List.of(KV.of(year, personKey(user)));
                    }))
        .apply("CountPerJoinYear", LiftedCombine.perKey(new CountUsersFn(distinct)))
        .apply(
            "ToCountRows",
            MapElements.into(TypeDescriptors.rows())
                .via(
                    (KV<Integer, Long> count) ->
                        QueryOutput.Q6.row(count.getKey(), count.getValue())))
        .setRowSchema(QueryOutput.Q6.schema());
  }

  /** (user_name, age, date_joined) as text; null and each value are told apart. */
  static String personKey(Row user) {
    StringBuilder key = new StringBuilder();
    for (String field : new String[] {"user_name", "age", "date_joined"}) {
      Object value = user.getValue(field);
      key.append(value == null ? "\u0001" : "\u0002" + value).append('\u0000');
    }
    return key.toString();
  }

  /**
   * Counts the users of one joining year: distinct persons (a set of person keys: a year holds at
   * most its persons, each a short string) or records. Keyed by year, not by person, so the
   * per-key cost is paid a handful of times rather than once per person.
   */
  static final class CountUsersFn extends Combine.CombineFn<String, CountUsersFn.Users, Long> {
    private final boolean distinct;

    CountUsersFn(boolean distinct) {
      this.distinct = distinct;
    }

    /** The persons seen (distinct) or the number of records (rows). */
    static final class Users implements java.io.Serializable {
      final Set<String> persons = new HashSet<>();
      long records;
    }

    @Override
    public Users createAccumulator() {
      return new Users();
    }

    @Override
    public Users addInput(Users users, String person) {
      if (distinct) {
        users.persons.add(person);
      } else {
        users.records++;
      }
      return users;
    }

    @Override
    public Users mergeAccumulators(Iterable<Users> accumulators) {
      return MergeIntoLargest.merge(
          accumulators,
          users -> users.persons.size(),
          (into, other) -> {
            into.persons.addAll(other.persons);
            into.records += other.records;
          },
          Users::new);
    }

    @Override
    public Long extractOutput(Users users) {
      return distinct ? (long) users.persons.size() : users.records;
    }

    @Override
    public Coder<Users> getAccumulatorCoder(CoderRegistry registry, Coder<String> input) {
      return UsersCoder.INSTANCE;
    }
  }

  /** Encodes the accumulator as its record count and its set of person keys. */
  private static final class UsersCoder extends CustomCoder<CountUsersFn.Users> {
    static final UsersCoder INSTANCE = new UsersCoder();
    private static final Coder<Set<String>> SET = SetCoder.of(StringUtf8Coder.of());

    @Override
    public void encode(CountUsersFn.Users users, OutputStream out) throws IOException {
      VarLongCoder.of().encode(users.records, out);
      SET.encode(users.persons, out);
    }

    @Override
    public CountUsersFn.Users decode(InputStream in) throws IOException {
      CountUsersFn.Users users = new CountUsersFn.Users();
      users.records = VarLongCoder.of().decode(in);
      users.persons.addAll(SET.decode(in));
      return users;
    }
  }
}
