package io.pinpipe.emulator.generate;

import io.pinpipe.emulator.generate.ReferenceStatistics.Placeholder;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who posts each event, without remembering anyone.
 *
 * <p>Event {@code i} opens a new account (numbered {@code i}) with probability {@link
 * ReferenceStatistics#NEW_ACCOUNT_PROBABILITY}, otherwise it reposts for the account of a
 * uniformly chosen earlier event {@code j < i}, whose account is found the same way. Choosing an
 * earlier <em>event</em> rather than an earlier account favours busy accounts (a Yule process):
 * the sample's persons recur in a heavy tail (1,206 once, 178 twice, ... one 46 times), which an
 * earlier-account choice (at most ~8 rows each) does not give. Each step ends with probability
 * ~0.69, so finding an account takes ~1.45 steps, and an account's attributes are drawn from a
 * random stream keyed by its number: memory stays bounded and event {@code i} never depends on
 * which events were generated before it.
 */
final class Accounts {
  private static final long DATE_JOINED_FROM =
      LocalDateTime.parse(ReferenceStatistics.DATE_JOINED_FROM).toEpochSecond(ZoneOffset.UTC);

  private final long seed;
  private final Vocabulary vocabulary;
  private final WeightedTable<String> categories;
  private final WeightedTable<Integer> ages;
  private final WeightedTable<Integer> joinMonths;
  private final WeightedTable<Integer> latitudeBins;
  private final WeightedTable<Integer> longitudeBins;
  private final PosterNames posterNames;
  private final FollowerCountTexts followerCounts = new FollowerCountTexts();
  private final Account errorAccount;

  Accounts(long seed, Vocabulary vocabulary, WeightedTable<String> categories) {
    this.seed = seed;
    this.vocabulary = vocabulary;
    this.categories = categories;
    this.ages = WeightedTable.ofRange(ReferenceStatistics.FIRST_AGE, ReferenceStatistics.AGE_PERSONS);
    this.joinMonths = WeightedTable.ofRange(0, ReferenceStatistics.DATE_JOINED_MONTH_PERSONS);
    this.latitudeBins = bins(ReferenceStatistics.LATITUDE_BIN_ACCOUNTS);
    this.longitudeBins = bins(ReferenceStatistics.LONGITUDE_BIN_ACCOUNTS);
    this.posterNames = new PosterNames(vocabulary);
    this.errorAccount =
        drawErrorAccount(SeededRandom.of(seed, SeededRandom.Purpose.ERROR_ACCOUNT, 0));
  }

  /** The account that posts event {@code index} (before any "User Info Error" replaces it). */
  long accountOf(long index) {
    long i = index;
    while (i > 0) {
      SplittableRandom random = SeededRandom.of(seed, SeededRandom.Purpose.ACCOUNT_CHAIN, i);
      if (random.nextDouble() < ReferenceStatistics.NEW_ACCOUNT_PROBABILITY) {
        return i;
      }
      i = random.nextLong(i);
    }
    return 0; // event 0 opens the first account
  }

  Account account(long id) {
    SplittableRandom random = SeededRandom.of(seed, SeededRandom.Purpose.ACCOUNT, id);
    return new Account(
        posterNames.draw(random),
        followerCounts.draw(random),
        pick(vocabulary.firstNames, random),
        pick(vocabulary.lastNames, random),
        ages.pick(random),
        dateJoined(random),
        coordinate(latitudeBins.pick(random), 10, -90, random),
        coordinate(longitudeBins.pick(random), 30, -180, random),
        vocabulary.countries.pick(random),
        categories.pick(random));
  }

  /**
   * The one person behind every "User Info Error" pin: in the sample all 17 of them carry the same
   * user and geo record, as if the original's user lookup fell back to one row.
   */
  Account errorAccount() {
    return errorAccount;
  }

  private Account drawErrorAccount(SplittableRandom random) {
    String error = Placeholder.USER_INFO_ERROR.text;
    return new Account(
        error,
        error,
        pick(vocabulary.firstNames, random),
        pick(vocabulary.lastNames, random),
        ages.pick(random),
        dateJoined(random),
        coordinate(latitudeBins.pick(random), 10, -90, random),
        coordinate(longitudeBins.pick(random), 30, -180, random),
        vocabulary.countries.pick(random),
        categories.pick(random));
  }

  private String dateJoined(SplittableRandom random) {
    int month = joinMonths.pick(random);
    LocalDateTime from = LocalDateTime.ofEpochSecond(DATE_JOINED_FROM, 0, ZoneOffset.UTC);
    long start = from.plusMonths(month).toEpochSecond(ZoneOffset.UTC);
    long end = from.plusMonths(month + 1).toEpochSecond(ZoneOffset.UTC);
    return Timestamps.format(start + random.nextLong(end - start));
  }

  /** Uniform within the chosen bin, rounded to the sample's 6 significant digits. */
  private static String coordinate(int bin, int binWidth, int lowest, SplittableRandom random) {
    double value = lowest + (bin + random.nextDouble()) * binWidth;
    return PythonJson.pythonFloat(value, ReferenceStatistics.COORDINATE_SIGNIFICANT_DIGITS);
  }

  private static WeightedTable<Integer> bins(long[] counts) {
    int[] asInts = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      asInts[i] = Math.toIntExact(counts[i]);
    }
    return WeightedTable.ofRange(0, asInts);
  }

  private static String pick(List<String> uniform, SplittableRandom random) {
    return uniform.get(random.nextInt(uniform.size()));
  }
}
