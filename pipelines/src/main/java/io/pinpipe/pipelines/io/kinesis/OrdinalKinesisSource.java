package io.pinpipe.pipelines.io.kinesis;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.parse.RawRecordCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.MapCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.aws2.kinesis.KinesisRecord;
import org.apache.beam.sdk.options.PipelineOptions;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One stream as an unbounded source of raw records, each numbered in its shard ({@link
 * ShardOrdinals}, docs/iceberg.md#streaming-from-kinesis): KinesisIO's own source (shards, start
 * position, watermark and rate limits, client from {@code AwsOptions}), split as KinesisIO splits
 * it, each split read by KinesisIO's reader, whose records up to the tables' anchors are dropped
 * and the rest given the origin {@code <stream>/<shard>/<sequence number>+<ordinal>} ({@link
 * KinesisOrigins}). The checkpoint mark is KinesisIO's with each shard's next ordinal, so a runner's
 * checkpoint (Flink's, DirectRunner's reader restarts) continues the numbering where the records
 * handed out end. A shard's children after a split or merge are new shards, numbered from 0
 * (KinesisIO reads them from their first record once their parent is read to its end).
 */
final class OrdinalKinesisSource extends UnboundedSource<RawRecord, OrdinalKinesisSource.Mark> {
  private static final long serialVersionUID = 1L;

  private final UnboundedSource<KinesisRecord, UnboundedSource.CheckpointMark> kinesis;
  private final ShardStarts starts;

  OrdinalKinesisSource(UnboundedSource<KinesisRecord, UnboundedSource.CheckpointMark> kinesis, ShardStarts starts) {
    this.kinesis = kinesis;
    this.starts = starts;
  }

  @Override
  public List<OrdinalKinesisSource> split(int desiredNumSplits, PipelineOptions options) throws Exception {
    List<OrdinalKinesisSource> splits = new ArrayList<>();
    for (UnboundedSource<KinesisRecord, UnboundedSource.CheckpointMark> split : kinesis.split(desiredNumSplits, options)) {
      splits.add(new OrdinalKinesisSource(split, starts));
    }
    return splits;
  }

  @Override
  public UnboundedReader<RawRecord> createReader(PipelineOptions options, @Nullable Mark mark) throws IOException {
    return new Reader(
        this,
        kinesis.createReader(options, mark == null ? null : mark.kinesis),
        new ShardOrdinals(starts, mark == null ? Map.of() : mark.next));
  }

  @Override
  public Coder<Mark> getCheckpointMarkCoder() {
    return new MarkCoder(kinesis.getCheckpointMarkCoder());
  }

  @Override
  public Coder<RawRecord> getOutputCoder() {
    return RawRecordCoder.of();
  }

  /** KinesisIO's mark and, per shard key whose numbering has begun, the ordinal of its next record. */
  static final class Mark implements UnboundedSource.CheckpointMark {
    final UnboundedSource.CheckpointMark kinesis;
    final Map<String, Long> next;

    Mark(UnboundedSource.CheckpointMark kinesis, Map<String, Long> next) {
      this.kinesis = kinesis;
      this.next = next;
    }

    /** KinesisIO's (it commits nothing anywhere). */
    @Override
    public void finalizeCheckpoint() throws IOException {
      kinesis.finalizeCheckpoint();
    }

    @Override
    public String toString() {
      return kinesis + ", next ordinals " + next;
    }
  }

  /** KinesisIO's mark with its own coder, then the next ordinals. */
  static final class MarkCoder extends CustomCoder<Mark> {
    private static final long serialVersionUID = 1L;
    private static final Coder<Map<String, Long>> NEXT = MapCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    private final Coder<UnboundedSource.CheckpointMark> kinesis;

    MarkCoder(Coder<UnboundedSource.CheckpointMark> kinesis) {
      this.kinesis = kinesis;
    }

    @Override
    public void encode(Mark mark, OutputStream out) throws IOException {
      kinesis.encode(mark.kinesis, out);
      NEXT.encode(mark.next, out);
    }

    @Override
    public Mark decode(InputStream in) throws IOException {
      UnboundedSource.CheckpointMark kinesisMark = kinesis.decode(in);
      return new Mark(kinesisMark, NEXT.decode(in));
    }
  }

  private static final class Reader extends UnboundedReader<RawRecord> {
    private final OrdinalKinesisSource source;
    private final UnboundedReader<KinesisRecord> kinesis;
    private final ShardOrdinals ordinals;
    private RawRecord current;
    private Instant currentTimestamp;

    Reader(OrdinalKinesisSource source, UnboundedReader<KinesisRecord> kinesis, ShardOrdinals ordinals) {
      this.source = source;
      this.kinesis = kinesis;
      this.ordinals = ordinals;
    }

    @Override
    public boolean start() throws IOException {
      return kinesis.start() && numberOrSkip();
    }

    @Override
    public boolean advance() throws IOException {
      return kinesis.advance() && numberOrSkip();
    }

    /** Numbers KinesisIO's current record, or passes over those the tables hold; false if none is left. */
    private boolean numberOrSkip() throws IOException {
      while (true) {
        KinesisRecord r = kinesis.getCurrent();
        String shardKey = KinesisOrigins.shardKey(r.getStreamName(), r.getShardId());
        long ordinal = ordinals.number(shardKey, r.getSequenceNumber(), r.getSubSequenceNumber());
        if (ordinal != ShardOrdinals.DROPPED) {
          current =
              RawRecord.of(
                  KinesisOrigins.origin(r.getStreamName(), r.getShardId(), r.getSequenceNumber(), r.getSubSequenceNumber(), ordinal),
                  r.getDataAsBytes());
          currentTimestamp = kinesis.getCurrentTimestamp();
          return true;
        }
        if (!kinesis.advance()) {
          return false;
        }
      }
    }

    @Override
    public RawRecord getCurrent() throws NoSuchElementException {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() throws NoSuchElementException {
      if (currentTimestamp == null) {
        throw new NoSuchElementException();
      }
      return currentTimestamp;
    }

    @Override
    public Instant getWatermark() {
      return kinesis.getWatermark();
    }

    @Override
    public Mark getCheckpointMark() {
      return new Mark(kinesis.getCheckpointMark(), ordinals.next());
    }

    @Override
    public long getSplitBacklogBytes() {
      return kinesis.getSplitBacklogBytes();
    }

    @Override
    public long getTotalBacklogBytes() {
      return kinesis.getTotalBacklogBytes();
    }

    @Override
    public OrdinalKinesisSource getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {
      kinesis.close();
    }
  }
}
