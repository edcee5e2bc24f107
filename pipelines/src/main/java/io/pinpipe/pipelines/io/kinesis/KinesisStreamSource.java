package io.pinpipe.pipelines.io.kinesis;

import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.io.source.RawSource;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.KinesisStreams;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisIO;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisReadSource;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.joda.time.Duration;
import org.joda.time.Instant;
import software.amazon.kinesis.common.InitialPositionInStream;

/**
 * The three Kinesis streams {@code streaming-<prefix>-pin|geo|user} (docs/design.md#data-contract)
 * through Beam's
 * aws2 {@link KinesisIO}. Region, endpoint and credentials come from Beam's {@code AwsOptions}
 * ({@code --awsRegion}, {@code --endpoint}; credentials from the SDK's default chain or a
 * profile, never from an option value). Event time is the record's approximate arrival time.
 *
 * <p>KinesisIO keeps its shard positions only in the runner's checkpoints (Flink savepoints keep
 * them; DirectRunner cannot), so a restart starts where {@code --startFrom} says: {@code
 * earliest} (the stream's trim horizon, the default: nothing is missed, records are read again
 * and duplicate removal keeps results right), {@code latest}, or an instant. A record's origin
 * is {@code <stream>/<shard>/<sequence number>}.
 *
 * <p>For the Iceberg tables ({@link #forTables}) the streams are read from their trim horizon, each
 * record numbered in its shard and the records the tables hold dropped as read ({@link
 * OrdinalKinesisSource}); its origin is then {@code <stream>/<shard>/<sequence number>+<ordinal>}
 * ({@link KinesisOrigins}, docs/iceberg.md#streaming-from-kinesis).
 */
public final class KinesisStreamSource implements RawSource {
  /** GetRecords per shard at most every this often; AWS allows five calls a second per shard. */
  static final Duration POLL_DELAY = Duration.millis(250);
  /** After this long without records, a shard's watermark follows the clock. */
  static final Duration IDLE_WATERMARK_AFTER = Duration.standardSeconds(5);

  private final String topicPrefix;
  private final String startFrom;
  private final long maxRecords;
  private final Duration maxReadTime;
  /** For the Iceberg tables: where each shard's numbering starts; null for Parquet tables. */
  private final ShardStarts tableStarts;

  public KinesisStreamSource(String topicPrefix, String startFrom, long maxRecords, Duration maxReadTime) {
    this(topicPrefix, startFrom, maxRecords, maxReadTime, null);
  }

  private KinesisStreamSource(
      String topicPrefix, String startFrom, long maxRecords, Duration maxReadTime, ShardStarts tableStarts) {
    this.topicPrefix = topicPrefix;
    this.startFrom = startFrom;
    this.maxRecords = maxRecords;
    this.maxReadTime = maxReadTime;
    this.tableStarts = tableStarts;
    read(RecordKind.PIN); // checks --startFrom before the pipeline is built
  }

  /**
   * The read for the streaming Iceberg tables (docs/iceberg.md#streaming-from-kinesis): each
   * stream from its trim horizon, every record numbered in its shard ({@link
   * OrdinalKinesisSource}), the records up to the tables' anchors ({@code starts}) dropped.
   */
  public KinesisStreamSource forTables(ShardStarts starts) {
    return new KinesisStreamSource(topicPrefix, "earliest", maxRecords, maxReadTime, starts);
  }

  /** The three streams' names, in the kinds' order. */
  public java.util.List<String> streams() {
    java.util.List<String> streams = new java.util.ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      streams.add(KinesisStreams.name(topicPrefix, kind));
    }
    return streams;
  }

  /**
   * A Kinesis client as the read builds it (endpoint, region and credentials from {@code options}'
   * {@code AwsOptions}), for the look-ups before the pipeline starts ({@link StreamShards}); the
   * caller closes it.
   *
   * @throws UserError if no AWS region or credentials are available
   */
  public software.amazon.awssdk.services.kinesis.KinesisClient client(org.apache.beam.sdk.options.PipelineOptions options) {
    try {
      return KinesisReadSource.client(KinesisIO.read(), options);
    } catch (IllegalStateException e) {
      // Beam's check of the AWS options, as KinesisIO makes it ("No AWS region available").
      throw new UserError(
          "Kinesis: " + e.getMessage() + ": give --awsRegion (and credentials where the AWS SDK looks for them:"
              + " the environment, ~/.aws)");
    }
  }

  @Override
  public PTransform<PBegin, PCollection<RawRecord>> read(RecordKind kind) {
    KinesisIO.Read read =
        KinesisIO.read()
            .withStreamName(KinesisStreams.name(topicPrefix, kind))
            .withArrivalTimeWatermarkPolicy(IDLE_WATERMARK_AFTER)
            .withFixedDelayRateLimitPolicy(POLL_DELAY);
    switch (startFrom) {
      case "earliest":
        read = read.withInitialPositionInStream(InitialPositionInStream.TRIM_HORIZON);
        break;
      case "latest":
        read = read.withInitialPositionInStream(InitialPositionInStream.LATEST);
        break;
      default:
        read = read.withInitialTimestampInStream(startInstant(startFrom));
    }
    if (tableStarts != null) {
      return new ReadNumbered(read.withInitialPositionInStream(InitialPositionInStream.TRIM_HORIZON), tableStarts, maxRecords, maxReadTime);
    }
    if (maxRecords > 0) {
      read = read.withMaxNumRecords(maxRecords);
    }
    if (maxReadTime != null) {
      read = read.withMaxReadTime(maxReadTime);
    }
    return new ReadStream(read);
  }

  private static Instant startInstant(String startFrom) {
    try {
      return new Instant(java.time.Instant.parse(startFrom).toEpochMilli());
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--startFrom for Kinesis must be earliest, latest or an ISO-8601 instant like"
              + " 2026-11-23T00:00:00Z, got '" + startFrom + "'");
    }
  }

  @Override
  public String describe() {
    return "kinesis://" + KinesisStreams.allNames(topicPrefix) + " from "
        + (tableStarts == null ? startFrom : "the trim horizon, resuming after the tables' anchors");
  }

  /** One stream read through {@link OrdinalKinesisSource}, bounded as asked. */
  private static final class ReadNumbered extends PTransform<PBegin, PCollection<RawRecord>> {
    private final KinesisIO.Read read;
    private final ShardStarts starts;
    private final long maxRecords;
    private final Duration maxReadTime;

    ReadNumbered(KinesisIO.Read read, ShardStarts starts, long maxRecords, Duration maxReadTime) {
      this.read = read;
      this.starts = starts;
      this.maxRecords = maxRecords;
      this.maxReadTime = maxReadTime;
    }

    @Override
    public PCollection<RawRecord> expand(PBegin begin) {
      org.apache.beam.sdk.io.Read.Unbounded<RawRecord> unbounded =
          org.apache.beam.sdk.io.Read.from(
              new OrdinalKinesisSource(KinesisReadSource.of(read, begin.getPipeline().getOptions()), starts));
      if (maxRecords > 0 && maxReadTime != null) {
        return begin.apply("ReadKinesisNumbered", unbounded.withMaxNumRecords(maxRecords).withMaxReadTime(maxReadTime));
      }
      if (maxRecords > 0) {
        return begin.apply("ReadKinesisNumbered", unbounded.withMaxNumRecords(maxRecords));
      }
      if (maxReadTime != null) {
        return begin.apply("ReadKinesisNumbered", unbounded.withMaxReadTime(maxReadTime));
      }
      return begin.apply("ReadKinesisNumbered", unbounded);
    }
  }

  private static final class ReadStream extends PTransform<PBegin, PCollection<RawRecord>> {
    private final KinesisIO.Read read;

    ReadStream(KinesisIO.Read read) {
      this.read = read;
    }

    @Override
    public PCollection<RawRecord> expand(PBegin begin) {
      return begin
          .apply("ReadKinesis", read)
          .apply(
              "ToRawRecords",
              MapElements.into(TypeDescriptor.of(RawRecord.class))
                  .via(
                      (KinesisRecord r) ->
                          RawRecord.of(
                              r.getStreamName() + "/" + r.getShardId() + "/" + r.getSequenceNumber(),
                              r.getDataAsBytes())));
    }
  }
}
