package io.pinpipe.emulator.post;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.emulator.generate.GeneratedPost;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * What the original emulator did: one HTTP POST per record to a Kafka REST proxy (v2), usually
 * behind an API gateway: {@code POST <base>/topics/<topic>}, {@code Content-Type:
 * application/vnd.kafka.json.v2+json}, body {@code {"records":[{"value":<the JSON object>}]}}.
 * Synchronous, as the original was: a record is acknowledged when the proxy answers 2xx.
 */
public final class RestProxySink extends HttpRecordSink {
  static final String CONTENT_TYPE = "application/vnd.kafka.json.v2+json";

  private final String topicPrefix;

  private RestProxySink(String base, String topicPrefix) {
    super(base);
    this.topicPrefix = topicPrefix;
  }

  public static RestProxySink open(String url, String topicPrefix) throws IOException {
    return new RestProxySink(checkedBase(url, "--restProxyUrl", "the REST proxy"), topicPrefix);
  }

  /** The request body for one record: the proxy's v2 JSON envelope around the object as sent. */
  static String body(String recordJson) {
    return "{\"records\":[{\"value\":" + recordJson + "}]}";
  }

  @Override
  HttpRequest request(RecordKind kind, GeneratedPost post) {
    return HttpRequest.newBuilder(URI.create(base + "/topics/" + ArchiveLayout.topic(topicPrefix, kind)))
        .timeout(TIMEOUT)
        .header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(body(post.json(kind))))
        .build();
  }

  @Override
  public String describe() {
    return "the Kafka REST proxy at " + base;
  }
}
