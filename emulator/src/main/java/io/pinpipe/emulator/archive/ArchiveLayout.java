package io.pinpipe.emulator.archive;

import io.pinpipe.emulator.generate.RecordKind;
import java.nio.file.Path;

/**
 * Names in the archived raw layout, as MSK Connect's S3 sink wrote them (DESIGN.md §4): {@code
 * <root>/topics/<topic>/partition=<p>/<topic>+<p>+<startOffset:010d>.json}, where the topic is
 * {@code <prefix>.<kind>}.
 */
public final class ArchiveLayout {
  private ArchiveLayout() {}

  public static String topic(String topicPrefix, RecordKind kind) {
    return topicPrefix + "." + kind.topicSuffix();
  }

  public static Path topicDirectory(Path root, String topicPrefix, RecordKind kind) {
    return root.resolve("topics").resolve(topic(topicPrefix, kind));
  }

  public static Path partitionDirectory(Path root, String topicPrefix, RecordKind kind, int partition) {
    return topicDirectory(root, topicPrefix, kind).resolve("partition=" + partition);
  }

  /** The file whose first record has {@code startOffset} in its partition. */
  public static Path file(
      Path root, String topicPrefix, RecordKind kind, int partition, long startOffset) {
    String topic = topic(topicPrefix, kind);
    return partitionDirectory(root, topicPrefix, kind, partition)
        .resolve(String.format("%s+%d+%010d.json", topic, partition, startOffset));
  }
}
