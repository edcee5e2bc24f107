package io.pinpipe.pipelines.io.kafka;

import io.pinpipe.transforms.onepass.AsReadPacker;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * KafkaIO's own reader, its records packed as they are read ({@link AsReadPacker}): each element is
 * a pack keyed by its row-number bucket, at its earliest record's time, so no record becomes an
 * element (docs/streaming.md#the-read). The one Kafka read of the streaming job, bounded or not
 * ({@link ReadKafkaPacks}, {@link KafkaPackSource}).
 *
 * <p>A call to {@link #advance} that finds no pack waiting reads records until one pack is full, a
 * pack's bytes of records are read ({@link PackLimits}), or KafkaIO's reader has nothing more right
 * now (with {@code flushWhenIdle}, so a live stream's records wait at most one pack's worth of
 * reading), then hands out every open pack, one a call. The checkpoint mark therefore carries at
 * most one pack's bytes of records. Between calls no record is in an open pack: what was read is either
 * handed out or waiting in {@link #waiting}, which the checkpoint mark carries beside KafkaIO's
 * ({@link KafkaPackSource.Mark}); a reader restored from that mark hands out the waiting packs
 * first, then reads on from KafkaIO's positions.
 *
 * <p>The watermark is KafkaIO's (the create-time policy with its out-of-order allowance), held at
 * the earliest time of a pack still waiting, and never moved back: a record KafkaIO's watermark had
 * passed when it was read is as late as it was one an element.
 */
final class PackingKafkaReader {
  private final UnboundedReader<KafkaRecord<byte[], byte[]>> kafka;
  private final AsReadPacker packer;
  private final PackLimits limits;
  private final boolean flushWhenIdle;
  private final long maxRecords;
  private final ArrayDeque<KV<Integer, RecordPack>> waiting = new ArrayDeque<>();
  private final AsReadPacker.Emit toWaiting = (bucket, pack, timestamp) -> waiting.add(KV.of(bucket, pack));
  private @Nullable KV<Integer, RecordPack> current;
  private boolean kafkaStarted;
  private long recordsRead;
  private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;
  // The origin "<topic>+<partition>+<offset>" (as KafkaSource's), its prefix made once a partition.
  private @Nullable String topic;
  private int partition = -1;
  private @Nullable String prefix;

  /**
   * @param kafka KafkaIO's reader, not started
   * @param waiting packs read before the checkpoint this reader resumes from, not yet handed out
   * @param maxRecords the records to read at most ({@link Long#MAX_VALUE}: no bound)
   */
  PackingKafkaReader(
      UnboundedReader<KafkaRecord<byte[], byte[]>> kafka,
      RecordKind kind,
      PackLimits limits,
      int maxRecordBytes,
      boolean flushWhenIdle,
      long maxRecords,
      List<KV<Integer, RecordPack>> waiting) {
    this.kafka = kafka;
    this.packer = new AsReadPacker(kind, limits, maxRecordBytes);
    this.limits = limits;
    this.flushWhenIdle = flushWhenIdle;
    this.maxRecords = maxRecords;
    this.waiting.addAll(waiting);
  }

  /**
   * Moves to the next pack: a waiting one, else one of those the records read now fill; false if
   * there is none right now (KafkaIO's reader has nothing more, or the bound is read).
   */
  boolean advance() throws IOException {
    if (waiting.isEmpty()) {
      readUntilAPackLeaves();
    }
    current = waiting.poll();
    return current != null;
  }

  /** The records read so far. */
  long recordsRead() {
    return recordsRead;
  }

  /** True once {@code maxRecords} records are read: nothing more will come. */
  boolean boundRead() {
    return recordsRead >= maxRecords;
  }

  /** Hands out the packs still open (a bounded read's end by time): {@link #advance} returns them. */
  void flush() {
    packer.flush(toWaiting);
  }

  /**
   * Hands out the next waiting pack without reading more; false when none waits (a bounded read's
   * end: what was read leaves, nothing more is read).
   */
  boolean advanceWaiting() {
    current = waiting.poll();
    return current != null;
  }

  private void readUntilAPackLeaves() throws IOException {
    // At most one pack's bytes a call, however the records spread over buckets: what waits, and so
    // the checkpoint mark that carries it, stays within one pack's bytes (PackLimits), and a call
    // returns (with its watermark and the runner's checkpoint barriers) after that much reading.
    long bytesThisCall = 0;
    while (waiting.isEmpty() && recordsRead < maxRecords && bytesThisCall < limits.maxBytes()) {
      boolean available = kafkaStarted ? kafka.advance() : kafka.start();
      kafkaStarted = true;
      if (!available) {
        if (flushWhenIdle) {
          packer.flush(toWaiting);
        }
        return;
      }
      KafkaRecord<byte[], byte[]> record = kafka.getCurrent();
      if (record.getPartition() != partition || !record.getTopic().equals(topic)) {
        topic = record.getTopic();
        partition = record.getPartition();
        prefix = topic + "+" + partition + "+";
      }
      byte[] value = record.getKV().getValue();
      byte[] payload = value == null ? new byte[0] : value;
      packer.add(prefix, record.getOffset(), payload, kafka.getCurrentTimestamp().getMillis(), toWaiting);
      recordsRead++;
      bytesThisCall += payload.length;
    }
    // A pack left full, a pack's bytes were read, or the bound is read: the open packs leave too, so
    // that no record is in an open pack when the runner takes a checkpoint.
    packer.flush(toWaiting);
  }

  KV<Integer, RecordPack> current() {
    if (current == null) {
      throw new NoSuchElementException("no current pack");
    }
    return current;
  }

  /** The current pack's time: its earliest record's. */
  Instant currentTimestamp() {
    return Instant.ofEpochMilli(current().getValue().earliestTime());
  }

  /** KafkaIO's watermark, held at the earliest waiting pack's time, never moved back. */
  Instant watermark() {
    Instant now = kafka.getWatermark();
    for (KV<Integer, RecordPack> pack : waiting) {
      Instant time = Instant.ofEpochMilli(pack.getValue().earliestTime());
      if (time.isBefore(now)) {
        now = time;
      }
    }
    if (now.isAfter(watermark)) {
      watermark = now;
    }
    return watermark;
  }

  /** KafkaIO's mark (every record read is handed out or waiting) and the packs waiting, copied. */
  KafkaPackSource.Mark checkpointMark() {
    return new KafkaPackSource.Mark((KafkaCheckpointMark) kafka.getCheckpointMark(), new ArrayList<>(waiting));
  }

  long splitBacklogBytes() {
    return kafka.getSplitBacklogBytes();
  }

  long totalBacklogBytes() {
    return kafka.getTotalBacklogBytes();
  }

  void close() throws IOException {
    kafka.close();
  }
}
