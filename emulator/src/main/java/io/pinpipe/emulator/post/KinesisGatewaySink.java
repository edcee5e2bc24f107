package io.pinpipe.emulator.post;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.KinesisStreams;
import io.pinpipe.emulator.generate.GeneratedPost;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * What the original emulator sent to its AWS API Gateway in front of Kinesis: one HTTP {@code PUT
 * <gateway>/streams/<stream>/record} per record, {@code Content-Type: application/json}, body
 * {@code {"StreamName": "<stream>", "Data": <the record object>, "PartitionKey": "<row number>"}}
 * formatted as Python's {@code json.dumps} did. A record counts as acknowledged on a 2xx answer.
 */
public final class KinesisGatewaySink extends HttpRecordSink {
  static final String CONTENT_TYPE = "application/json";

  private final String topicPrefix;

  private KinesisGatewaySink(String base, String topicPrefix) {
    super(base);
    this.topicPrefix = topicPrefix;
  }

  public static KinesisGatewaySink open(String url, String topicPrefix) throws IOException {
    return new KinesisGatewaySink(checkedBase(url, "--gatewayUrl", "the API gateway"), topicPrefix);
  }

  /** The request body for one record, as the original's {@code json.dumps} wrote it. */
  static String body(String stream, String recordJson, long rowNumber) {
    return "{\"StreamName\": \"" + stream + "\", \"Data\": " + recordJson + ", \"PartitionKey\": \""
        + rowNumber + "\"}";
  }

  @Override
  HttpRequest request(RecordKind kind, GeneratedPost post) {
    String stream = KinesisStreams.name(topicPrefix, kind);
    return HttpRequest.newBuilder(URI.create(base + "/streams/" + stream + "/record"))
        .timeout(TIMEOUT)
        .header("Content-Type", CONTENT_TYPE)
        .PUT(HttpRequest.BodyPublishers.ofString(body(stream, post.json(kind), post.index())))
        .build();
  }

  @Override
  public String describe() {
    return "the API gateway at " + base;
  }
}
