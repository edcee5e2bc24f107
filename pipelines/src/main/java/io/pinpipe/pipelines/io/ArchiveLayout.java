package io.pinpipe.pipelines.io;

import io.pinpipe.transforms.schema.RecordKind;
import java.util.regex.Pattern;

/**
 * Paths of the archived raw layout (docs/semantics.md):
 * {@code <root>/topics/<prefix>.<kind>/[dt=<YYYY-MM-DD>/]partition=<p>/<prefix>.<kind>+<p>+<offset>.json}.
 */
public final class ArchiveLayout {
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private final String root;
  private final String topicPrefix;
  private final String day;

  public ArchiveLayout(String root, String topicPrefix, String day) {
    if (day != null && !DAY.matcher(day).matches()) {
      throw new IllegalArgumentException("--date must be a day YYYY-MM-DD, got '" + day + "'");
    }
    this.root = Paths.withoutTrailingSlash(root);
    this.topicPrefix = topicPrefix;
    this.day = day;
  }

  public String root() {
    return root;
  }

  public String topic(RecordKind kind) {
    return topicPrefix + "." + kind.id();
  }

  /** The folder whose files hold this kind's records (one day's, when a day is set). */
  public String folder(RecordKind kind) {
    String topicFolder = root + "/topics/" + topic(kind) + "/";
    return day == null ? topicFolder : topicFolder + "dt=" + day + "/";
  }

  /** The layout of the same archive restricted to one day. */
  public ArchiveLayout ofDay(String day) {
    return new ArchiveLayout(root, topicPrefix, day);
  }

  private static final Pattern DAY_FOLDER = Pattern.compile("/dt=([^/]*)/");

  /**
   * The ingestion day of a record read from {@code pathOrOrigin} (a file's path, or a record's
   * origin {@code <path>:<line>}): its {@code dt=<YYYY-MM-DD>} folder, the last if there are
   * several. A file with none, or with one that is no real day, has no ingestion day: an error that
   * names it (Iceberg tables need each row's day, docs/iceberg.md).
   */
  public static String ingestionDay(String pathOrOrigin) {
    java.util.regex.Matcher m = DAY_FOLDER.matcher(pathOrOrigin);
    String day = null;
    while (m.find()) {
      day = m.group(1);
    }
    if (day == null) {
      throw new IllegalArgumentException(
          "no dt=<YYYY-MM-DD> folder in " + pathOrOrigin + ": a record's ingestion_date is its file's dt= day");
    }
    try {
      if (!DAY.matcher(day).matches()) {
        throw new java.time.format.DateTimeParseException("not YYYY-MM-DD", day, 0);
      }
      return java.time.LocalDate.parse(day).toString();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("dt=" + day + " in " + pathOrOrigin + " is not a day YYYY-MM-DD");
    }
  }

  /** Every file under {@link #folder}, at any depth. */
  public String filepattern(RecordKind kind) {
    return folder(kind) + "**";
  }
}
