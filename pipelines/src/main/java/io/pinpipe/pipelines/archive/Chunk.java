package io.pinpipe.pipelines.archive;

import io.pinpipe.contract.ArchiveLayout;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One committed unit of the archive: the offsets {@code [first, last]} of one topic partition, and
 * the names of everything written for them (docs/semantics.md#the-archive-job-exactly-once-recorded-in-the-archive).
 * Every name carries the chunk's
 * bounds, {@code <topic>+<partition>+<first:010d>+<last:010d>}, like the file names of Confluent's
 * HDFS sink:
 *
 * <ul>
 *   <li>data: {@code topics/<topic>/[dt=<day>/]partition=<p>/<name>.json} (one file per UTC day of
 *       the records' timestamps, all with the same name);
 *   <li>dead letters: {@code dead-letter/<topic>/partition=<p>/<name>.jsonl};
 *   <li>the range record, written last, which commits the chunk: {@code
 *       ranges/<topic>/partition=<p>/<name>.json}; or {@code <name>.gap.json} for offsets that
 *       Kafka's retention removed before they were archived, recorded with {@code --allowGaps}.
 * </ul>
 *
 * <p>Where the archive of a partition begins is recorded once, before its first chunk, as {@code
 * ranges/<topic>/partition=<p>/<topic>+<p>+<offset:010d>.begin.json} ({@link #beginPath}).
 */
record Chunk(String topic, int partition, long first, long last) {
  /** Our names: the bounds are zero-padded to 10 digits, and longer offsets simply have more. */
  private static final Pattern NAME =
      Pattern.compile("(?<topic>.+)\\+(?<partition>\\d+)\\+(?<first>\\d{10,})\\+(?<last>\\d{10,})(?<ext>\\.json|\\.jsonl|\\.gap\\.json)");
  /** The names the earlier archive version (and {@code generate}) gave: the first offset only. */
  private static final Pattern FIRST_OFFSET_ONLY =
      Pattern.compile("(?<topic>.+)\\+(?<partition>\\d+)\\+(?<first>\\d{10,})(?<ext>\\.json|\\.jsonl)");

  private static final Pattern BEGIN =
      Pattern.compile("(?<topic>.+)\\+(?<partition>\\d+)\\+(?<offset>\\d{10,})\\.begin\\.json");
  static final String BEGIN_SUFFIX = ".begin.json";
  static final String TEMP_SUFFIX = ".inprogress";

  Chunk {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException("bad chunk [" + first + ", " + last + "] of " + topic + "/" + partition);
    }
  }

  long size() {
    return last - first + 1;
  }

  String name() {
    return String.format("%s+%d+%010d+%010d", topic, partition, first, last);
  }

  /** A grouping key: plain text, so its encoding is deterministic on every runner. */
  String key() {
    return topic + "|" + partition + "|" + first + "|" + last;
  }

  static Chunk fromKey(String key) {
    String[] parts = key.split("\\|", -1);
    return new Chunk(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
  }

  /** The data file of the records of one UTC day (or of all, without daily folders). */
  String dataPath(String root, Optional<String> day) {
    return root + "/" + ArchiveLayout.partitionFolder(topic, day, partition) + "/" + name() + ".json";
  }

  /** Dead letters beside the data (never under topics/, which batch reads). */
  String deadLetterPath(String root) {
    return root + "/dead-letter/" + topic + "/partition=" + partition + "/" + name() + ".jsonl";
  }

  String rangePath(String root) {
    return rangeFolder(root, topic) + "/partition=" + partition + "/" + name() + ".json";
  }

  String gapPath(String root) {
    return rangeFolder(root, topic) + "/partition=" + partition + "/" + name() + ".gap.json";
  }

  /** The record that the archive of a partition begins at {@code offset}. */
  static String beginPath(String root, String topic, int partition, long offset) {
    return rangeFolder(root, topic) + "/partition=" + partition + "/"
        + String.format("%s+%d+%010d%s", topic, partition, offset, BEGIN_SUFFIX);
  }

  /** The offset a begin record of {@code topic} names, if {@code fileName} is one. */
  static Optional<long[]> parseBegin(String topic, String fileName) {
    Matcher m = BEGIN.matcher(fileName);
    if (!m.matches() || !m.group("topic").equals(topic)) {
      return Optional.empty();
    }
    return Optional.of(new long[] {Long.parseLong(m.group("partition")), Long.parseLong(m.group("offset"))});
  }

  static String rangeFolder(String root, String topic) {
    return root + "/ranges/" + topic;
  }

  /** A file name of ours, parsed: which chunk, and whether it is data, dead letters or a record. */
  record Named(Chunk chunk, String extension) {
    boolean isGap() {
      return extension.equals(".gap.json");
    }
  }

  /** The chunk a final file name of ours belongs to, if {@code fileName} is one for {@code topic}. */
  static Optional<Named> parse(String topic, String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches() || !m.group("topic").equals(topic)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Named(
              new Chunk(topic, Integer.parseInt(m.group("partition")), Long.parseLong(m.group("first")),
                  Long.parseLong(m.group("last"))),
              m.group("ext")));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // last < first or out of range: not a name this job gives
    }
  }

  /** True for {@code <topic>+<p>+<first>.json}, a name this version never gives. */
  static boolean isFirstOffsetOnlyName(String topic, String fileName) {
    Matcher m = FIRST_OFFSET_ONLY.matcher(fileName);
    return m.matches() && m.group("topic").equals(topic);
  }

  /**
   * True for a temporary name this job (in this version or the earlier one) gives a file while
   * writing it: {@code .<one of our names>.inprogress}.
   */
  static boolean isTemporaryName(String topic, String fileName) {
    if (!fileName.startsWith(".") || !fileName.endsWith(TEMP_SUFFIX)) {
      return false;
    }
    String inner = fileName.substring(1, fileName.length() - TEMP_SUFFIX.length());
    return parse(topic, inner).isPresent() || isFirstOffsetOnlyName(topic, inner)
        || parseBegin(topic, inner).isPresent();
  }
}
