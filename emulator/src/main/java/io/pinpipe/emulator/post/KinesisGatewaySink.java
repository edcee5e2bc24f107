package io.pinpipe.emulator.post;

import io.pinpipe.emulator.generate.Post;
import io.pinpipe.emulator.generate.RecordKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * What the original emulator sent to its AWS API Gateway in front of Kinesis: one HTTP {@code PUT
 * <gateway>/streams/<stream>/record} per record, {@code Content-Type: application/json}, body
 * {@code {"StreamName": "<stream>", "Data": <the record object>, "PartitionKey": "<row number>"}}
 * formatted as Python's {@code json.dumps} did. A record counts as acknowledged on a 2xx answer.
 */
public final class KinesisGatewaySink implements PostSink {
  static final String CONTENT_TYPE = "application/json";

  private final HttpClient client;
  private final String base;
  private final String topicPrefix;
  private long sent;
  private long acknowledged;
  private long failed;
  private String firstFailure;

  private KinesisGatewaySink(HttpClient client, String base, String topicPrefix) {
    this.client = client;
    this.base = base;
    this.topicPrefix = topicPrefix;
  }

  public static KinesisGatewaySink open(String url, String topicPrefix) throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IOException("--gatewayUrl is not a URL: " + url);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IOException("--gatewayUrl must be an http(s) URL, got " + url);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(uri.getHost(), port), 10_000);
    } catch (IOException e) {
      throw new IOException("cannot connect to the API gateway at " + url + ": " + e.getMessage());
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return new KinesisGatewaySink(client, url.replaceAll("/+$", ""), topicPrefix);
  }

  /** The request body for one record, as the original's {@code json.dumps} wrote it. */
  static String body(String stream, String recordJson, long rowNumber) {
    return "{\"StreamName\": \"" + stream + "\", \"Data\": " + recordJson + ", \"PartitionKey\": \""
        + rowNumber + "\"}";
  }

  @Override
  public void send(Post post) throws InterruptedException {
    for (RecordKind kind : RecordKind.values()) {
      String stream = KinesisSink.streamName(topicPrefix, kind);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/streams/" + stream + "/record"))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", CONTENT_TYPE)
              .PUT(HttpRequest.BodyPublishers.ofString(body(stream, post.json(kind), post.index())))
              .build();
      sent++;
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          acknowledged++;
        } else {
          fail("HTTP " + response.statusCode() + " from " + request.uri() + ": " + abbreviated(response.body()));
        }
      } catch (ConnectException e) {
        fail("cannot connect to " + request.uri());
      } catch (IOException e) {
        fail(e.getClass().getSimpleName() + " sending to " + request.uri() + ": " + e.getMessage());
      }
    }
  }

  private void fail(String message) {
    failed++;
    if (firstFailure == null) {
      firstFailure = message;
    }
  }

  private static String abbreviated(String s) {
    String line = s.replaceAll("\\s+", " ").strip();
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  @Override
  public void flush() {}

  @Override
  public long recordsSent() {
    return sent;
  }

  @Override
  public long recordsAcknowledged() {
    return acknowledged;
  }

  @Override
  public long recordsFailed() {
    return failed;
  }

  @Override
  public String firstFailure() {
    return firstFailure;
  }

  @Override
  public String describe() {
    return "the API gateway at " + base;
  }

  @Override
  public void close() {}
}
