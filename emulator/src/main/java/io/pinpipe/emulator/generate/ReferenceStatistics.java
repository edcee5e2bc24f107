package io.pinpipe.emulator.generate;

import java.util.List;

/**
 * What the generator imitates, measured on the real sample of the original system's data: the
 * 2,178 aligned pin/geo/user events of the reference sample, not shipped (eight public
 * runs of the original emulator, merged). {@code emulator/calibration/calibrate.py derive} prints
 * every figure below; counts are rows of the sample unless they say "per account" (one per
 * distinct poster; see {@link Accounts} for why poster, person and place are one account).
 */
final class ReferenceStatistics {
  private ReferenceStatistics() {}

  static final int SAMPLE_EVENTS = 2178;

  /**
   * Placeholders come in fixed combinations, so the generator draws a whole combination per pin
   * with its row count (all 2,178 pins fall in one of these nine).
   */
  enum PinProfile {
    CLEAN(1976),
    STORY(100, Placeholder.STORY),
    STORY_IMAGE_SRC_ERROR(36, Placeholder.STORY, Placeholder.IMAGE_SRC_ERROR),
    NO_DESCRIPTION(32, Placeholder.NO_DESCRIPTION),
    /** All 17 "User Info Error" pins are wholly broken, and all belong to one person. */
    USER_INFO_ERROR(
        17,
        Placeholder.USER_INFO_ERROR,
        Placeholder.NO_TITLE,
        Placeholder.STORY,
        Placeholder.NO_TAGS,
        Placeholder.IMAGE_SRC_ERROR),
    NO_TAGS(14, Placeholder.NO_TAGS),
    UNTITLED(1, Placeholder.UNTITLED),
    EMPTY_TITLE(1, Placeholder.EMPTY_TITLE, Placeholder.STORY, Placeholder.IMAGE_SRC_ERROR),
    STORY_NO_TAGS(1, Placeholder.STORY, Placeholder.NO_TAGS);

    final int rows;
    private final List<Placeholder> placeholders;

    PinProfile(int rows, Placeholder... placeholders) {
      this.rows = rows;
      this.placeholders = List.of(placeholders);
    }

    boolean has(Placeholder placeholder) {
      return placeholders.contains(placeholder);
    }
  }

  /** The dirty values of docs/semantics.md#cleaning-per-kind, exactly as the original sent them. */
  enum Placeholder {
    USER_INFO_ERROR("User Info Error"),
    NO_TITLE("No Title Data Available"),
    EMPTY_TITLE(""),
    STORY("No description available Story format"),
    NO_DESCRIPTION("No description available"),
    UNTITLED("Untitled"),
    NO_TAGS("N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e"),
    IMAGE_SRC_ERROR("Image src error.");

    final String text;

    Placeholder(String text) {
      this.text = text;
    }
  }

  /** Rows per category (13 categories). */
  static final List<String> CATEGORIES =
      List.of(
          "art", "beauty", "christmas", "diy-and-crafts", "education", "event-planning", "finance",
          "home-decor", "mens-fashion", "quotes", "tattoos", "travel", "vehicles");

  static final long[] CATEGORY_ROWS = {188, 145, 216, 162, 164, 158, 173, 150, 169, 175, 168, 169, 141};

  /**
   * Share of an account's posts in its home category. Two rows of one account share a category
   * with probability h² + (1 − h²)·S, S = Σ category share² = 0.0779; over the 3,268 same-account
   * row pairs of the sample 72.15% do, so h = 0.835.
   */
  static final double HOME_CATEGORY_SHARE = 0.835;

  /**
   * Probability that an event opens a new account rather than reposting from an earlier one:
   * 1,488 accounts over the 2,161 rows that are not the error account's (1,489 persons over 2,178
   * rows with it: 1.4627 rows per person).
   */
  static final double NEW_ACCOUNT_PROBABILITY = 1488.0 / 2161;

  static final double ROWS_PER_PERSON = 2178.0 / 1489;

  /** Story pins are {@link PinProfile}s; of the 2,023 other pins 66 are videos, 1,957 images. */
  static final int NON_STORY_ROWS = 2023;

  static final int VIDEO_ROWS = 66;

  /** image_src file endings of image pins: .jpg 1,624, .png 319, .webp 11, .gif 3 rows. */
  static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".png", ".webp", ".gif");

  static final long[] IMAGE_EXTENSION_ROWS = {1624, 319, 11, 3};

  /**
   * Video thumbnails end ".0000001.jpg" (63 video and all 101 story rows with a source) or
   * "-00001.jpg" (3 video rows).
   */
  static final List<String> VIDEO_THUMBNAIL_ENDINGS = List.of(".0000001.jpg", "-00001.jpg");

  static final long[] VIDEO_THUMBNAIL_ENDING_ROWS = {63, 3};

  /**
   * follower_count formats over the 2,161 rows without "User Info Error": "&lt;n&gt;k" 1,601
   * (74.1%), plain digits 393 (18.2%), "&lt;n&gt;M" 167 (7.7%). Rows rather than accounts (per
   * account: 72.6/23.7/3.6%) because the raw-data contract states the row shares and queries see rows.
   */
  static final long FOLLOWERS_THOUSANDS_ROWS = 1601;

  static final long FOLLOWERS_DIGITS_ROWS = 393;
  static final long FOLLOWERS_MILLIONS_ROWS = 167;

  /** "&lt;n&gt;k" per account in bins [1,2) [2,3) [3,5) [5,10) [10,20) [20,50) [50,100) ... [500,1000). */
  static final int[] THOUSANDS_BIN_EDGES = {1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000};

  static final long[] THOUSANDS_BIN_ACCOUNTS = {43, 47, 86, 150, 138, 219, 130, 109, 104, 55};

  /** Plain digits per account in bins [0,1) [1,10) [10,30) [30,100) ... [700,1000). */
  static final int[] DIGITS_BIN_EDGES = {0, 1, 10, 30, 100, 200, 300, 500, 700, 1000};

  static final long[] DIGITS_BIN_ACCOUNTS = {13, 39, 37, 57, 48, 39, 54, 26, 40};

  /** "&lt;n&gt;M" per account: only these values occur, up to 15M. */
  static final List<Integer> MILLIONS = List.of(1, 2, 3, 4, 5, 6, 8, 15);

  static final long[] MILLIONS_ACCOUNTS = {15, 15, 7, 7, 5, 2, 2, 1};

  /** Ages 20..60 per person (1,488 persons without the error account). */
  static final int FIRST_AGE = 20;

  static final int[] AGE_PERSONS = {
    125, 103, 64, 80, 53, 62, 46, 42, 62, 34, 49, 33, 44, 33, 38, 29, 31, 39, 33, 26, 27, 24, 30, 27,
    27, 27, 19, 28, 23, 27, 28, 19, 17, 20, 13, 24, 12, 15, 19, 23, 13
  };

  /**
   * date_joined per person in 24 month-long bins from 2015-10-20 (the sample spans 2015-10-21
   * 03:17:47 .. 2017-10-18 22:28:35): sign-ups thin out over the two years.
   */
  static final String DATE_JOINED_FROM = "2015-10-20T00:00:00";

  static final int[] DATE_JOINED_MONTH_PERSONS = {
    184, 126, 107, 104, 84, 80, 69, 74, 65, 59, 50, 37, 45, 41, 44, 33, 32, 37, 40, 34, 37, 46, 33, 27
  };

  /**
   * Geo timestamps spread evenly over 2017-10-20 09:27:16 .. 2022-10-18 15:43:00 (per year 80,
   * 457, 405, 440, 432, 364 rows for 2017..2022), so uniform over these whole days.
   */
  static final String TIMESTAMP_FROM = "2017-10-20T00:00:00";

  static final String TIMESTAMP_UNTIL = "2022-10-19T00:00:00";

  /** Latitude per account in 10-degree bins from -90 (southern bins are the busiest). */
  static final long[] LATITUDE_BIN_ACCOUNTS = {
    233, 182, 128, 133, 88, 85, 71, 57, 47, 60, 52, 69, 50, 60, 43, 45, 38, 47
  };

  /** Longitude per account in 30-degree bins from -180. */
  static final long[] LONGITUDE_BIN_ACCOUNTS = {323, 208, 177, 146, 86, 118, 93, 77, 67, 73, 56, 64};

  /**
   * Coordinates carry 6 significant digits (2,667 of 2,976 account coordinates; the rest are
   * those with trailing zeros, e.g. -87.2), as a MySQL FLOAT column would store them.
   */
  static final int COORDINATE_SIGNIFICANT_DIGITS = 6;

  /** Words per title, 1..32 (non-placeholder titles). */
  static final int[] TITLE_WORD_ROWS = {
    40, 79, 122, 121, 142, 170, 215, 182, 216, 181, 175, 145, 103, 89, 53, 39, 22, 19, 9, 7, 7, 5, 5, 1,
    6, 0, 0, 4, 1, 1, 0, 1
  };

  /**
   * Of 1,990 real descriptions 799 were cut by Pinterest: 176 or 177 characters then "…" and a
   * no-break space (total length 179: 659 rows, 178: 138 rows).
   */
  static final int DESCRIPTION_ROWS = 1990;

  static final int CUT_DESCRIPTION_ROWS = 799;
  static final int CUT_AT_177_ROWS = 659;
  static final int CUT_AT_176_ROWS = 138;
  static final String CUT_MARK = "\u2026\u00a0";

  /** Words per uncut description, 1..36. */
  static final int[] UNCUT_DESCRIPTION_WORD_ROWS = {
    12, 18, 19, 18, 27, 17, 23, 25, 32, 33, 34, 32, 31, 28, 28, 45, 24, 24, 47, 67, 43, 71, 90, 66, 78,
    55, 50, 53, 40, 21, 17, 4, 5, 6, 6, 2
  };

  /** 737 of the 1,191 uncut descriptions end a sentence (491 with '.', 239 with '!'). */
  static final int UNCUT_DESCRIPTIONS = 1191;

  static final int UNCUT_SENTENCE_END_ROWS = 737;

  /** Tags per list (3: 1, 7: 1, 8: 2, 9: 2,142 rows). */
  static final int[] TAGS_PER_LIST_ROWS = {1, 0, 0, 0, 1, 2, 2142};

  static final int FIRST_TAGS_PER_LIST = 3;

  /** Words per tag, 1..8. */
  static final int[] WORDS_PER_TAG = {519, 11580, 5227, 1756, 173, 43, 4, 2};

  /** Words per poster name, 1..20, per account. */
  static final int[] POSTER_NAME_WORD_ACCOUNTS = {
    308, 439, 272, 95, 78, 46, 48, 38, 61, 47, 28, 10, 10, 1, 1, 3, 0, 1, 1, 1
  };
}
