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
 * What the original emulator did: one HTTP POST per record to a Kafka REST proxy (v2), usually
 * behind an API gateway: {@code POST <base>/topics/<topic>}, {@code Content-Type:
 * application/vnd.kafka.json.v2+json}, body {@code {"records":[{"value":<the JSON object>}]}}.
 * Synchronous, as the original was: a record is acknowledged when the proxy answers 2xx.
 */
public final class RestProxySink implements PostSink {
  static final String CONTENT_TYPE = "application/vnd.kafka.json.v2+json";

  private final HttpClient client;
  private final String base;
  private final String topicPrefix;
  private long sent;
  private long acknowledged;
  private long failed;
  private String firstFailure;

  private RestProxySink(HttpClient client, String base, String topicPrefix) {
    this.client = client;
    this.base = base;
    this.topicPrefix = topicPrefix;
  }

  public static RestProxySink open(String url, String topicPrefix) throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IOException("--restProxyUrl is not a URL: " + url);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IOException("--restProxyUrl must be an http(s) URL, got " + url);
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(uri.getHost(), port), 10_000);
    } catch (IOException e) {
      throw new IOException("cannot connect to the REST proxy at " + url + ": " + e.getMessage());
    }
    return new RestProxySink(client, url.replaceAll("/+$", ""), topicPrefix);
  }

  /** The request body for one record: the proxy's v2 JSON envelope around the object as sent. */
  static String body(String recordJson) {
    return "{\"records\":[{\"value\":" + recordJson + "}]}";
  }

  @Override
  public void send(Post post) throws IOException, InterruptedException {
    for (RecordKind kind : RecordKind.values()) {
      String topic = topicPrefix + "." + kind.topicSuffix();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + "/topics/" + topic))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", CONTENT_TYPE)
              .POST(HttpRequest.BodyPublishers.ofString(body(post.json(kind))))
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
        fail(e.getClass().getSimpleName() + " posting to " + request.uri() + ": " + e.getMessage());
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
    return "the Kafka REST proxy at " + base;
  }

  @Override
  public void close() {}
}
