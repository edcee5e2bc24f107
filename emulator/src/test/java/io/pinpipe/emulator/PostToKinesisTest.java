package io.pinpipe.emulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.Post;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.emulator.generate.RecordKind;
import io.pinpipe.emulator.post.Clock;
import io.pinpipe.emulator.post.KinesisSink;
import io.pinpipe.emulator.services.KinesisLocal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code post} into a real local Kinesis endpoint (npm kinesis-local, started here) and into a
 * local HTTP server standing in for the original's API gateway, whose requests are checked byte
 * for byte. The endpoint needs Node: without it the Kinesis tests are skipped, except under
 * {@code CI=true}, where they must run.
 */
public class PostToKinesisTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static KinesisLocal kinesis;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeClass
  public static void startEndpoint() throws Exception {
    if (!"true".equals(System.getenv("CI")) && !KinesisLocal.available()) {
      return; // the Kinesis tests skip themselves; the gateway test needs no endpoint
    }
    // The SDK's default chain must find something to sign with; the local endpoint accepts any.
    System.setProperty("aws.accessKeyId", "local");
    System.setProperty("aws.secretAccessKey", "local");
    kinesis = KinesisLocal.onFreePorts(TMP.newFolder("kinesis").toPath()).start(Duration.ofSeconds(60));
  }

  @AfterClass
  public static void stopEndpoint() {
    if (kinesis != null) {
      kinesis.close();
    }
  }

  private static void assumeEndpoint() {
    Assume.assumeTrue(
        "skipped: Node.js or the kinesis-local package is missing (npm ci --prefix local-services/kinesis)",
        kinesis != null);
  }

  private int post(String... args) {
    out.reset();
    err.reset();
    List<String> all = new ArrayList<>(List.of(args));
    all.add(0, "post");
    return EmulatorMain.run(
        all.toArray(new String[0]),
        Map.of("post", new PostCommand(Clock.SYSTEM, Map.of(), false)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static List<Post> generated(long seed, int count) {
    PostGenerator generator = new PostGenerator(seed, GeneratorSettings.defaults());
    List<Post> posts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      posts.add(generator.next());
    }
    return posts;
  }

  @Test
  public void testKinesisSinkPutsEachRecordOnItsStreamKeyedByRowNumber() throws Exception {
    assumeEndpoint();
    List<String> streams = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      streams.add(KinesisSink.streamName("kt", kind));
    }
    kinesis.createStreams(streams, 2);
    int status =
        post("--sink", "kinesis", "--kinesisEndpoint", kinesis.endpoint().toString(), "--kinesisRegion",
            kinesis.region(), "--topicPrefix", "kt", "--count", "700", "--seed", "4");
    assertEquals(err(), 0, status);
    assertTrue(err(), err().contains("2,100 records acknowledged, 0 failed"));

    List<Post> expected = generated(4, 700);
    try (KinesisClient client = kinesis.client()) {
      for (RecordKind kind : RecordKind.values()) {
        List<String> wanted = new ArrayList<>();
        for (Post p : expected) {
          wanted.add(p.index() + " " + p.json(kind));
        }
        List<String> got = readAll(client, KinesisSink.streamName("kt", kind));
        wanted.sort(null);
        got.sort(null);
        assertEquals(kind.topicSuffix(), wanted, got);
      }
    }
  }

  @Test
  public void testMissingStreamIsOneErrorLine() {
    assumeEndpoint();
    int status =
        post("--sink", "kinesis", "--kinesisEndpoint", kinesis.endpoint().toString(), "--topicPrefix", "absent",
            "--count", "3");
    assertEquals(1, status);
    assertTrue(err(), err().startsWith("error: cannot use Kinesis stream streaming-absent-pin at " + kinesis.endpoint()));
    assertEquals(err(), 1, err().strip().split("\n").length);
  }

  /** Every record of every shard, as "partitionKey data". */
  private static List<String> readAll(KinesisClient client, String stream) {
    List<String> records = new ArrayList<>();
    for (Shard shard : client.listShards(b -> b.streamName(stream)).shards()) {
      String iterator =
          client.getShardIterator(
                  b -> b.streamName(stream).shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator();
      while (iterator != null) {
        String it = iterator;
        GetRecordsResponse page = client.getRecords(b -> b.shardIterator(it).limit(10_000));
        for (Record r : page.records()) {
          records.add(r.partitionKey() + " " + r.data().asUtf8String());
        }
        if (page.records().isEmpty() || page.millisBehindLatest() == 0) {
          break;
        }
        iterator = page.nextShardIterator();
      }
    }
    return records;
  }

  @Test
  public void testGatewaySinkSendsTheOriginalsPutRequestPerRecord() throws Exception {
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
          boolean reject = exchange.getRequestURI().getPath().contains("-user/");
          byte[] answer = (reject ? "{\"message\":\"Internal server error\"}" : "{\"SequenceNumber\":\"1\"}")
              .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(reject ? 500 : 200, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/prod/";
      int status = post("--sink", "kinesis-gateway", "--gatewayUrl", url, "--count", "3", "--seed", "8", "--topicPrefix", "gw");
      List<Post> expected = generated(8, 3);
      List<String> wanted = new ArrayList<>();
      for (Post p : expected) {
        for (RecordKind kind : RecordKind.values()) {
          String stream = "streaming-gw-" + kind.topicSuffix();
          wanted.add("PUT /prod/streams/" + stream + "/record application/json {\"StreamName\": \"" + stream
              + "\", \"Data\": " + p.json(kind) + ", \"PartitionKey\": \"" + p.index() + "\"}");
        }
      }
      assertEquals(wanted, requests);
      // One request written out by hand, so the envelope itself is pinned down.
      String geo = expected.get(0).json(RecordKind.GEO);
      assertTrue(geo.startsWith("{\"ind\": "));
      assertEquals(
          "PUT /prod/streams/streaming-gw-geo/record application/json {\"StreamName\": \"streaming-gw-geo\", \"Data\": "
              + geo + ", \"PartitionKey\": \"" + expected.get(0).index() + "\"}",
          requests.get(1));
      // The user records were refused: counted as failed, the run fails.
      assertEquals(1, status);
      assertTrue(err(), err().contains("6 records acknowledged, 3 failed"));
      assertTrue(err(), err().contains("HTTP 500 from " + url.replaceAll("/$", "") + "/streams/streaming-gw-user/record"));
    } finally {
      server.stop(0);
    }
  }
}
