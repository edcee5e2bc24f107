package io.pinpipe.emulator.generate;

import java.util.List;
import java.util.SplittableRandom;

/** follower_count text in the sample's three formats: "437", "26k", "6M". */
final class FollowerCountTexts {
  private enum Format {
    THOUSANDS,
    DIGITS,
    MILLIONS
  }

  private final WeightedTable<Format> formats =
      new WeightedTable<>(
          List.of(Format.THOUSANDS, Format.DIGITS, Format.MILLIONS),
          new long[] {
            ReferenceStatistics.FOLLOWERS_THOUSANDS_ROWS,
            ReferenceStatistics.FOLLOWERS_DIGITS_ROWS,
            ReferenceStatistics.FOLLOWERS_MILLIONS_ROWS
          });
  private final WeightedTable<Integer> thousandsBins =
      new WeightedTable<>(binIndexes(ReferenceStatistics.THOUSANDS_BIN_ACCOUNTS.length),
          ReferenceStatistics.THOUSANDS_BIN_ACCOUNTS);
  private final WeightedTable<Integer> digitsBins =
      new WeightedTable<>(binIndexes(ReferenceStatistics.DIGITS_BIN_ACCOUNTS.length),
          ReferenceStatistics.DIGITS_BIN_ACCOUNTS);
  private final WeightedTable<Integer> millions =
      new WeightedTable<>(ReferenceStatistics.MILLIONS, ReferenceStatistics.MILLIONS_ACCOUNTS);

  String draw(SplittableRandom random) {
    switch (formats.pick(random)) {
      case THOUSANDS:
        return inBin(ReferenceStatistics.THOUSANDS_BIN_EDGES, thousandsBins.pick(random), random)
            + "k";
      case DIGITS:
        return Integer.toString(
            inBin(ReferenceStatistics.DIGITS_BIN_EDGES, digitsBins.pick(random), random));
      case MILLIONS:
        return millions.pick(random) + "M";
      default:
        throw new AssertionError();
    }
  }

  /** Uniform integer in [edges[bin], edges[bin + 1]). */
  private static int inBin(int[] edges, int bin, SplittableRandom random) {
    return edges[bin] + random.nextInt(edges[bin + 1] - edges[bin]);
  }

  private static List<Integer> binIndexes(int n) {
    Integer[] indexes = new Integer[n];
    for (int i = 0; i < n; i++) {
      indexes[i] = i;
    }
    return List.of(indexes);
  }
}
