package io.pinpipe.pipelines.io.kafka;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.kafka.BoundedKafkaRead;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceDescriptor;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads exact offset ranges of Kafka partitions with KafkaIO, as a bounded collection of the
 * records' raw bytes: each {@link PartitionRange} becomes a {@link KafkaSourceDescriptor} with a
 * start and a stop offset, read by KafkaIO's splittable DoFn. Element timestamps are the records'
 * Kafka timestamps (the producer's send time).
 *
 * <p>Runs on DirectRunner, Spark and Flink in batch mode (all support bounded splittable DoFns).
 * The ranges are planned by {@link KafkaOffsets#plan} before the pipeline is built. Secret client
 * properties reach the consumers through {@link KafkaSecrets}, never KafkaIO's consumer config.
 */
public final class ReadKafkaRanges
    extends PTransform<PBegin, PCollection<KafkaRecord<byte[], byte[]>>> {
  private final List<PartitionRange> ranges;
  private final HashMap<String, Object> consumerConfig;

  private ReadKafkaRanges(List<PartitionRange> ranges, Map<String, Object> consumerConfig) {
    this.ranges = List.copyOf(ranges);
    this.consumerConfig = new HashMap<>(consumerConfig);
  }

  /** Reads the non-empty ranges; there must be at least one. */
  public static ReadKafkaRanges of(List<PartitionRange> ranges, Map<String, Object> clientConfig) {
    List<PartitionRange> nonEmpty =
        ranges.stream().filter(r -> r.size() > 0).collect(Collectors.toList());
    if (nonEmpty.isEmpty()) {
      throw new IllegalArgumentException("no records to read in " + ranges);
    }
    return new ReadKafkaRanges(nonEmpty, KafkaOffsets.consumerConfig(clientConfig, Optional.empty()));
  }

  @Override
  public PCollection<KafkaRecord<byte[], byte[]>> expand(PBegin begin) {
    List<KafkaSourceDescriptor> descriptors =
        ranges.stream()
            .map(r -> KafkaSourceDescriptor.of(r.topicPartition(), r.start(), null, r.stop(), null, null))
            .collect(Collectors.toList());
    return begin
        .apply("PartitionRanges", Create.of(descriptors))
        .apply(
            "ReadRanges",
            BoundedKafkaRead.of(
                KafkaIO.<byte[], byte[]>readSourceDescriptors()
                    .withBootstrapServers(KafkaOffsets.servers(consumerConfig))
                    .withKeyDeserializer(ByteArrayDeserializer.class)
                    .withValueDeserializer(ByteArrayDeserializer.class)
                    .withConsumerConfigUpdates(KafkaSecrets.withoutSecrets(consumerConfig))
                    .withConsumerFactoryFn(KafkaSecrets.consumerFactory(consumerConfig))
                    .withCreateTime()));
  }
}
