package io.pinpipe.pipelines.archive;

import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets;
import io.pinpipe.pipelines.io.kafka.PartitionRange;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * What one run does per partition, from the archive's own records and the log as it is now
 * (docs/semantics.md#the-archive-job-exactly-once-recorded-in-the-archive).
 * The archive of a partition begins where its first run's {@code --startFrom}
 * said, recorded then in a begin record; from there on every offset up to the log's end is
 * archived exactly once. The offsets the archive does not hold are written if the log still has
 * them; those Kafka's retention removed first are a gap. The group's committed offsets play no
 * part, except as the start a user may choose for a new archive.
 *
 * @param write the offsets to write, per partition possibly several ranges (holes a stopped run left)
 * @param read per partition, one range from the first offset to write to the last
 * @param gaps offsets the archive does not hold and the log no longer has
 * @param begins where the archive of a partition it holds nothing of begins: to record before writing
 * @param next per partition the archive holds anything of after the run, its next offset
 */
record ArchivePlan(
    List<PartitionRange> write,
    List<PartitionRange> read,
    List<Gap> gaps,
    List<Begin> begins,
    Map<TopicPartition, Long> next) {

  /** What the archive holds of a partition, as its records say. */
  interface Holdings {
    /** Where the archive of the partition begins, if it was ever started. */
    OptionalLong begin(String topic, int partition);

    /** The recorded ranges (chunks and gaps), first offset to last. */
    TreeMap<Long, Long> recorded(String topic, int partition);
  }

  /** The archive of a partition begins at {@code offset}. */
  record Begin(String topic, int partition, long offset) {}

  /** Offsets {@code [first, last]} removed from the log before they were archived. */
  record Gap(String topic, int partition, long first, long last, long earliestInLog) {
    long size() {
      return last - first + 1;
    }

    Chunk asChunk() {
      return new Chunk(topic, partition, first, last);
    }

    @Override
    public String toString() {
      return String.format(
          "offsets [%d, %d] of %s/%d (%d) were removed by Kafka's retention before they were archived: the"
              + " log now begins at %d",
          first, last, topic, partition, size(), earliestInLog);
    }
  }

  static ArchivePlan of(String root, List<PartitionOffsets> partitions, Holdings holdings) {
    List<PartitionRange> write = new ArrayList<>();
    List<PartitionRange> read = new ArrayList<>();
    List<Gap> gaps = new ArrayList<>();
    List<Begin> begins = new ArrayList<>();
    Map<TopicPartition, Long> next = new TreeMap<>(
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    for (PartitionOffsets p : partitions) {
      TreeMap<Long, Long> ranges = holdings.recorded(p.topic(), p.partition());
      OptionalLong begin = holdings.begin(p.topic(), p.partition());
      long from;
      if (begin.isPresent()) {
        from = begin.getAsLong();
      } else if (ranges.isEmpty()) {
        from = Math.min(p.start(), p.end());
        begins.add(new Begin(p.topic(), p.partition(), from));
      } else {
        from = 0; // records without a begin record: only a hand-made archive; assume nothing before
      }
      if (!ranges.isEmpty() && ranges.lastEntry().getValue() >= p.end()) {
        throw new UserError(
            root + " holds offsets of " + p.topic() + "/" + p.partition() + " up to "
                + ranges.lastEntry().getValue() + ", but the partition ends at " + p.end()
                + " (was the topic deleted and created again?); archive it into a new --output");
      }
      List<PartitionRange> toWrite = new ArrayList<>();
      for (long[] missing : missing(ranges, from, p.end())) {
        long a = missing[0];
        long b = missing[1];
        if (a < p.earliest()) {
          gaps.add(new Gap(p.topic(), p.partition(), a, Math.min(b, p.earliest()) - 1, p.earliest()));
        }
        if (Math.max(a, p.earliest()) < b) {
          toWrite.add(new PartitionRange(p.topic(), p.partition(), Math.max(a, p.earliest()), b));
        }
      }
      write.addAll(toWrite);
      if (!toWrite.isEmpty()) {
        read.add(new PartitionRange(
            p.topic(), p.partition(), toWrite.get(0).start(), toWrite.get(toWrite.size() - 1).stop()));
      }
      if (!ranges.isEmpty() || !toWrite.isEmpty()) {
        next.put(p.topicPartition(), p.end());
      }
    }
    return new ArchivePlan(List.copyOf(write), List.copyOf(read), List.copyOf(gaps), List.copyOf(begins), next);
  }

  /** The offset ranges {@code [a, b)} within {@code [from, to)} that {@code ranges} do not cover. */
  static List<long[]> missing(TreeMap<Long, Long> ranges, long from, long to) {
    List<long[]> missing = new ArrayList<>();
    long at = from;
    for (Map.Entry<Long, Long> r : ranges.entrySet()) {
      if (r.getKey() > at) {
        missing.add(new long[] {at, Math.min(r.getKey(), to)});
      }
      at = Math.max(at, r.getValue() + 1);
    }
    if (at < to) {
      missing.add(new long[] {at, to});
    }
    missing.removeIf(m -> m[0] >= m[1]);
    return missing;
  }

  long records() {
    return write.stream().mapToLong(PartitionRange::size).sum();
  }
}
