package io.pinpipe.emulator.post;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A sink that makes one synchronous HTTP request per record, as the original emulator did through
 * its API gateway; a record is acknowledged when the answer is 2xx. Subclasses say what request.
 */
abstract class HttpRecordSink extends CountingSink {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  final String base;

  HttpRecordSink(String base) {
    this.base = base;
  }

  /**
   * The base URL without trailing slashes, once it is an http(s) URL whose host accepts
   * connections: a wrong URL is one clear line before anything is sent.
   */
  static String checkedBase(String url, String option, String what) throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IOException(option + " is not a URL: " + url);
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IOException(option + " must be an http(s) URL, got " + url);
    }
    int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), 10_000);
    } catch (IOException e) {
      throw new IOException("cannot connect to " + what + " at " + url + ": " + e.getMessage());
    }
    return url.replaceAll("/+$", "");
  }

  /** The request that carries one record. */
  abstract HttpRequest request(RecordKind kind, GeneratedPost post);

  @Override
  public void send(GeneratedPost post) throws InterruptedException {
    for (RecordKind kind : RecordKind.values()) {
      HttpRequest request = request(kind, post);
      countSent(1);
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 == 2) {
          countAcknowledged(1);
        } else {
          countFailed(1, "HTTP " + response.statusCode() + " from " + request.uri() + ": " + abbreviated(response.body()));
        }
      } catch (ConnectException e) {
        countFailed(1, "cannot connect to " + request.uri());
      } catch (IOException e) {
        countFailed(1, e.getClass().getSimpleName() + " sending to " + request.uri() + ": " + e.getMessage());
      }
    }
  }

  private static String abbreviated(String s) {
    String line = s.replaceAll("\\s+", " ").strip();
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
