package io.pinpipe.pipelines.io.kafka;

import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One topic as an unbounded source whose elements are record packs ({@link PackingKafkaReader}):
 * KafkaIO's own unbounded source (partitions, start positions, the create-time timestamp policy,
 * the consumer factory that keeps secrets out of display data), split as KafkaIO splits it, each
 * split read by KafkaIO's reader and packed as read. The checkpoint mark is KafkaIO's with the packs
 * read but not yet handed out ({@link Mark}), so a runner's checkpoint (Flink's, DirectRunner's
 * reader restarts) resumes exactly where the packs handed out end (docs/streaming.md#the-read).
 */
final class KafkaPackSource extends UnboundedSource<KV<Integer, RecordPack>, KafkaPackSource.Mark> {
  private static final long serialVersionUID = 1L;

  private final UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> kafka;
  private final RecordKind kind;
  private final PackLimits limits;
  private final int maxRecordBytes;

  KafkaPackSource(
      UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> kafka,
      RecordKind kind,
      PackLimits limits,
      int maxRecordBytes) {
    this.kafka = kafka;
    this.kind = kind;
    this.limits = limits;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Override
  public List<KafkaPackSource> split(int desiredNumSplits, PipelineOptions options) throws Exception {
    List<KafkaPackSource> splits = new ArrayList<>();
    for (UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> split : kafka.split(desiredNumSplits, options)) {
      splits.add(new KafkaPackSource(split, kind, limits, maxRecordBytes));
    }
    return splits;
  }

  @Override
  public UnboundedReader<KV<Integer, RecordPack>> createReader(PipelineOptions options, @Nullable Mark mark)
      throws IOException {
    return new Reader(
        this,
        new PackingKafkaReader(
            kafka.createReader(options, mark == null ? null : mark.kafka),
            kind,
            limits,
            maxRecordBytes,
            true,
            Long.MAX_VALUE,
            mark == null ? List.of() : mark.waiting));
  }

  @Override
  public Coder<Mark> getCheckpointMarkCoder() {
    return new MarkCoder(kafka.getCheckpointMarkCoder());
  }

  @Override
  public Coder<KV<Integer, RecordPack>> getOutputCoder() {
    return KvCoder.of(VarIntCoder.of(), RecordPack.Coder.of());
  }

  /**
   * KafkaIO's mark, every record read below its offsets, and the packs of those records not yet
   * handed out, in the order they are to be.
   */
  static final class Mark implements UnboundedSource.CheckpointMark {
    final KafkaCheckpointMark kafka;
    final List<KV<Integer, RecordPack>> waiting;

    Mark(KafkaCheckpointMark kafka, List<KV<Integer, RecordPack>> waiting) {
      this.kafka = kafka;
      this.waiting = waiting;
    }

    /** KafkaIO's: commits nothing, as the job's read does not commit in finalize (docs/streaming.md#what-the-job-commits-to-kafka). */
    @Override
    public void finalizeCheckpoint() throws IOException {
      kafka.finalizeCheckpoint();
    }

    @Override
    public String toString() {
      return kafka + " and " + waiting.size() + " packs waiting";
    }
  }

  /** KafkaIO's mark with its own coder, then the waiting packs. */
  static final class MarkCoder extends CustomCoder<Mark> {
    private static final long serialVersionUID = 1L;
    private static final Coder<List<KV<Integer, RecordPack>>> WAITING =
        ListCoder.of(KvCoder.of(VarIntCoder.of(), RecordPack.Coder.of()));
    private final Coder<KafkaCheckpointMark> kafka;

    MarkCoder(Coder<KafkaCheckpointMark> kafka) {
      this.kafka = kafka;
    }

    @Override
    public void encode(Mark mark, OutputStream out) throws IOException {
      kafka.encode(mark.kafka, out);
      WAITING.encode(mark.waiting, out);
    }

    @Override
    public Mark decode(InputStream in) throws IOException {
      KafkaCheckpointMark kafkaMark = kafka.decode(in);
      return new Mark(kafkaMark, WAITING.decode(in));
    }
  }

  private static final class Reader extends UnboundedReader<KV<Integer, RecordPack>> {
    private final KafkaPackSource source;
    private final PackingKafkaReader packs;

    Reader(KafkaPackSource source, PackingKafkaReader packs) {
      this.source = source;
      this.packs = packs;
    }

    @Override
    public boolean start() throws IOException {
      return packs.advance();
    }

    @Override
    public boolean advance() throws IOException {
      return packs.advance();
    }

    @Override
    public KV<Integer, RecordPack> getCurrent() throws NoSuchElementException {
      return packs.current();
    }

    @Override
    public Instant getCurrentTimestamp() throws NoSuchElementException {
      return packs.currentTimestamp();
    }

    @Override
    public Instant getWatermark() {
      return packs.watermark();
    }

    @Override
    public Mark getCheckpointMark() {
      return packs.checkpointMark();
    }

    @Override
    public long getSplitBacklogBytes() {
      return packs.splitBacklogBytes();
    }

    @Override
    public long getTotalBacklogBytes() {
      return packs.totalBacklogBytes();
    }

    @Override
    public KafkaPackSource getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {
      packs.close();
    }
  }
}
