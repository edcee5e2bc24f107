package io.pinpipe.pipelines.archive;

import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.pipelines.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * What the archive itself says it holds, read before a run writes anything (docs/semantics.md#the-archive-job-exactly-once-recorded-in-the-archive):
 * per
 * partition, the offset ranges of its range records (archived chunks and recorded gaps). Every
 * other file of the job's own naming is a leftover of a run that stopped before committing it: a
 * temporary file, or a data or dead-letter file of a chunk without its range record.
 */
final class ArchiveState implements ArchivePlan.Holdings {
  /** Per {@code <topic>|<partition>}: where the archive begins (its begin record). */
  private final Map<String, Long> begins = new TreeMap<>();
  /** Per {@code <topic>|<partition>}: first offset of each recorded range, to its last offset. */
  private final Map<String, TreeMap<Long, Long>> recorded = new TreeMap<>();
  private final Set<Chunk> archivedChunks = new HashSet<>();
  private final List<ResourceId> temporary = new ArrayList<>();
  private final List<ResourceId> uncommitted = new ArrayList<>();
  private final List<ResourceId> earlierVersion = new ArrayList<>();

  private ArchiveState() {}

  /** Lists {@code ranges/}, {@code topics/} and {@code dead-letter/} of each topic under {@code root}. */
  static ArchiveState read(String root, List<String> topics) throws IOException {
    ArchiveState state = new ArchiveState();
    for (String topic : topics) {
      for (ResourceId file : ArchiveFiles.listUnder(Chunk.rangeFolder(root, topic))) {
        String name = file.getFilename();
        Optional<long[]> begin = Chunk.parseBegin(topic, name);
        if (Chunk.isTemporaryName(topic, name)) {
          state.temporary.add(file);
        } else if (begin.isPresent()) {
          // Two begin records cannot come from this job; the lower one loses nothing.
          state.begins.merge(key(topic, (int) begin.get()[0]), begin.get()[1], Math::min);
        } else {
          Chunk.parse(topic, name)
              .filter(n -> n.extension().equals(".json") || n.isGap())
              .ifPresent(n -> state.record(n.chunk(), !n.isGap(), file));
        }
      }
    }
    for (String topic : topics) {
      for (String folder : List.of(root + "/" + ArchiveLayout.TOPICS + "/" + topic, root + "/dead-letter/" + topic)) {
        for (ResourceId file : ArchiveFiles.listUnder(folder)) {
          state.classify(topic, file);
        }
      }
    }
    return state;
  }

  private void record(Chunk chunk, boolean archived, ResourceId file) {
    TreeMap<Long, Long> ranges = recorded.computeIfAbsent(key(chunk.topic(), chunk.partition()), k -> new TreeMap<>());
    Map.Entry<Long, Long> before = ranges.floorEntry(chunk.last());
    if (before != null && before.getValue() >= chunk.first()) {
      // Only two jobs writing one archive at once can do this; going on could archive twice.
      throw new IllegalStateException(
          "the archive's range records overlap: " + file + " and the range [" + before.getKey() + ", "
              + before.getValue() + "] of " + chunk.topic() + "/" + chunk.partition()
              + " (did two archive jobs write to it at once?)");
    }
    ranges.put(chunk.first(), chunk.last());
    if (archived) {
      archivedChunks.add(chunk);
    }
  }

  private void classify(String topic, ResourceId file) {
    String name = file.getFilename();
    if (Chunk.isTemporaryName(topic, name)) {
      temporary.add(file);
    } else if (Chunk.parse(topic, name).filter(n -> !n.isGap()).isPresent()) {
      if (!archivedChunks.contains(Chunk.parse(topic, name).get().chunk())) {
        uncommitted.add(file);
      }
    } else if (Chunk.isFirstOffsetOnlyName(topic, name)) {
      earlierVersion.add(file);
    }
    // Any other file is not ours: left alone.
  }

  private static String key(String topic, int partition) {
    return topic + "|" + partition;
  }

  /**
   * Files named {@code <topic>+<p>+<first>.json}, as {@code generate} and the earlier archive
   * version wrote them, hold offsets this archive has no record of: archiving beside them could
   * put an offset in the archive twice.
   */
  void refuseFilesOfAnEarlierVersion(String root) {
    if (!earlierVersion.isEmpty()) {
      throw new UserError(
          root + " holds " + earlierVersion.size() + " file(s) named by their first offset only, such as "
              + earlierVersion.get(0).getFilename() + " (written by `generate` or an earlier archive version),"
              + " which this archive has no record of; archive into a new --output");
    }
  }

  /** Removes temporary files and files of uncommitted chunks, and says how many. */
  void removeLeftovers(PrintStream out) throws IOException {
    ArchiveFiles.delete(temporary);
    ArchiveFiles.delete(uncommitted);
    if (!temporary.isEmpty() || !uncommitted.isEmpty()) {
      out.printf(
          Locale.ROOT,
          "archive: removed %d temporary file(s) and %d file(s) of chunks a stopped run did not commit%n",
          temporary.size(), uncommitted.size());
    }
  }

  int temporaryFiles() {
    return temporary.size();
  }

  int uncommittedFiles() {
    return uncommitted.size();
  }

  @Override
  public OptionalLong begin(String topic, int partition) {
    Long begin = begins.get(key(topic, partition));
    return begin == null ? OptionalLong.empty() : OptionalLong.of(begin);
  }

  /** The partition's recorded ranges, first offset to last (empty when the archive holds none). */
  @Override
  public TreeMap<Long, Long> recorded(String topic, int partition) {
    return new TreeMap<>(recorded.getOrDefault(key(topic, partition), new TreeMap<>()));
  }
}
