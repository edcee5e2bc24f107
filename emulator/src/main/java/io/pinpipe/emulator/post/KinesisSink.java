package io.pinpipe.emulator.post;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.KinesisStreams;
import io.pinpipe.emulator.generate.GeneratedPost;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * The original's streaming path: each record to the Kinesis stream {@code
 * streaming-<prefix>-pin|geo|user} (docs/design.md#data-contract),
 * data = the record's JSON bytes, partition key
 * = its row number. Records are sent in PutRecords batches per stream of up to 500 records or
 * 5 MiB of data and keys (the API's limits), when a batch is full and on flush or close; entries
 * the service rejects (throttling, internal errors) are retried a few times with backoff, then
 * counted as failed with the first rejection's message. Credentials come only from the AWS SDK's
 * default chain (environment, system properties, {@code AWS_PROFILE}), never from an option.
 */
public final class KinesisSink extends CountingSink {
  static final int MAX_BATCH_RECORDS = 500;
  static final int MAX_BATCH_BYTES = 5 << 20;
  static final int ATTEMPTS = 4;

  private final KinesisClient client;
  private final String topicPrefix;
  private final String where;
  private final Map<RecordKind, List<PutRecordsRequestEntry>> pending = new EnumMap<>(RecordKind.class);
  private final Map<RecordKind, Integer> pendingBytes = new EnumMap<>(RecordKind.class);

  private KinesisSink(KinesisClient client, String topicPrefix, String where) {
    this.client = client;
    this.topicPrefix = topicPrefix;
    this.where = where;
    for (RecordKind kind : RecordKind.values()) {
      pending.put(kind, new ArrayList<>());
      pendingBytes.put(kind, 0);
    }
  }

  /**
   * Opens a client for the region (else the SDK's region chain, else us-east-1) and endpoint (else
   * the region's), and checks that the three streams exist.
   */
  public static KinesisSink open(Optional<String> endpoint, Optional<String> region, String topicPrefix) {
    Region resolved =
        region.map(Region::of).orElseGet(() -> {
          try {
            return new DefaultAwsRegionProviderChain().getRegion();
          } catch (SdkException none) {
            return Region.US_EAST_1;
          }
        });
    KinesisClientBuilder builder =
        KinesisClient.builder()
            .region(resolved)
            .credentialsProvider(DefaultCredentialsProvider.create())
            // A builder, so that closing the client also closes the HTTP client it owns.
            .httpClientBuilder(ApacheHttpClient.builder());
    endpoint.ifPresent(e -> builder.endpointOverride(URI.create(e)));
    KinesisClient client = builder.build();
    String where = endpoint.orElse("Kinesis in " + resolved);
    for (RecordKind kind : RecordKind.values()) {
      String stream = KinesisStreams.name(topicPrefix, kind);
      try {
        client.describeStreamSummary(b -> b.streamName(stream));
      } catch (SdkException e) {
        client.close();
        if (rootCause(e) instanceof ConnectException) {
          // Like the other sinks: one line naming the endpoint, not the SDK's HTTP wording.
          throw new IllegalStateException("cannot connect to Kinesis at " + where + ": " + rootCause(e).getMessage());
        }
        throw new IllegalStateException("cannot use Kinesis stream " + stream + " at " + where + ": " + firstLine(e));
      }
    }
    return new KinesisSink(client, topicPrefix, where);
  }

  @Override
  public void send(GeneratedPost post) throws InterruptedException {
    for (RecordKind kind : RecordKind.values()) {
      byte[] data = post.json(kind).getBytes(StandardCharsets.UTF_8);
      String key = Long.toString(post.index());
      if (pending.get(kind).size() == MAX_BATCH_RECORDS
          || pendingBytes.get(kind) + data.length + key.length() > MAX_BATCH_BYTES) {
        flush(kind);
      }
      pending.get(kind).add(PutRecordsRequestEntry.builder().data(SdkBytes.fromByteArray(data)).partitionKey(key).build());
      pendingBytes.merge(kind, data.length + key.length(), Integer::sum);
      countSent(1);
    }
  }

  @Override
  public void flush() throws InterruptedException {
    for (RecordKind kind : RecordKind.values()) {
      flush(kind);
    }
  }

  /** Sends one stream's batch; rejected entries are retried, then counted as failed. */
  private void flush(RecordKind kind) throws InterruptedException {
    List<PutRecordsRequestEntry> batch = pending.get(kind);
    if (batch.isEmpty()) {
      return;
    }
    String stream = KinesisStreams.name(topicPrefix, kind);
    List<PutRecordsRequestEntry> toSend = new ArrayList<>(batch);
    batch.clear();
    pendingBytes.put(kind, 0);
    String firstError = null;
    for (int attempt = 1; attempt <= ATTEMPTS && !toSend.isEmpty(); attempt++) {
      if (attempt > 1) {
        Thread.sleep(100L << (attempt - 2));
      }
      List<PutRecordsRequestEntry> request = toSend;
      PutRecordsResponse response;
      try {
        response = client.putRecords(b -> b.streamName(stream).records(request));
      } catch (SdkException e) {
        firstError = firstError != null ? firstError : "PutRecords to " + stream + " failed: " + firstLine(e);
        continue;
      }
      List<PutRecordsRequestEntry> retry = new ArrayList<>();
      List<PutRecordsResultEntry> results = response.records();
      for (int i = 0; i < results.size(); i++) {
        PutRecordsResultEntry result = results.get(i);
        if (result.errorCode() == null) {
          countAcknowledged(1);
        } else {
          retry.add(request.get(i));
          if (firstError == null) {
            firstError = stream + ": " + result.errorCode() + " " + result.errorMessage();
          }
        }
      }
      toSend = retry;
    }
    if (!toSend.isEmpty()) {
      countFailed(toSend.size(), firstError);
    }
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static String firstLine(Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.startsWith("Unable to load credentials")) {
      return "no AWS credentials in the SDK's default chain (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and"
          + " AWS_SECRET_ACCESS_KEY; a local endpoint accepts any values)";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public String describe() {
    return where + " (" + KinesisStreams.name(topicPrefix, RecordKind.PIN).replaceAll("-pin$", "") + "-pin, -geo, -user)";
  }

  @Override
  public void close() throws InterruptedException {
    flush();
    client.close();
  }
}
