package io.pinpipe.pipelines.io.kafka;

import io.pinpipe.contract.KafkaClientConfig;
import io.pinpipe.pipelines.EndpointError;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.options.KafkaOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The driver-side half of a bounded Kafka read: what the broker says of each partition ({@link
 * #offsets}), which offsets a run reads ({@link #plan}) and, for the archive job, committing the
 * group's offsets after a run ({@link #commit}).
 * Fixing the end offsets before the pipeline starts is what makes a run bounded and repeatable:
 * re-running from the same committed offsets reads the same records again.
 */
public final class KafkaOffsets {
  /** How long a metadata or offset request may take before the run gives up with one line. */
  static final Duration API_TIMEOUT = Duration.ofSeconds(15);

  private KafkaOffsets() {}

  /** Bootstrap servers plus the client properties of the file or environment (TLS, SASL). */
  public static Map<String, Object> clientConfig(KafkaOptions options) {
    if (options.getBootstrapServers() == null || options.getBootstrapServers().isBlank()) {
      throw new UserError("--bootstrapServers is required to read Kafka");
    }
    Map<String, Object> config;
    try {
      config =
          new HashMap<>(
              KafkaClientConfig.load(
                  Optional.ofNullable(options.getClientConfig()).map(java.nio.file.Path::of),
                  System.getenv()));
    } catch (IOException e) {
      throw new UserError("cannot read the Kafka client properties: " + e.getMessage());
    }
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.getBootstrapServers());
    return config;
  }

  /**
   * One range per partition of each topic, from {@code start} to the end offsets as they are now.
   * With {@link StartPosition.Kind#COMMITTED}, a partition the group never committed starts at
   * its earliest offset.
   */
  public static List<PartitionRange> plan(
      Map<String, Object> clientConfig,
      List<String> topics,
      StartPosition start,
      Optional<String> groupId) {
    List<PartitionRange> ranges = new ArrayList<>();
    for (PartitionOffsets p : offsets(clientConfig, topics, start, groupId)) {
      long from = Math.max(p.start(), p.earliest());
      ranges.add(new PartitionRange(p.topic(), p.partition(), Math.min(from, p.end()), p.end()));
    }
    return ranges;
  }

  /**
   * What the broker says of one partition now: its earliest offset still in the log, its end
   * offset, the group's committed offset if any, and where {@code start} would begin (not raised
   * to the earliest offset: a committed offset below it means records were removed unread).
   */
  public record PartitionOffsets(
      String topic, int partition, long earliest, long end, Optional<Long> committed, long start) {
    public TopicPartition topicPartition() {
      return new TopicPartition(topic, partition);
    }
  }

  /** {@link PartitionOffsets} of every partition of {@code topics}, in topic then partition order. */
  public static List<PartitionOffsets> offsets(
      Map<String, Object> clientConfig,
      List<String> topics,
      StartPosition start,
      Optional<String> groupId) {
    requireReachable(clientConfig);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(clientConfig, groupId)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, API_TIMEOUT);
        if (infos == null || infos.isEmpty()) {
          throw new UserError(
              "topic " + topic + " does not exist at " + servers(clientConfig)
                  + " (check --topicPrefix)");
        }
        infos.stream()
            .map(p -> new TopicPartition(p.topic(), p.partition()))
            .sorted(Comparator.comparingInt(TopicPartition::partition))
            .forEach(partitions::add);
      }
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, API_TIMEOUT);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, API_TIMEOUT);
      Map<TopicPartition, OffsetAndMetadata> committed =
          groupId.isPresent() ? consumer.committed(Set.copyOf(partitions), API_TIMEOUT) : Map.of();
      Map<TopicPartition, Long> first = firstOffsets(consumer, partitions, start, begin, end, committed);
      List<PartitionOffsets> offsets = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        OffsetAndMetadata c = committed.get(tp);
        offsets.add(
            new PartitionOffsets(
                tp.topic(), tp.partition(), begin.get(tp), end.get(tp),
                c == null ? Optional.empty() : Optional.of(c.offset()), first.get(tp)));
      }
      return offsets;
    } catch (TimeoutException e) {
      throw unreachable(clientConfig, e);
    } catch (KafkaException e) {
      // Refused by the brokers (authentication, authorization): the endpoint's answer, status 1.
      throw new EndpointError("Kafka at " + servers(clientConfig) + ": " + e.getMessage());
    }
  }

  private static Map<TopicPartition, Long> firstOffsets(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> partitions,
      StartPosition start,
      Map<TopicPartition, Long> begin,
      Map<TopicPartition, Long> end,
      Map<TopicPartition, OffsetAndMetadata> committed) {
    Map<TopicPartition, Long> first = new HashMap<>(begin);
    switch (start.kind()) {
      case EARLIEST:
        break;
      case COMMITTED:
        committed.forEach(
            (tp, offset) -> {
              if (offset != null) {
                first.put(tp, offset.offset());
              }
            });
        break;
      case TIMESTAMP:
        long millis = start.time().get().toEpochMilli();
        Map<TopicPartition, OffsetAndTimestamp> found =
            consumer.offsetsForTimes(
                partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> millis)), API_TIMEOUT);
        // No record at or after the time: nothing of that partition is read.
        partitions.forEach(tp -> first.put(tp, found.get(tp) == null ? end.get(tp) : found.get(tp).offset()));
        break;
      default:
        throw new IllegalStateException(start.toString());
    }
    return first;
  }

  /**
   * Fails fast, with one line (exit status 1), when no bootstrap server accepts a TCP connection: the Kafka
   * client would otherwise retry quietly until its API timeout.
   */
  public static void requireReachable(Map<String, Object> clientConfig) {
    List<String> problems = new ArrayList<>();
    for (String server : servers(clientConfig).split(",")) {
      String hostPort = server.trim().replaceFirst("^[A-Za-z_]+://", "");
      int colon = hostPort.lastIndexOf(':');
      if (colon < 0) {
        throw new UserError("bootstrap server '" + server.trim() + "' must be host:port");
      }
      try (java.net.Socket socket = new java.net.Socket()) {
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        socket.connect(new java.net.InetSocketAddress(hostPort.substring(0, colon), port), 3_000);
        return;
      } catch (NumberFormatException e) {
        throw new UserError("bootstrap server '" + server.trim() + "' has no valid port");
      } catch (IOException e) {
        problems.add(hostPort + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
      }
    }
    throw new EndpointError("cannot connect to Kafka: " + String.join(", ", problems));
  }

  /** Commits {@code next} offsets for the group. */
  public static void commit(
      Map<String, Object> clientConfig, String groupId, Map<TopicPartition, Long> next) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new TreeMap<>(
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
    next.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(clientConfig, Optional.of(groupId))) {
      consumer.commitSync(offsets, API_TIMEOUT);
    } catch (TimeoutException e) {
      throw unreachable(clientConfig, e);
    }
  }

  /** The consumer settings every read uses: no auto-commit, no topic auto-creation. */
  public static Map<String, Object> consumerConfig(
      Map<String, Object> clientConfig, Optional<String> groupId) {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) API_TIMEOUT.toMillis());
    groupId.ifPresent(g -> config.put(ConsumerConfig.GROUP_ID_CONFIG, g));
    return config;
  }

  private static KafkaConsumer<byte[], byte[]> consumer(
      Map<String, Object> clientConfig, Optional<String> groupId) {
    try {
      return new KafkaConsumer<>(
          consumerConfig(clientConfig, groupId), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (KafkaException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new UserError("cannot connect to Kafka at " + servers(clientConfig) + ": " + cause.getMessage());
    }
  }

  private static EndpointError unreachable(Map<String, Object> clientConfig, TimeoutException e) {
    return new EndpointError(
        "cannot reach Kafka at " + servers(clientConfig) + " within " + API_TIMEOUT.toSeconds()
            + " s (" + e.getMessage() + ")");
  }

  static String servers(Map<String, Object> clientConfig) {
    return String.valueOf(clientConfig.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
  }
}
