package io.pinpipe.emulator;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.emulator.post.KinesisGatewaySink;
import io.pinpipe.services.KafkaBroker;
import io.pinpipe.services.LocalProcess;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code post --sink kinesis-gateway} against a local HTTP server standing in for the original's
 * AWS API Gateway: each record is one {@code PUT <gateway>/streams/<stream>/record} whose body is
 * checked byte for byte; refusals and a closed port are counted and reported.
 */
public class KinesisGatewaySinkTest {
  private final EmulatorRun run = new EmulatorRun();

  /** "METHOD path content-type" of each request, and its body bytes, in arrival order. */
  private final List<String> requests = new ArrayList<>();
  private final List<byte[]> bodies = new ArrayList<>();
  private volatile int answerStatus = 200;
  private HttpServer server;
  private String url;

  @Before
  public void startGateway() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          synchronized (requests) {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                + exchange.getRequestHeaders().getFirst("Content-Type"));
            bodies.add(body);
          }
          byte[] answer =
              (answerStatus == 200 ? "{\"SequenceNumber\":\"1\",\"ShardId\":\"shardId-000000000000\"}"
                      : "{\"message\": \"Internal server error\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(answerStatus, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/prod/";
  }

  @After
  public void stopGateway() {
    server.stop(0);
  }

  private int post(String... args) {
    return run.post(args);
  }

  private String err() {
    return run.err();
  }

  @Test
  public void threeEventsAreNinePutsInSendingOrder() {
    assertEquals(err(), 0, post("--sink", "kinesis-gateway", "--gatewayUrl", url, "--count", "3", "--seed", "8",
        "--topicPrefix", "gw"));

    PostGenerator generator = new PostGenerator(8, GeneratorSettings.defaults());
    List<String> wantedRequests = new ArrayList<>();
    List<String> wantedBodies = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GeneratedPost p = generator.next();
      for (RecordKind kind : RecordKind.values()) {
        String stream = "streaming-gw-" + kind.id();
        wantedRequests.add("PUT /prod/streams/" + stream + "/record application/json");
        wantedBodies.add("{\"StreamName\": \"" + stream + "\", \"Data\": " + p.json(kind) + ", \"PartitionKey\": \""
            + p.index() + "\"}");
      }
    }
    assertEquals(wantedRequests, requests);
    assertEquals(9, bodies.size());
    for (int i = 0; i < 9; i++) {
      assertArrayEquals(wantedRequests.get(i), wantedBodies.get(i).getBytes(StandardCharsets.UTF_8), bodies.get(i));
    }
    assertEquals(
        "post: sent 3 events (9 records) from the generator (3 distinct events, 0 resent) to the API gateway at "
            + url.replaceAll("/$", "") + " in ",
        err().substring(0, err().indexOf(" in ") + 4));
  }

  /** The envelope written out by hand: Python's json.dumps separators, Data an object, key a string. */
  @Test
  public void theRequestBodyIsTheOriginalsEnvelope() throws Exception {
    GeneratedPost post =
        new GeneratedPost(
            7528,
            "{\"index\": 7528, \"title\": \"caf\\u00e9\"}",
            "{\"ind\": 7528, \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": -89.9787, \"longitude\": -173.293,"
                + " \"country\": \"Albania\"}",
            "{\"ind\": 7528, \"first_name\": \"Abigail\", \"age\": 20}");
    try (KinesisGatewaySink sink = KinesisGatewaySink.open(url, "pinterest")) {
      sink.send(post);
      assertEquals(3, sink.recordsAcknowledged());
    }
    assertEquals(
        List.of(
            "PUT /prod/streams/streaming-pinterest-pin/record application/json",
            "PUT /prod/streams/streaming-pinterest-geo/record application/json",
            "PUT /prod/streams/streaming-pinterest-user/record application/json"),
        requests);
    assertEquals(
        "{\"StreamName\": \"streaming-pinterest-pin\", \"Data\": {\"index\": 7528, \"title\": \"caf\\u00e9\"},"
            + " \"PartitionKey\": \"7528\"}",
        new String(bodies.get(0), StandardCharsets.UTF_8));
    assertEquals(
        "{\"StreamName\": \"streaming-pinterest-geo\", \"Data\": {\"ind\": 7528, \"timestamp\": \"2020-08-28 03:52:47\","
            + " \"latitude\": -89.9787, \"longitude\": -173.293, \"country\": \"Albania\"}, \"PartitionKey\": \"7528\"}",
        new String(bodies.get(1), StandardCharsets.UTF_8));
  }

  @Test
  public void serverErrorsAreFailedRecordsAndStatusOne() {
    answerStatus = 500;
    assertEquals(1, post("--sink", "kinesis-gateway", "--gatewayUrl", url, "--count", "3", "--topicPrefix", "gw"));
    assertEquals(9, requests.size());
    String[] lines = err().split("\n");
    assertEquals(err(), 2, lines.length);
    assertEquals(lines[0], true, lines[0].endsWith(": 0 records acknowledged, 9 failed"));
    assertEquals(
        "error: 9 records failed; the first: HTTP 500 from " + url + "streams/streaming-gw-pin/record:"
            + " {\"message\": \"Internal server error\"}",
        lines[1]);
  }

  @Test
  public void aClosedPortIsOneErrorLine() {
    int closed = LocalProcess.freePort();
    assertEquals(1, post("--sink", "kinesis-gateway", "--gatewayUrl", "http://127.0.0.1:" + closed, "--count", "1"));
    assertEquals("error: cannot connect to the API gateway at http://127.0.0.1:" + closed + ": Connection refused\n", err());
  }
}
