package org.apache.beam.sdk.io.aws2.kinesis;

import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.aws2.common.ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.AwsOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The unbounded source a {@link KinesisIO.Read} reads through (its shards, start position,
 * watermark and rate-limit policies, the AWS client from the pipeline's {@code AwsOptions}), for a
 * reader that numbers each shard's records as it reads them (the streaming job's Kinesis read
 * into Iceberg tables, {@code io.pinpipe.pipelines.io.kinesis.OrdinalKinesisSource}, docs/iceberg.md):
 * {@code KinesisSource} and its checkpoint mark are package-private in Beam 2.62. Like {@code
 * org.apache.beam.sdk.io.kafka.BoundedKafkaRead}, this class lives in Beam's package for that one
 * reason and calls nothing else non-public.
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
}
