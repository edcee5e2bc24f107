package org.apache.beam.sdk.io.aws2.kinesis;

import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The unbounded source a {@link KinesisIO.Read} reads through (its shards, start position,
 * watermark and rate-limit policies, the AWS client from the pipeline's {@code AwsOptions}), for a
 * reader that numbers each shard's records as it reads them (the streaming job's Kinesis read
 * into Iceberg tables, {@code io.pinpipe.pipelines.io.kinesis.OrdinalKinesisSource}, docs/iceberg.md):
 * {@code KinesisSource} and its checkpoint mark are package-private in Beam 2.62; and a client built
 * as that source builds it, for the job's look-ups before it starts ({@code StreamShards}), which
 * needs the read's package-private client configuration. Like {@code
 * org.apache.beam.sdk.io.kafka.BoundedKafkaRead}, this class lives in Beam's package for those
 * reasons and calls nothing else non-public.
 */
public final class KinesisReadSource {
  private KinesisReadSource() {}

  /**
   * KinesisIO's own source of {@code read}, its checkpoint mark seen as any mark (its coder goes
   * with it), after the check of the AWS options that {@code KinesisIO.Read.expand} makes.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static UnboundedSource<KinesisRecord, UnboundedSource.CheckpointMark> of(
      KinesisIO.Read read, PipelineOptions options) {
    ClientBuilderFactory.validate(options.as(AwsOptions.class), read.getClientConfiguration());
    return (UnboundedSource) new KinesisSource(read);
  }

  /**
   * A Kinesis client as {@code read}'s source would build it (endpoint, region and credentials from
   * the pipeline's {@code AwsOptions}, {@code read}'s client configuration), for look-ups before
   * the pipeline starts, after the check of the AWS options {@link #of} makes; the caller closes it.
   *
   * @throws IllegalStateException if no region or credentials are available (Beam's message)
   */
  public static KinesisClient client(KinesisIO.Read read, PipelineOptions options) {
    ClientBuilderFactory.validate(options.as(AwsOptions.class), read.getClientConfiguration());
    return ClientBuilderFactory.buildClient(options.as(AwsOptions.class), KinesisClient.builder(), read.getClientConfiguration());
  }
}
