package io.pinpipe.emulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.services.KafkaBroker;
import io.pinpipe.services.LocalProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code post} into a real Kafka broker, a local HTTP endpoint and files; and its errors. */
public class PostCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static Path brokerDir;
  private static KafkaBroker broker;

  @BeforeClass
  public static void startBroker() throws Exception {
    brokerDir = Files.createTempDirectory("post-test-kafka");
    broker = KafkaBroker.onFreePorts(brokerDir).start(Duration.ofSeconds(90));
  }

  @AfterClass
  public static void stopBroker() {
    broker.close();
  }

  private final EmulatorRun run = new EmulatorRun();

  private int post(String... args) {
    return run.post(args);
  }

  private String err() {
    return run.err();
  }

  private static List<GeneratedPost> generated(long seed, int count) {
    return EmulatorRun.generated(seed, count);
  }

  @Test
  public void kafkaSinkSendsEachRecordKeyedByRowNumberToItsKindsTopic() throws Exception {
    int status = post("--bootstrapServers", broker.bootstrapServers(), "--topicPrefix", "ks", "--count", "40", "--seed", "5");
    assertEquals(err(), 0, status);
    assertTrue(err(), err().contains("post: sent 40 events (120 records) from the generator"));
    assertTrue(err(), err().contains("120 records acknowledged, 0 failed"));

    List<GeneratedPost> expected = generated(5, 40);
    for (RecordKind kind : RecordKind.values()) {
      List<ConsumerRecord<byte[], byte[]>> records = readAll("ks." + kind.id(), 40);
      assertEquals(40, records.size());
      for (int i = 0; i < 40; i++) {
        assertEquals(Long.toString(expected.get(i).index()), new String(records.get(i).key(), StandardCharsets.UTF_8));
        assertEquals(expected.get(i).json(kind), new String(records.get(i).value(), StandardCharsets.UTF_8));
      }
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  @Test
  public void restProxySinkPostsTheV2EnvelopeOneRecordPerRequest() throws Exception {
    List<String> requests = new ArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          synchronized (requests) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
          }
          boolean reject = exchange.getRequestURI().getPath().endsWith(".user") && requests.size() > 3;
          byte[] answer = (reject ? "{\"error_code\":50301,\"message\":\"unavailable\"}" : "{\"offsets\":[]}").getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(reject ? 503 : 200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/gateway/";
      int status = post("--sink", "rest-proxy", "--restProxyUrl", url, "--count", "2", "--seed", "8", "--topicPrefix", "rp");
      List<GeneratedPost> expected = generated(8, 2);
      List<String> wanted = new ArrayList<>();
      for (GeneratedPost p : expected) {
        for (RecordKind kind : RecordKind.values()) {
          wanted.add("POST /gateway/topics/rp." + kind.id() + " application/vnd.kafka.json.v2+json "
              + "{\"records\":[{\"value\":" + p.json(kind) + "}]}");
        }
      }
      assertEquals(wanted, requests);
      // The second event's user record was refused: counted, reported, exit status 1.
      assertEquals(err(), 1, status);
      assertTrue(err(), err().contains("5 records acknowledged, 1 failed"));
      assertTrue(err(), err().contains("error: 1 records failed; the first: HTTP 503 from " + url.replaceAll("/$", "")
          + "/topics/rp.user: {\"error_code\":50301,\"message\":\"unavailable\"}"));
    } finally {
      server.stop(0);
    }
  }

  @Test
  public void filesSinkWritesWhatGenerateWrites() throws Exception {
    Path posted = tmp.newFolder("posted").toPath();
    Path generated = tmp.newFolder("generated").toPath();
    assertEquals(err(), 0, post("--sink", "files", "--output", posted.toString(), "--count", "300", "--seed", "3",
        "--duplicateRate", "0.1", "--partitions", "2"));
    assertEquals(0, EmulatorMain.run(
        new String[] {"generate", "--output", generated.toString(), "--count", "300", "--seed", "3",
            "--duplicateRate", "0.1", "--partitions", "2"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())));
    assertEquals(files(generated), files(posted));
  }

  private static Map<String, String> files(Path root) throws Exception {
    Map<String, String> contents = new java.util.TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        contents.put(root.relativize(f).toString(), Files.readString(f));
      }
    }
    assertEquals(6, contents.size());
    return contents;
  }

  @Test
  public void anUnreachableSinkOrSourceIsOneErrorLineAndStatusOne() throws Exception {
    int closed = LocalProcess.freePort();
    assertEquals(1, post("--bootstrapServers", "127.0.0.1:" + closed, "--count", "1"));
    assertEquals("error: cannot reach Kafka at 127.0.0.1:" + closed + " within 10 s\n", err());

    assertEquals(1, post("--sink", "rest-proxy", "--restProxyUrl", "http://127.0.0.1:" + closed, "--count", "1"));
    assertEquals(
        "error: cannot connect to the REST proxy at http://127.0.0.1:" + closed + ": Connection refused\n", err());

    assertEquals(1, post("--source", "jdbc", "--jdbcUrl", "jdbc:mariadb://127.0.0.1:" + closed + "/test",
        "--count", "1", "--sink", "files", "--output", tmp.getRoot().toString()));
    assertTrue(err(), err().startsWith("error: cannot connect to the database at jdbc:mariadb://127.0.0.1:" + closed + "/test: "));
    assertEquals(err(), 1, err().split("\n").length);
  }

  @Test
  public void missingOrBadOptionsAreOneLineUsageErrorsWithStatusTwo() {
    assertEquals(2, post("--sink", "files", "--output", tmp.getRoot().toString()));
    assertEquals("error: the generator needs --count or --duration (or both)\n", err());
    assertEquals(2, post("--sink", "pubsub", "--count", "1"));
    assertEquals(
        "error: --sink must be kafka, rest-proxy, kinesis, kinesis-gateway or files, got 'pubsub'\n", err());
    assertEquals(2, post("--sink", "kinesis-gateway", "--count", "1"));
    assertEquals("error: --gatewayUrl is required\n", err());
    assertEquals(2, post("--count", "1", "--duration", "soon"));
    assertEquals("error: --duration must look like 500ms, 30s, 5m or 2h, got 'soon'\n", err());
    assertEquals(2, post("--sink", "rest-proxy", "--count", "1"));
    assertEquals("error: --restProxyUrl is required\n", err());
  }
}
