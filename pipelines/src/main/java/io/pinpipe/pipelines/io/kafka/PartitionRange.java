package io.pinpipe.pipelines.io.kafka;

import java.io.Serializable;
import org.apache.kafka.common.TopicPartition;

/** The offsets [start, stop) of one topic partition that a run reads. */
public record PartitionRange(String topic, int partition, long start, long stop)
    implements Serializable {
  public PartitionRange {
    if (start < 0 || stop < start) {
      throw new IllegalArgumentException("bad offset range [" + start + ", " + stop + ")");
    }
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  public long size() {
    return stop - start;
  }

  @Override
  public String toString() {
    return topic + "/" + partition + " [" + start + ", " + stop + ")";
  }
}
