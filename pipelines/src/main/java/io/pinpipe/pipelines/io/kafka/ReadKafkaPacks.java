package io.pinpipe.pipelines.io.kafka;

import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.kafka.BoundedKafkaRead;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.util.BackOff;
import org.apache.beam.sdk.util.FluentBackoff;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * One topic read by the streaming job, its elements record packs, not records: the step that reads
 * also packs ({@link PackingKafkaReader}), so no record becomes an element, is copied between
 * chained operators or converted from KafkaIO's record (docs/streaming.md#the-read). Each
 * record's event time is the reader's timestamp and its origin {@code <topic>+<partition>+<offset>};
 * the records read are counted by the packer.
 *
 * <p>Unbounded (a live run): {@link KafkaPackSource}, KafkaIO's unbounded source and reader with
 * a pack handed out when full or when the reader has nothing more right now, checkpointed with
 * KafkaIO's mark. Bounded ({@code --maxRecordsPerStream}, {@code --maxReadSeconds}): what KafkaIO's
 * bounded read reads, the same way: KafkaIO's source split by partition, the bound {@code
 * maxRecords} divided among the splits, and {@code maxReadTime} ending a split that waited that
 * long for records, as Beam's {@code BoundedReadFromUnboundedSource} (which KafkaIO uses for these
 * bounds) does; a bounded split's packs leave full or at its end.
 */
final class ReadKafkaPacks extends PTransform<PBegin, PCollection<KV<Integer, RecordPack>>> {
  private static final FluentBackoff BACKOFF =
      FluentBackoff.DEFAULT.withInitialBackoff(Duration.millis(10)).withMaxBackoff(Duration.standardSeconds(10));

  private final KafkaIO.Read<byte[], byte[]> read;
  private final long maxRecords;
  private final @Nullable Duration maxReadTime;
  private final RecordKind kind;
  private final PackLimits limits;
  private final int maxRecordBytes;

  /**
   * {@code read} without bounds and with its coders set; {@code maxRecords} 0 and {@code
   * maxReadTime} null: unbounded.
   */
  ReadKafkaPacks(
      KafkaIO.Read<byte[], byte[]> read,
      long maxRecords,
      @Nullable Duration maxReadTime,
      RecordKind kind,
      PackLimits limits,
      int maxRecordBytes) {
    this.read = read;
    this.maxRecords = maxRecords > 0 || maxReadTime == null ? maxRecords : Long.MAX_VALUE;
    this.maxReadTime = maxReadTime;
    this.kind = kind;
    this.limits = limits;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public PCollection<KV<Integer, RecordPack>> expand(PBegin begin) {
    if (maxRecords <= 0) {
      return begin.apply("ReadAndPack", Read.from(unboundedSource()));
    }
    SerializableCoder<Shard> shardCoder = SerializableCoder.of(Shard.class);
    return begin
        .apply("Create", Create.of(new Shard(BoundedKafkaRead.source(read), maxRecords, maxReadTime)).withCoder(shardCoder))
        .apply("SplitByPartition", ParDo.of(new SplitFn()))
        .setCoder(shardCoder)
        // Spreads the partitions' reads over the workers, as Beam's bounded read does.
        .apply("Reshuffle", Reshuffle.viaRandomKey())
        .apply("ReadAndPack", ParDo.of(new ReadAndPackFn(kind, limits, maxRecordBytes)))
        .setCoder(KvCoder.of(VarIntCoder.of(), RecordPack.Coder.of()));
  }

  /** The source of an unbounded read. */
  KafkaPackSource unboundedSource() {
    return new KafkaPackSource(BoundedKafkaRead.source(read), kind, limits, maxRecordBytes);
  }

  /** KafkaIO's read's own display data (topic, consumer config without secrets: {@link KafkaSecrets}). */
  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.include("kafka", read);
  }

  /** A part of the read: a source (one or more partitions) and its share of the bounds. */
  static final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;
    final UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> source;
    final long maxRecords;
    final @Nullable Duration maxReadTime;

    Shard(UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> source, long maxRecords, @Nullable Duration maxReadTime) {
      this.source = source;
      this.maxRecords = maxRecords;
      this.maxReadTime = maxReadTime;
    }
  }

  /** Splits the source as Beam's bounded read does, each split with an equal share of the records. */
  static final class SplitFn extends DoFn<Shard, Shard> {
    @ProcessElement
    public void process(@Element Shard shard, OutputReceiver<Shard> out, PipelineOptions options) throws Exception {
      int desired = (int) Math.min(100, shard.maxRecords / 10_000 + 1);
      List<? extends UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark>> splits = shard.source.split(desired, options);
      for (int i = 0; i < splits.size(); i++) {
        long share = shard.maxRecords / splits.size() + (i < shard.maxRecords % splits.size() ? 1 : 0);
        out.output(new Shard(splits.get(i), share, shard.maxReadTime));
      }
    }
  }

  /** Reads a split to its bound and packs its records as they come. */
  static final class ReadAndPackFn extends DoFn<Shard, KV<Integer, RecordPack>> {
    private final RecordKind kind;
    private final PackLimits limits;
    private final int maxRecordBytes;

    ReadAndPackFn(RecordKind kind, PackLimits limits, int maxRecordBytes) {
      this.kind = kind;
      this.limits = limits;
      this.maxRecordBytes = maxRecordBytes;
    }

    @ProcessElement
    public void process(@Element Shard shard, OutputReceiver<KV<Integer, RecordPack>> out, PipelineOptions options)
        throws IOException {
      if (shard.maxRecords <= 0 || (shard.maxReadTime != null && shard.maxReadTime.getMillis() == 0)) {
        return;
      }
      // A read bound by time, as Beam's bounded read measures it: from the split's start.
      Instant end = shard.maxReadTime == null ? null : Instant.now().plus(shard.maxReadTime);
      PackingKafkaReader reader =
          new PackingKafkaReader(
              SerializableUtils.clone(shard.source).createReader(options, null),
              kind,
              limits,
              maxRecordBytes,
              false,
              shard.maxRecords,
              List.of());
      try {
        BackOff backoff = BACKOFF.backoff();
        long readBefore = 0;
        while (true) {
          if (reader.advance()) {
            out.outputWithTimestamp(reader.current(), reader.currentTimestamp());
            continue;
          }
          if (reader.boundRead()) {
            break;
          }
          if (reader.recordsRead() != readBefore) {
            // Records came since the last wait: wait afresh, as KafkaIO's bounded read does per record.
            backoff = BACKOFF.backoff();
            readBefore = reader.recordsRead();
          }
          long sleep = backoff.nextBackOffMillis();
          if (sleep == BackOff.STOP || (end != null && Instant.now().isAfter(end))) {
            // The bound by time: what was read leaves; nothing more is read.
            reader.flush();
            while (reader.advanceWaiting()) {
              out.outputWithTimestamp(reader.current(), reader.currentTimestamp());
            }
            break;
          }
          sleepFor(sleep);
        }
        reader.checkpointMark().finalizeCheckpoint();
      } finally {
        reader.close();
      }
    }

    private static void sleepFor(long millis) throws IOException {
      try {
        TimeUnit.MILLISECONDS.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for records", e);
      }
    }
  }
}
