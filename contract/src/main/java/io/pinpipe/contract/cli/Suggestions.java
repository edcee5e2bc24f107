package io.pinpipe.contract.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * The known name nearest to a misspelled one ({@code --imput} → {@code --input}), for "did you
 * mean" hints in both jars' error lines. Nearest by edit distance with adjacent swaps counted once
 * (optimal string alignment), ignoring case; only close enough to be a plausible slip, so that an
 * unrelated word gets no hint rather than a wrong one.
 */
public final class Suggestions {
  private Suggestions() {}

  /** The candidate nearest to {@code given}, if one is close enough. */
  public static Optional<String> nearest(String given, Collection<String> candidates) {
    String g = given.toLowerCase(Locale.ROOT);
    int allowed = g.length() <= 4 ? 1 : g.length() <= 8 ? 2 : 3;
    return candidates.stream()
        .filter(c -> distance(g, c.toLowerCase(Locale.ROOT)) <= allowed || isAbbreviation(g, c))
        .min(
            Comparator.<String>comparingInt(c -> distance(g, c.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
  }

  /** " (did you mean X?)" or nothing: the tail of an error line. */
  public static String didYouMean(String given, Collection<String> candidates, String prefix) {
    return nearest(given, candidates).map(n -> " (did you mean " + prefix + n + "?)").orElse("");
  }

  /** {@code --bootstrap} for {@code --bootstrapServers}: a clear start of one name. */
  private static boolean isAbbreviation(String given, String candidate) {
    return given.length() >= 4 && candidate.toLowerCase(Locale.ROOT).startsWith(given);
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
