package io.pinpipe.transforms.results;

import java.util.List;

/**
 * The age groups of q4, q5 and q8 (docs/semantics.md#queries): {@code 18-24}, {@code 25-35}, {@code 36-50},
 * {@code +50} (older than 50), and {@code <18} for anyone younger, so that no user is lost.
 *
 * <p>Outputs sort age groups youngest first, which is not the order of their labels as strings
 * ({@code "+50"} &lt; {@code "18-24"} by code point), hence {@link #compare}. The labels and that
 * order are part of the output contract ({@link RowOrder}), so they live beside it; the queries
 * group by {@link #ofNullable}.
 */
public final class AgeGroups {
  private AgeGroups() {}

  public static final String UNDER_18 = "<18";
  public static final String FROM_18_TO_24 = "18-24";
  public static final String FROM_25_TO_35 = "25-35";
  public static final String FROM_36_TO_50 = "36-50";
  public static final String OVER_50 = "+50";

  /** Every group, youngest first. */
  public static final List<String> YOUNGEST_FIRST =
      List.of(UNDER_18, FROM_18_TO_24, FROM_25_TO_35, FROM_36_TO_50, OVER_50);

  /** The group of {@code age}. Every int has a group (negative ages fall in {@code <18}). */
  public static String of(int age) {
    if (age < 18) {
      return UNDER_18;
    } else if (age <= 24) {
      return FROM_18_TO_24;
    } else if (age <= 35) {
      return FROM_25_TO_35;
    } else if (age <= 50) {
      return FROM_36_TO_50;
    } else {
      return OVER_50;
    }
  }

  /** The group of {@code age}, or null without an age. */
  public static String ofNullable(Integer age) {
    return age == null ? null : of(age);
  }

  /** Position of {@code group} youngest first, starting at 0. */
  public static int rank(String group) {
    int rank = YOUNGEST_FIRST.indexOf(group);
    if (rank < 0) {
      throw new IllegalArgumentException(
          "Unknown age group '" + group + "', expected one of " + YOUNGEST_FIRST);
    }
    return rank;
  }

  /** Orders age groups youngest first. */
  public static int compare(String a, String b) {
    return Integer.compare(rank(a), rank(b));
  }
}
