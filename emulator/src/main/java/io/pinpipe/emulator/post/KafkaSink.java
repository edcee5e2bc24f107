package io.pinpipe.emulator.post;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.emulator.generate.GeneratedPost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The native Kafka producer (docs/design.md#data-contract): topic {@code <prefix>.<kind>}, key = the row number
 * as decimal text, value = the JSON object's UTF-8 bytes, record timestamp = send time. Durable
 * and ordered per partition: acks=all with idempotence, so a retry never writes a record twice.
 */
public final class KafkaSink implements PostSink {
  /** Batching settings, shared with the throughput benchmark so both measure the same producer. */
  public static final int LINGER_MS = 5;
  public static final int BATCH_SIZE = 65_536;
  static final int REACH_TIMEOUT_SECONDS = 10;

  private final KafkaProducer<byte[], byte[]> producer;
  private final String bootstrapServers;
  private final String topicPrefix;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();

  private KafkaSink(KafkaProducer<byte[], byte[]> producer, String bootstrapServers, String topicPrefix) {
    this.producer = producer;
    this.bootstrapServers = bootstrapServers;
    this.topicPrefix = topicPrefix;
  }

  /** The producer's settings: ours, then the user's client properties (TLS, SASL) on top. */
  public static Map<String, Object> producerConfig(String bootstrapServers, Map<String, Object> clientConfig) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE);
    config.putAll(clientConfig);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /** Checks the cluster answers (one clear error if not), then opens the producer. */
  public static KafkaSink open(String bootstrapServers, Map<String, Object> clientConfig, String topicPrefix)
      throws IOException {
    Map<String, Object> config = producerConfig(bootstrapServers, clientConfig);
    Map<String, Object> adminConfig = new HashMap<>(clientConfig);
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    Admin admin = null;
    try {
      admin = Admin.create(adminConfig);
      admin.describeCluster().nodes().get(REACH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IOException(
          "cannot reach Kafka at " + bootstrapServers + " within " + REACH_TIMEOUT_SECONDS + " s");
    } catch (KafkaException e) {
      throw new IOException("cannot connect to Kafka at " + bootstrapServers + ": " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to Kafka");
    } finally {
      if (admin != null) {
        // Without a bound, closing waits for the failed request's own (long) timeout.
        admin.close(java.time.Duration.ofSeconds(1));
      }
    }
    return new KafkaSink(
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
        bootstrapServers,
        topicPrefix);
  }

  @Override
  public void send(GeneratedPost post) {
    byte[] key = Long.toString(post.index()).getBytes(StandardCharsets.UTF_8);
    for (RecordKind kind : RecordKind.values()) {
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(ArchiveLayout.topic(topicPrefix, kind), key, post.json(kind).getBytes(StandardCharsets.UTF_8));
      sent.incrementAndGet();
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              acknowledged.incrementAndGet();
            } else {
              failed.incrementAndGet();
              firstFailure.compareAndSet(null, error.getClass().getSimpleName() + ": " + error.getMessage());
            }
          });
    }
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public long recordsSent() {
    return sent.get();
  }

  @Override
  public long recordsAcknowledged() {
    return acknowledged.get();
  }

  @Override
  public long recordsFailed() {
    return failed.get();
  }

  @Override
  public String firstFailure() {
    return firstFailure.get();
  }

  @Override
  public String describe() {
    return "Kafka at " + bootstrapServers + " (" + topicPrefix + ".pin, .geo, .user)";
  }

  @Override
  public void close() {
    producer.close();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
