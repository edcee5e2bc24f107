package io.pinpipe.emulator.archive;

import io.pinpipe.emulator.generate.RecordKind;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Names in the archived raw layout, as MSK Connect's S3 sink wrote them (docs/semantics.md): {@code
 * <root>/topics/<topic>/[dt=<day>/]partition=<p>/<topic>+<p>+<startOffset:010d>.json}, where the
 * topic is {@code <prefix>.<kind>}. The generator writes with it; the pipelines' archive job uses
 * its folders (through the string forms, for any filesystem) but names its files after the chunk
 * they belong to, {@code <topic>+<p>+<first:010d>+<last:010d>.json}.
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
        .resolve(fileName(topic, partition, startOffset, ".json"));
  }

  /** {@code topics/<topic>/[dt=<day>/]partition=<p>}, relative to the archive root. */
  public static String partitionFolder(String topic, Optional<String> day, int partition) {
    return "topics/" + topic + "/" + day.map(d -> "dt=" + d + "/").orElse("") + "partition=" + partition;
  }

  /** {@code <topic>+<p>+<startOffset:010d><extension>}. */
  public static String fileName(String topic, int partition, long startOffset, String extension) {
    return String.format("%s+%d+%010d%s", topic, partition, startOffset, extension);
  }
}
