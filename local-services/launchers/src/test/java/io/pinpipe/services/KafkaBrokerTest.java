package io.pinpipe.services;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The launcher starts a real broker JVM, which keeps its data across a restart. */
public class KafkaBrokerTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void recordsSurviveARestartOnTheSameDataDirectory() throws Exception {
    try (KafkaBroker broker = KafkaBroker.onFreePorts(temp.getRoot().toPath())) {
      broker.start(Duration.ofSeconds(90));
      assertTrue(KafkaBroker.SERVICE.running(broker.dataDir()).isPresent());
      assertListensOnLoopbackOnly("the Kafka broker", KafkaBroker.SERVICE.running(broker.dataDir()).get(), broker.port());
      produce(broker, "before restart");

      broker.stop();
      assertFalse(LocalProcess.accepting(broker.port()));
      assertFalse(KafkaBroker.SERVICE.running(broker.dataDir()).isPresent());

      broker.start(Duration.ofSeconds(90));
      produce(broker, "after restart");
      assertEquals(List.of("before restart", "after restart"), readAll(broker, 2));
    }
  }

  /**
   * The service process listens on {@code port} (so the check sees it), and neither it nor any
   * other process of this test listens on an address other than loopback.
   */
  static void assertListensOnLoopbackOnly(String service, ProcessHandle process, int port) {
    if (ListeningSockets.supported()) {
      List<ListeningSockets.Listener> own = ListeningSockets.of(List.of(process));
      assertTrue(service + " listens on " + own + ", not on " + port, own.stream().anyMatch(l -> l.port() == port));
    }
    ListeningSockets.assertLoopbackOnly(service + " running");
  }

  private static void produce(KafkaBroker broker, String value) throws Exception {
    Map<String, Object> config = new java.util.HashMap<>(broker.clientConfig());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("t", value.getBytes(StandardCharsets.UTF_8))).get();
    }
  }

  private static List<String> readAll(KafkaBroker broker, int expected) {
    Map<String, Object> config = new java.util.HashMap<>(broker.clientConfig());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition("t", 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(new String(r.value(), StandardCharsets.UTF_8));
        }
      }
    }
    return values;
  }
}
