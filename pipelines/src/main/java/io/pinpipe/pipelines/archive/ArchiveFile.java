package io.pinpipe.pipelines.archive;

import io.pinpipe.emulator.archive.ArchiveLayout;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Which archive file a record belongs to, and that file's path (docs/semantics.md):
 * {@code topics/<topic>/[dt=<day>/]partition=<p>/<topic>+<p>+<firstOffset:010d>.json}.
 *
 * <p>A partition's range is cut into chunks of {@code maxRecordsPerFile} offsets counted from
 * the range's start, and by day when daily folders are on. A file is named by the first offset it
 * holds. Re-running a range from the same start therefore rewrites the same files under the same
 * names, which is what keeps the archive exactly-once when a run fails before committing.
 */
record ArchiveFile(String topic, int partition, Optional<String> day, long chunk) {
  static ArchiveFile of(
      String topic,
      int partition,
      long offset,
      long rangeStart,
      long maxRecordsPerFile,
      long timestampMillis,
      boolean dailyFolders) {
    Optional<String> day =
        dailyFolders && timestampMillis >= 0
            ? Optional.of(Instant.ofEpochMilli(timestampMillis).atZone(ZoneOffset.UTC).toLocalDate().toString())
            : Optional.empty();
    return new ArchiveFile(topic, partition, day, (offset - rangeStart) / maxRecordsPerFile);
  }

  /** A grouping key: plain text, so its encoding is deterministic on every runner. */
  String key() {
    return topic + "|" + partition + "|" + day.orElse("") + "|" + chunk;
  }

  static ArchiveFile fromKey(String key) {
    String[] parts = key.split("\\|", -1);
    return new ArchiveFile(
        parts[0],
        Integer.parseInt(parts[1]),
        parts[2].isEmpty() ? Optional.empty() : Optional.of(parts[2]),
        Long.parseLong(parts[3]));
  }

  /** The data file's path under the archive root, for its first offset. */
  String dataPath(String root, long firstOffset) {
    return root + "/" + ArchiveLayout.partitionFolder(topic, day, partition) + "/"
        + ArchiveLayout.fileName(topic, partition, firstOffset, ".json");
  }

  /** Dead letters of the same chunk, beside the data (never under topics/, which batch reads). */
  String deadLetterPath(String root, long firstOffset) {
    return root + "/dead-letter/" + topic + "/partition=" + partition + "/"
        + ArchiveLayout.fileName(topic, partition, firstOffset, ".jsonl");
  }
}
