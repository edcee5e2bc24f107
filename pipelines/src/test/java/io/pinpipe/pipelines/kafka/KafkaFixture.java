package io.pinpipe.pipelines.kafka;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.pipelines.LoopbackOnly;
import io.pinpipe.services.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.rules.ExternalResource;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * A real Kafka broker JVM for a test class (started before, always stopped after), plus helpers
 * to create topics and produce records while remembering each record's partition and offset.
 *
 * <p>While it runs it also watches the listening sockets of the test JVM and of every process the
 * tests start (the broker, other services, the jobs' local Spark and Flink clusters), and fails
 * the class at the end if any listened on an address other than loopback ({@link LoopbackOnly}).
 */
public final class KafkaFixture extends ExternalResource {
  private final LoopbackOnly loopbackOnly = new LoopbackOnly();
  private Path dataDir;
  private KafkaBroker broker;

  @Override
  public Statement apply(Statement base, Description description) {
    // The watch spans the broker's whole life: started first, checked after it stops.
    return loopbackOnly.apply(super.apply(base, description), description);
  }

  /** One record as the broker stored it. */
  public record Sent(String topic, int partition, long offset, byte[] value) {
    public String coordinates() {
      return topic + "+" + partition + "+" + offset;
    }

    public String text() {
      return new String(value, StandardCharsets.UTF_8);
    }
  }

  @Override
  protected void before() throws Throwable {
    dataDir = Files.createTempDirectory("kafka-fixture");
    broker = KafkaBroker.onFreePorts(dataDir).start(Duration.ofSeconds(90));
  }

  @Override
  protected void after() {
    broker.close();
    try {
      deleteRecursively(dataDir);
    } catch (IOException e) {
      // A leftover temp directory is not worth failing the tests for.
    }
  }

  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  public void stop() throws InterruptedException {
    broker.stop();
  }

  public void restart() throws IOException, InterruptedException {
    broker.start(Duration.ofSeconds(90));
  }

  /** Creates {@code <prefix>.pin|geo|user} with {@code partitions} partitions each. */
  public void createTopics(String prefix, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (RecordKind kind : RecordKind.values()) {
        topics.add(new NewTopic(prefix + "." + kind.id(), partitions, (short) 1));
      }
      admin.createTopics(topics).all().get();
      // Created is not yet served: wait until the broker names a leader for every partition, so a
      // producer that sends at once does not start on metadata without the topic (a send right
      // after creation once hung until its 120 s delivery timeout).
      List<String> names = new ArrayList<>();
      topics.forEach(t -> names.add(t.name()));
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (!allLed(admin, names, partitions)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no leader for every partition of " + names + " within 60 s");
        }
        Thread.sleep(100);
      }
    }
  }

  private static boolean allLed(Admin admin, List<String> names, int partitions) throws Exception {
    try {
      for (org.apache.kafka.clients.admin.TopicDescription d : admin.describeTopics(names).allTopicNames().get().values()) {
        if (d.partitions().size() != partitions) {
          return false;
        }
        for (org.apache.kafka.common.TopicPartitionInfo p : d.partitions()) {
          if (p.leader() == null || p.leader().isEmpty()) {
            return false;
          }
        }
      }
      return true;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }

  /** Sends each post's pin, geo and user record as the emulator does (key = row number). */
  public List<Sent> send(String prefix, List<GeneratedPost> posts) throws Exception {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (GeneratedPost post : posts) {
      for (RecordKind kind : RecordKind.values()) {
        records.add(record(prefix, kind, post));
      }
    }
    return send(records);
  }

  /** A post's record of one kind, to {@code <prefix>.<kind>}, as the emulator sends it (key = row number). */
  public static ProducerRecord<byte[], byte[]> record(String prefix, RecordKind kind, GeneratedPost post) {
    return new ProducerRecord<>(
        prefix + "." + kind.id(),
        Long.toString(post.index()).getBytes(StandardCharsets.UTF_8),
        post.json(kind).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A producer of this broker for tests that post while a job runs: idempotent, each record
   * acknowledged by the broker and sent at once (no linger). The caller closes it.
   */
  public KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public List<Sent> send(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 << 20);
    List<Future<RecordMetadata>> futures = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      // Each topic's metadata before the first batch (blocks until the broker serves it).
      records.stream().map(ProducerRecord::topic).distinct().forEach(producer::partitionsFor);
      for (ProducerRecord<byte[], byte[]> r : records) {
        futures.add(producer.send(r));
      }
      producer.flush();
    }
    List<Sent> sent = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      RecordMetadata m;
      try {
        m = futures.get(i).get();
      } catch (java.util.concurrent.ExecutionException e) {
        // A send that never completed (seen rarely, after a topic was created and led): what the
        // broker said meanwhile is the only clue, and its folder is deleted with the fixture.
        throw new IllegalStateException(
            "sending to " + records.get(i).topic() + " failed; the broker's log ends with:\n" + brokerLogTail(60), e);
      }
      sent.add(new Sent(m.topic(), m.partition(), m.offset(), records.get(i).value()));
    }
    return sent;
  }

  private String brokerLogTail(int lines) {
    try {
      List<String> all = Files.readAllLines(broker.logFile());
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
