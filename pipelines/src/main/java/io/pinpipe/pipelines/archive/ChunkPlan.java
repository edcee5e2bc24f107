package io.pinpipe.pipelines.archive;

import io.pinpipe.pipelines.io.kafka.PartitionRange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which offsets a run writes, and how they are cut into chunks: per partition, the offset ranges
 * the archive does not hold yet (docs/semantics.md#the-archive-job-exactly-once-recorded-in-the-archive),
 * each cut every {@code maxRecordsPerFile}
 * offsets counted from the range's start. A record outside these ranges is already archived and
 * is never written again.
 */
final class ChunkPlan implements Serializable {
  private final TreeMap<String, ArrayList<PartitionRange>> todo = new TreeMap<>();
  private final long maxRecordsPerFile;

  ChunkPlan(List<PartitionRange> ranges, long maxRecordsPerFile) {
    this.maxRecordsPerFile = maxRecordsPerFile;
    for (PartitionRange r : ranges) {
      if (r.size() > 0) {
        todo.computeIfAbsent(key(r.topic(), r.partition()), k -> new ArrayList<>()).add(r);
      }
    }
  }

  private static String key(String topic, int partition) {
    return topic + "|" + partition;
  }

  /** The chunk {@code offset} is written in, or empty when the archive holds it already. */
  Optional<Chunk> chunkOf(String topic, int partition, long offset) {
    List<PartitionRange> ranges = todo.get(key(topic, partition));
    if (ranges != null) {
      for (PartitionRange r : ranges) {
        if (offset >= r.start() && offset < r.stop()) {
          long first = r.start() + (offset - r.start()) / maxRecordsPerFile * maxRecordsPerFile;
          return Optional.of(
              new Chunk(topic, partition, first, Math.min(first + maxRecordsPerFile, r.stop()) - 1));
        }
      }
    }
    return Optional.empty();
  }

  /** Every chunk of the plan, by topic and partition, then in the order of the ranges given. */
  List<Chunk> chunks() {
    List<Chunk> chunks = new ArrayList<>();
    for (List<PartitionRange> ranges : todo.values()) {
      for (PartitionRange r : ranges) {
        for (long first = r.start(); first < r.stop(); first += maxRecordsPerFile) {
          chunks.add(new Chunk(r.topic(), r.partition(), first, Math.min(first + maxRecordsPerFile, r.stop()) - 1));
        }
      }
    }
    return chunks;
  }

  Map<String, List<PartitionRange>> ranges() {
    return new TreeMap<>(todo);
  }
}
