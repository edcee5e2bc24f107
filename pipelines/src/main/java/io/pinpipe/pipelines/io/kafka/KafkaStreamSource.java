package io.pinpipe.pipelines.io.kafka;

import io.pinpipe.pipelines.io.source.RawSource;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.ArchiveLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The three topics as unbounded streams for the streaming job. Event time is the record's
 * timestamp (the producer's send time, docs/streaming.md#event-time); the watermark trails the newest timestamp
 * by {@link #MAX_OUT_OF_ORDER} and moves on with the clock when a partition is idle.
 *
 * <p>Where a run starts: {@code committed} (default) resumes from the consumer group's offsets
 * and starts a never-seen group at the earliest offset; {@code earliest} replays everything; an
 * instant starts at the first record at or after it. The read commits nothing itself: {@link
 * CommitWrittenOffsets} commits, per partition, only offsets whose records are all in written
 * files, so a restart from the group's offsets is at least once (docs/streaming.md#what-a-restart-reads-again);
 * duplicate
 * removal keeps results right, and the appended tables may hold both copies.
 */
public final class KafkaStreamSource implements RawSource {
  /** How far behind the newest record timestamp of a partition an older one may still arrive. */
  static final Duration MAX_OUT_OF_ORDER = Duration.standardSeconds(2);

  private final Map<String, Object> clientConfig;
  private final String topicPrefix;
  private final StartPosition start;
  private final String groupId;
  private final long maxRecords;
  private final Duration maxReadTime;
  /** Where the read starts once {@link #startGroupAt} set the group's offsets (null: {@link #start}). */
  private String startsAt;

  public KafkaStreamSource(
      Map<String, Object> clientConfig,
      String topicPrefix,
      StartPosition start,
      String groupId,
      long maxRecords,
      Duration maxReadTime) {
    this.clientConfig = new HashMap<>(clientConfig);
    this.topicPrefix = topicPrefix;
    this.start = start;
    this.groupId = groupId;
    this.maxRecords = maxRecords;
    this.maxReadTime = maxReadTime;
  }

  /** Not for this source: its records are read packed ({@link #readPacked}). */
  @Override
  public PTransform<PBegin, PCollection<RawRecord>> read(RecordKind kind) {
    throw new UnsupportedOperationException("the streaming Kafka read is packed as read: readPacked");
  }

  /**
   * The offset commits for this source's reads ({@link CommitWrittenOffsets}), applied to the job's
   * record packs: they wait for {@code written}, every writer's output. Where each partition's
   * read starts is looked up now, as KafkaIO will (the group's offset, the earliest, or the first
   * at the start instant): offsets below it are not this run's to write.
   */
  public CommitWrittenOffsets commitWritten(List<PCollection<?>> written, Duration allowedLateness) {
    List<String> topics = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      topics.add(ArchiveLayout.topic(topicPrefix, kind));
    }
    Map<String, Long> starts = new HashMap<>();
    Map<String, Long> committed = new HashMap<>();
    for (KafkaOffsets.PartitionOffsets p : KafkaOffsets.offsets(clientConfig, topics, start, Optional.of(groupId))) {
      String key = CommitWrittenOffsets.key(p.topic(), p.partition());
      starts.put(key, Math.min(Math.max(p.start(), p.earliest()), p.end()));
      p.committed().ifPresent(offset -> committed.put(key, offset));
    }
    return new CommitWrittenOffsets(written, allowedLateness, clientConfig, groupId, starts, committed);
  }

  /** Every partition of the three topics ({@code <topic>+<partition>+}) with its earliest offset in the log. */
  public Map<String, Long> earliestOffsets() {
    Map<String, Long> earliest = new java.util.TreeMap<>();
    for (KafkaOffsets.PartitionOffsets p : KafkaOffsets.offsets(clientConfig, topics(), StartPosition.earliest(), Optional.of(groupId))) {
      earliest.put(CommitWrittenOffsets.key(p.topic(), p.partition()), p.earliest());
    }
    return earliest;
  }

  /**
   * Every partition of the three topics ({@code <topic>+<partition>+}) with its end offset now: where
   * fresh streaming Iceberg tables start with {@code --startFrom=latest}.
   */
  public Map<String, Long> endOffsets() {
    Map<String, Long> end = new java.util.TreeMap<>();
    for (KafkaOffsets.PartitionOffsets p : KafkaOffsets.offsets(clientConfig, topics(), StartPosition.earliest(), Optional.of(groupId))) {
      end.put(CommitWrittenOffsets.key(p.topic(), p.partition()), p.end());
    }
    return end;
  }

  /**
   * Sets the group's offsets to {@code positions} (by {@code <topic>+<partition>+}) before the job
   * starts: the read starts there (the streaming Iceberg tables' resume, docs/iceberg.md#restarts).
   * {@code startsAt} says where that is, for {@link #describe()}: the tables' positions, or where
   * fresh tables start.
   */
  public void startGroupAt(Map<String, Long> positions, String startsAt) {
    Map<org.apache.kafka.common.TopicPartition, Long> next = new HashMap<>();
    positions.forEach(
        (key, offset) -> {
          String trimmed = key.substring(0, key.length() - 1);
          int plus = trimmed.lastIndexOf('+');
          next.put(
              new org.apache.kafka.common.TopicPartition(trimmed.substring(0, plus), Integer.parseInt(trimmed.substring(plus + 1))),
              offset);
        });
    KafkaOffsets.commit(clientConfig, groupId, next);
    this.startsAt = startsAt;
  }

  /**
   * The earliest Kafka timestamp among the records at {@code positions} (by {@code
   * <topic>+<partition>+}): the first record each partition's read will take; empty when no
   * partition has a record there yet (a replay into one global window names its day by it,
   * docs/iceberg.md#one-global-window).
   */
  public java.util.OptionalLong firstTimestampAt(Map<String, Long> positions) {
    Map<String, Object> config = KafkaOffsets.consumerConfig(clientConfig, Optional.empty());
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    long earliest = Long.MAX_VALUE;
    try (org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer =
        KafkaSecrets.consumerFactory(config).apply(KafkaSecrets.withoutSecrets(config))) {
      for (Map.Entry<String, Long> position : positions.entrySet()) {
        String trimmed = position.getKey().substring(0, position.getKey().length() - 1);
        int plus = trimmed.lastIndexOf('+');
        org.apache.kafka.common.TopicPartition tp =
            new org.apache.kafka.common.TopicPartition(trimmed.substring(0, plus), Integer.parseInt(trimmed.substring(plus + 1)));
        long end = consumer.endOffsets(List.of(tp), java.time.Duration.ofSeconds(30)).getOrDefault(tp, 0L);
        if (position.getValue() >= end) {
          continue;
        }
        consumer.assign(List.of(tp));
        consumer.seek(tp, position.getValue());
        // The record is there (below the end offset): poll until it comes.
        for (int attempt = 0; attempt < 30; attempt++) {
          List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records =
              consumer.poll(java.time.Duration.ofSeconds(1)).records(tp);
          if (!records.isEmpty()) {
            earliest = Math.min(earliest, records.get(0).timestamp());
            break;
          }
        }
      }
    }
    return earliest == Long.MAX_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(earliest);
  }

  /** The streaming Iceberg tables' commit step for this source's partitions. */
  public io.pinpipe.pipelines.iceberg.CommitStreamTables commitTables(
      io.pinpipe.pipelines.iceberg.StreamTables tables, Map<String, Long> earliest, long commitSeconds) {
    return new io.pinpipe.pipelines.iceberg.CommitStreamTables(tables, earliest, clientConfig, groupId, commitSeconds);
  }

  private List<String> topics() {
    List<String> topics = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      topics.add(ArchiveLayout.topic(topicPrefix, kind));
    }
    return topics;
  }

  /**
   * Each topic packed as read ({@link ReadKafkaPacks}), bounded ({@code --maxRecordsPerStream},
   * {@code --maxReadSeconds}) or live: no record is an element of its own.
   */
  @Override
  public Optional<PTransform<PBegin, PCollection<KV<Integer, RecordPack>>>> readPacked(
      RecordKind kind, PackLimits limits, int maxRecordBytes) {
    return Optional.of(
        new ReadKafkaPacks(
            kafkaRead(ArchiveLayout.topic(topicPrefix, kind)).withKeyDeserializerAndCoder(ByteArrayDeserializer.class, ByteArrayCoder.of())
                .withValueDeserializerAndCoder(ByteArrayDeserializer.class, ByteArrayCoder.of()),
            maxRecords,
            maxReadTime,
            kind,
            limits,
            maxRecordBytes));
  }

  /** KafkaIO's read of one topic from the start position, without bounds. */
  private KafkaIO.Read<byte[], byte[]> kafkaRead(String topic) {
    Map<String, Object> consumer = KafkaOffsets.consumerConfig(clientConfig, Optional.of(groupId));
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaIO.Read<byte[], byte[]> read =
        KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(KafkaOffsets.servers(clientConfig))
            .withTopic(topic)
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            // KafkaIO.Read shows its consumer config as display data: secrets go in the factory.
            .withConsumerConfigUpdates(KafkaSecrets.withoutSecrets(consumer))
            .withConsumerFactoryFn(KafkaSecrets.consumerFactory(consumer))
            .withTimestampPolicyFactory(TimestampPolicyFactory.withCreateTime(MAX_OUT_OF_ORDER));
    switch (start.kind()) {
      case EARLIEST:
        return read.withStartReadTime(new Instant(0));
      case TIMESTAMP:
        return read.withStartReadTime(new Instant(start.time().get().toEpochMilli()));
      default:
        return read;
    }
  }

  @Override
  public String describe() {
    return "kafka://" + KafkaOffsets.servers(clientConfig) + "/" + topicPrefix + ".{pin,geo,user} from "
        + (startsAt == null ? start : startsAt);
  }
}
