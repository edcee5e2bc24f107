package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.parse.RowNumbers;
import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.contract.RecordKind;
import java.util.OptionalLong;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.joda.time.Instant;

/**
 * {@link PackRecordsFn#asRead}'s packing for a reader that packs the records it reads itself, so
 * no record becomes an element of its own (a Kafka read whose elements are packs, docs/streaming.md#the-read):
 * each record goes into its row-number bucket's open pack with its event time and row number, in
 * the global window (the source's); a pack leaves full (within {@link PackLimits}) or at {@link
 * #flush}, at its earliest record's time. The same packs, record for record, as the read's records
 * packed by {@code PackRecordsFn.asRead} in one bundle.
 *
 * <p>The records read are counted here, as they are packed: the Beam counter {@code <kind>_read}
 * once per pack as it leaves, as {@code PackRecordsFn} counts; {@code summary.json}'s count is
 * taken by post assembly from the packs' records, as before.
 *
 * <p>Not serializable: a reading step makes one per read.
 */
public final class AsReadPacker {
  /** Receives a pack that leaves: its bucket, and the time it goes out at. */
  public interface Emit {
    void emit(int bucket, RecordPack pack, Instant timestamp);
  }

  private final RecordKind kind;
  private final JsonRecordParser parser;
  private final OpenPacks<Integer, RecordPack> packs;
  private final Counter read;

  public AsReadPacker(RecordKind kind, PackLimits limits, int maxRecordBytes) {
    this.kind = kind;
    this.parser = new JsonRecordParser(kind, maxRecordBytes);
    this.packs = new OpenPacks<>(limits, RecordPack::new);
    this.read = JobCounters.counter(kind, QualityMetrics.READ);
  }

  /**
   * Packs one record read: origin {@code originPrefix + originNumber} (e.g. {@code
   * "<topic>+<partition>+"} and the offset), its bytes, its event time; emits what is full.
   */
  public void add(String originPrefix, long originNumber, byte[] payload, long millis, Emit emit) {
    OptionalLong rowNumber = RowNumbers.of(kind, payload);
    int bucket =
        rowNumber.isPresent()
            ? PackRecordsFn.bucketOf(parser, null, rowNumber)
            : PackRecordsFn.bucketOf(parser, RawRecord.of(originPrefix + originNumber, payload), rowNumber);
    packs.add(
        GlobalWindow.INSTANCE,
        bucket,
        pack -> pack.add(kind, originPrefix, originNumber, payload, millis, rowNumber),
        (w, key, full) -> leave(key, full, emit));
  }

  /** Emits every open pack (at the end of a read, or before a reader's position is saved). */
  public void flush(Emit emit) {
    packs.flush((w, key, pack) -> leave(key, pack, emit));
  }

  private void leave(int bucket, RecordPack pack, Emit emit) {
    read.inc(pack.size());
    emit.emit(bucket, pack, Instant.ofEpochMilli(pack.earliestTime()));
  }
}
