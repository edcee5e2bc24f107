package org.apache.beam.sdk.io.kafka;

/**
 * Makes a {@link KafkaIO.ReadSourceDescriptors} bounded, for descriptors that all carry a stop
 * offset.
 *
 * <p>Why this lives in Beam's package: KafkaIO 2.62 reads a bounded collection only through
 * {@code Read.withStopReadTime}, which finds the stop by record timestamp and fails when no
 * record is newer than that time, i.e. whenever the stop is "now". Our jobs need exact
 * per-partition offset ranges (the end offsets at the start of a run, docs/semantics.md), which
 * {@link KafkaSourceDescriptor} expresses, but the switch that marks the read bounded, {@code
 * ReadSourceDescriptors.withBounded()}, is package-private. Left unbounded, the read would force
 * streaming semantics (triggers on every GroupByKey, streaming mode on Spark) onto batch jobs.
 * This and {@code org.apache.beam.sdk.io.aws2.kinesis.KinesisReadSource} are our only classes in
 * Beam packages; this one calls nothing else non-public but {@code
 * KafkaIO.Read.makeSource()} ({@link #source}).
 */
public final class BoundedKafkaRead {
  private BoundedKafkaRead() {}

  public static <K, V> KafkaIO.ReadSourceDescriptors<K, V> of(
      KafkaIO.ReadSourceDescriptors<K, V> read) {
    return read.withBounded();
  }

  /**
   * The unbounded source a {@link KafkaIO.Read} reads through (its partitions, start positions,
   * timestamp policy and consumer factory), for a reader that packs records as it reads them
   * (the streaming job's Kafka read, {@code io.pinpipe.pipelines.io.kafka.ReadKafkaPacks}): {@code KafkaIO.Read.makeSource()} is
   * package-private. The read's key and value coders must be set.
   */
  public static <K, V> org.apache.beam.sdk.io.UnboundedSource<KafkaRecord<K, V>, KafkaCheckpointMark> source(
      KafkaIO.Read<K, V> read) {
    return read.makeSource();
  }
}
