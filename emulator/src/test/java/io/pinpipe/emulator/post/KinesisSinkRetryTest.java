package io.pinpipe.emulator.post;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.services.KinesisTestSupport;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * What the kinesis sink does with entries a PutRecords call rejects (FailedRecordCount > 0, an
 * ErrorCode per entry): resend only those, {@link KinesisSink#ATTEMPTS} times in all, then count
 * them failed with the first rejection's message. kinesis-mock never rejects an entry, so a local
 * HTTP server answers here in the Kinesis JSON protocol (the SDK speaks JSON instead of CBOR
 * while {@code aws.cborEnabled=false}): it rejects every entry keyed {@value #REJECTED_KEY} as
 * throttled and accepts the others.
 */
public class KinesisSinkRetryTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REJECTED_KEY = "12";

  private HttpServer server;
  /** Per PutRecords call: "stream: key=data, key=data". */
  private final List<String> calls = new ArrayList<>();

  @Before
  public void startFakeKinesis() throws Exception {
    KinesisTestSupport.useDummyKeysForTheLocalEndpoint();
    System.setProperty("aws.cborEnabled", "false");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
          JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
          String answer;
          if (target.endsWith(".DescribeStreamSummary")) {
            answer = "{\"StreamDescriptionSummary\":{\"StreamName\":\"" + request.get("StreamName").asText()
                + "\",\"StreamStatus\":\"ACTIVE\",\"OpenShardCount\":1}}";
          } else {
            String stream = request.get("StreamName").asText();
            List<String> entries = new ArrayList<>();
            List<String> results = new ArrayList<>();
            int failed = 0;
            for (JsonNode r : request.get("Records")) {
              String key = r.get("PartitionKey").asText();
              entries.add(key + "=" + new String(Base64.getDecoder().decode(r.get("Data").asText()), StandardCharsets.UTF_8));
              if (key.equals(REJECTED_KEY)) {
                failed++;
                results.add("{\"ErrorCode\":\"ProvisionedThroughputExceededException\",\"ErrorMessage\":\"Rate"
                    + " exceeded for shard shardId-000000000000 in stream " + stream + "\"}");
              } else {
                results.add("{\"SequenceNumber\":\"1\",\"ShardId\":\"shardId-000000000000\"}");
              }
            }
            synchronized (calls) {
              calls.add(stream + ": " + String.join(", ", entries));
            }
            answer = "{\"FailedRecordCount\":" + failed + ",\"Records\":[" + String.join(",", results) + "]}";
          }
          byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @After
  public void stopFakeKinesis() {
    System.clearProperty("aws.cborEnabled");
    server.stop(0);
  }

  @Test
  public void rejectedEntriesAreResentThenCountedFailedWithTheFirstRejection() throws Exception {
    String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    KinesisSink sink = KinesisSink.open(Optional.of(endpoint), Optional.of("us-east-1"), "rt");
    sink.send(new GeneratedPost(11, "{\"index\": 11}", "{\"ind\": 11}", "{\"ind\": 11, \"age\": 20}"));
    sink.send(new GeneratedPost(12, "{\"index\": 12}", "{\"ind\": 12}", "{\"ind\": 12, \"age\": 21}"));
    assertEquals("nothing is sent before a batch is full or flushed", List.of(), calls);
    sink.close();

    assertEquals(
        List.of(
            "streaming-rt-pin: 11={\"index\": 11}, 12={\"index\": 12}",
            "streaming-rt-pin: 12={\"index\": 12}",
            "streaming-rt-pin: 12={\"index\": 12}",
            "streaming-rt-pin: 12={\"index\": 12}",
            "streaming-rt-geo: 11={\"ind\": 11}, 12={\"ind\": 12}",
            "streaming-rt-geo: 12={\"ind\": 12}",
            "streaming-rt-geo: 12={\"ind\": 12}",
            "streaming-rt-geo: 12={\"ind\": 12}",
            "streaming-rt-user: 11={\"ind\": 11, \"age\": 20}, 12={\"ind\": 12, \"age\": 21}",
            "streaming-rt-user: 12={\"ind\": 12, \"age\": 21}",
            "streaming-rt-user: 12={\"ind\": 12, \"age\": 21}",
            "streaming-rt-user: 12={\"ind\": 12, \"age\": 21}"),
        calls);
    assertEquals(4, KinesisSink.ATTEMPTS);
    assertEquals(6, sink.recordsSent());
    assertEquals(3, sink.recordsAcknowledged());
    assertEquals(3, sink.recordsFailed());
    assertEquals(
        "streaming-rt-pin: ProvisionedThroughputExceededException Rate exceeded for shard shardId-000000000000 in"
            + " stream streaming-rt-pin",
        sink.firstFailure());
  }
}
