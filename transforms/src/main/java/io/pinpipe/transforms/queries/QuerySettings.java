package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.Median;
import io.pinpipe.transforms.aggregate.Ties;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The choices that decide what the queries answer (docs/semantics.md#queries): how ties are broken, how medians
 * are taken, how users are counted, and which years are reported.
 *
 * <p>The defaults are the project's semantics; the other values reproduce the answers of one of the
 * original notebooks. Immutable and {@link Serializable}, so the query transforms can carry it to
 * the workers. Build it with {@link #builder()} or read it from the command line with {@link
 * #fromOptions(QueryOptions)}.
 */
public final class QuerySettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What q6 counts per joining year. */
  public enum UserCount {
    /** Distinct persons, a person being (user_name, age, date_joined). */
    DISTINCT,
    /** Cleaned (exact-deduplicated) user records. */
    ROWS
  }

  public static final Ties DEFAULT_TIES = Ties.ALL;
  public static final Median DEFAULT_MEDIAN = Median.EXACT;
  public static final UserCount DEFAULT_USER_COUNT = UserCount.DISTINCT;
  public static final int DEFAULT_POST_YEAR_FROM = 2018;
  public static final int DEFAULT_POST_YEAR_TO = 2022;
  public static final int DEFAULT_JOIN_YEAR_FROM = 2015;
  public static final int DEFAULT_JOIN_YEAR_TO = 2020;

  private final Ties ties;
  private final Median median;
  private final UserCount userCount;
  private final int postYearFrom;
  private final int postYearTo;
  private final int joinYearFrom;
  private final int joinYearTo;

  private QuerySettings(Builder b) {
    this.ties = b.ties;
    this.median = b.median;
    this.userCount = b.userCount;
    this.postYearFrom = b.postYearFrom;
    this.postYearTo = b.postYearTo;
    this.joinYearFrom = b.joinYearFrom;
    this.joinYearTo = b.joinYearTo;
  }

  /** The project's semantics: ties all, exact medians, distinct users, 2018–2022, 2015–2020. */
  public static QuerySettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .ties(ties)
        .median(median)
        .userCount(userCount)
        .postYears(postYearFrom, postYearTo)
        .joinYears(joinYearFrom, joinYearTo);
  }

  /**
   * Reads the settings from pipeline options. Enum-valued options are matched case-insensitively; a
   * value outside the allowed ones is rejected with a message naming the option.
   *
   * @throws IllegalArgumentException if an option has a value that is not allowed, or a year range
   *     is empty
   */
  public static QuerySettings fromOptions(QueryOptions options) {
    Objects.requireNonNull(options, "options");
    return builder()
        .ties(parse("ties", options.getTies(), Ties.class))
        .median(parse("median", options.getMedian(), Median.class))
        .userCount(parse("userCount", options.getUserCount(), UserCount.class))
        .postYears(
            year("postYearFrom", options.getPostYearFrom()),
            year("postYearTo", options.getPostYearTo()))
        .joinYears(
            year("joinYearFrom", options.getJoinYearFrom()),
            year("joinYearTo", options.getJoinYearTo()))
        .build();
  }

  private static <E extends Enum<E>> E parse(String option, String value, Class<E> type) {
    String allowed =
        Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining("|"));
    if (value != null) {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(value.trim())) {
          return constant;
        }
      }
    }
    throw new IllegalArgumentException(
        String.format("--%s must be one of %s, got '%s'", option, allowed, value));
  }

  private static int year(String option, Integer value) {
    if (value == null) {
      throw new IllegalArgumentException(String.format("--%s must be a year, got null", option));
    }
    return value;
  }

  public Ties ties() {
    return ties;
  }

  public Median median() {
    return median;
  }

  public UserCount userCount() {
    return userCount;
  }

  /** First year (inclusive) of q2's post years. */
  public int postYearFrom() {
    return postYearFrom;
  }

  /** Last year (inclusive) of q2's post years. */
  public int postYearTo() {
    return postYearTo;
  }

  /** First year (inclusive) of q6–q8's joining years. */
  public int joinYearFrom() {
    return joinYearFrom;
  }

  /** Last year (inclusive) of q6–q8's joining years. */
  public int joinYearTo() {
    return joinYearTo;
  }

  /** Whether {@code year} is one of q2's post years. */
  public boolean isPostYear(int year) {
    return postYearFrom <= year && year <= postYearTo;
  }

  /** Whether {@code year} is one of q6–q8's joining years. */
  public boolean isJoinYear(int year) {
    return joinYearFrom <= year && year <= joinYearTo;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof QuerySettings)) {
      return false;
    }
    QuerySettings that = (QuerySettings) o;
    return ties == that.ties
        && median == that.median
        && userCount == that.userCount
        && postYearFrom == that.postYearFrom
        && postYearTo == that.postYearTo
        && joinYearFrom == that.joinYearFrom
        && joinYearTo == that.joinYearTo;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        ties, median, userCount, postYearFrom, postYearTo, joinYearFrom, joinYearTo);
  }

  /** The settings as the command-line options that reproduce them. */
  @Override
  public String toString() {
    return String.format(
        "--ties=%s --median=%s --userCount=%s --postYearFrom=%d --postYearTo=%d"
            + " --joinYearFrom=%d --joinYearTo=%d",
        ties.name().toLowerCase(Locale.ROOT),
        median.name().toLowerCase(Locale.ROOT),
        userCount.name().toLowerCase(Locale.ROOT),
        postYearFrom,
        postYearTo,
        joinYearFrom,
        joinYearTo);
  }

  /** Builds {@link QuerySettings}; starts from the defaults. */
  public static final class Builder {
    private Ties ties = DEFAULT_TIES;
    private Median median = DEFAULT_MEDIAN;
    private UserCount userCount = DEFAULT_USER_COUNT;
    private int postYearFrom = DEFAULT_POST_YEAR_FROM;
    private int postYearTo = DEFAULT_POST_YEAR_TO;
    private int joinYearFrom = DEFAULT_JOIN_YEAR_FROM;
    private int joinYearTo = DEFAULT_JOIN_YEAR_TO;

    private Builder() {}

    public Builder ties(Ties ties) {
      this.ties = Objects.requireNonNull(ties, "ties");
      return this;
    }

    public Builder median(Median median) {
      this.median = Objects.requireNonNull(median, "median");
      return this;
    }

    public Builder userCount(UserCount userCount) {
      this.userCount = Objects.requireNonNull(userCount, "userCount");
      return this;
    }

    /** q2's post years, both bounds inclusive. */
    public Builder postYears(int from, int to) {
      this.postYearFrom = from;
      this.postYearTo = to;
      return this;
    }

    /** q6–q8's joining years, both bounds inclusive. */
    public Builder joinYears(int from, int to) {
      this.joinYearFrom = from;
      this.joinYearTo = to;
      return this;
    }

    /**
     * @throws IllegalArgumentException if a year range is empty (from &gt; to)
     */
    public QuerySettings build() {
      checkRange("postYearFrom", postYearFrom, "postYearTo", postYearTo);
      checkRange("joinYearFrom", joinYearFrom, "joinYearTo", joinYearTo);
      return new QuerySettings(this);
    }

    private static void checkRange(String fromName, int from, String toName, int to) {
      if (from > to) {
        throw new IllegalArgumentException(
            String.format(
                "--%s (%d) must not be after --%s (%d): the range would select no year",
                fromName, from, toName, to));
      }
    }
  }
}
