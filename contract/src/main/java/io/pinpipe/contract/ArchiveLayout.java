package io.pinpipe.contract;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names in the archived raw layout, as MSK Connect's S3 sink wrote them (docs/semantics.md#archived-raw-layout):
 * {@code
 * <root>/topics/<topic>/[dt=<YYYY-MM-DD>/]partition=<p>/<topic>+<p>+<startOffset:010d>.json}, where
 * the topic is {@code <prefix>.<kind>}. The emulator's generator writes archives with it; the archive
 * job writes its folders (its files are named after the chunk they hold, {@code
 * <topic>+<p>+<first:010d>+<last:010d>.json}); batch reads them.
 *
 * <p>The static methods name single places; an instance is one archive (a root, a topic prefix and
 * optionally one day) as a job reads it, with string paths so that any file system works.
 */
public final class ArchiveLayout {
  /** The folder under the root that holds one folder per topic. */
  public static final String TOPICS = "topics";

  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final Pattern DAY_FOLDER = Pattern.compile("/dt=([^/]*)/");

  private final String root;
  private final String topicPrefix;
  private final String day;

  /** The archive at {@code root}; {@code day} (YYYY-MM-DD) restricts it to one day, or null for all. */
  public ArchiveLayout(String root, String topicPrefix, String day) {
    if (day != null && !DAY.matcher(day).matches()) {
      throw new IllegalArgumentException("--date must be a day YYYY-MM-DD, got '" + day + "'");
    }
    this.root = withoutTrailingSlash(root);
    this.topicPrefix = topicPrefix;
    this.day = day;
  }

  public String root() {
    return root;
  }

  public String topic(RecordKind kind) {
    return topic(topicPrefix, kind);
  }

  /** The folder whose files hold this kind's records (one day's, when a day is set). */
  public String folder(RecordKind kind) {
    String topicFolder = root + "/" + TOPICS + "/" + topic(kind) + "/";
    return day == null ? topicFolder : topicFolder + "dt=" + day + "/";
  }

  /** Every file under {@link #folder}, at any depth. */
  public String filepattern(RecordKind kind) {
    return folder(kind) + "**";
  }

  /** The layout of the same archive restricted to one day. */
  public ArchiveLayout ofDay(String day) {
    return new ArchiveLayout(root, topicPrefix, day);
  }

  /** {@code <prefix>.<kind>}. */
  public static String topic(String topicPrefix, RecordKind kind) {
    return topicPrefix + "." + kind.id();
  }

  /** {@code <root>/topics}: every topic's folder, this prefix's and others'. */
  public static Path topicsDirectory(Path root) {
    return root.resolve(TOPICS);
  }

  public static Path topicDirectory(Path root, String topicPrefix, RecordKind kind) {
    return topicsDirectory(root).resolve(topic(topicPrefix, kind));
  }

  public static Path partitionDirectory(Path root, String topicPrefix, RecordKind kind, int partition) {
    return topicDirectory(root, topicPrefix, kind).resolve("partition=" + partition);
  }

  /** The file whose first record has {@code startOffset} in its partition. */
  public static Path file(Path root, String topicPrefix, RecordKind kind, int partition, long startOffset) {
    String topic = topic(topicPrefix, kind);
    return partitionDirectory(root, topicPrefix, kind, partition)
        .resolve(fileName(topic, partition, startOffset, ".json"));
  }

  /** {@code topics/<topic>/[dt=<day>/]partition=<p>}, relative to the archive root. */
  public static String partitionFolder(String topic, Optional<String> day, int partition) {
    return TOPICS + "/" + topic + "/" + day.map(d -> "dt=" + d + "/").orElse("") + "partition=" + partition;
  }

  /** {@code <topic>+<p>+<startOffset:010d><extension>}. */
  public static String fileName(String topic, int partition, long startOffset, String extension) {
    return String.format("%s+%d+%010d%s", topic, partition, startOffset, extension);
  }

  /**
   * The ingestion day of a record read from {@code pathOrOrigin} (a file's path, or a record's
   * origin {@code <path>:<line>}): its {@code dt=<YYYY-MM-DD>} folder, the last if there are
   * several. A file with none, or with one that is no real day, has no ingestion day: an error that
   * names it (Iceberg tables need each row's day, docs/iceberg.md#runs-without---date).
   */
  public static String ingestionDay(String pathOrOrigin) {
    Matcher m = DAY_FOLDER.matcher(pathOrOrigin);
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
        throw new DateTimeParseException("not YYYY-MM-DD", day, 0);
      }
      return LocalDate.parse(day).toString();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("dt=" + day + " in " + pathOrOrigin + " is not a day YYYY-MM-DD");
    }
  }

  /** {@code path} without trailing slashes, but {@code s3://} kept whole. */
  private static String withoutTrailingSlash(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/") && !p.endsWith("://")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
