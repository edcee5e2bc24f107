package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.clean.RowNumberBuckets;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.parse.RowNumbers;
import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.contract.RecordKind;
import java.util.Arrays;
import java.util.OptionalLong;
import org.apache.beam.sdk.metrics.Counter;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;

/**
 * Routes one kind's raw records to their {@link RowNumberBuckets row-number bucket} and packs
 * them ({@link RecordPack}), so that one shuffle of packs brings every record of a row number
 * together: duplicates, conflicts and the pin⋈geo and pin⋈user joins are then found in one place.
 *
 * <p>The row number is read cheaply ({@link RowNumbers}); a record where that fails is parsed in
 * full, so a record the parser accepts always lands in its row number's bucket (for instance
 * {@code "ind": 12.0}). A record that cannot be parsed goes to a bucket chosen by its bytes, to be
 * dead-lettered there.
 *
 * <p>The records read are counted here, where they are read: in each pack ({@link RecordPack#read},
 * for {@code summary.json}) and, once per pack as it leaves, as the Beam counter {@code <kind>_read}
 * ({@link JobCounters}).
 *
 * <p>In streaming with post assembly ({@link #asRead}) records are packed straight after the read,
 * in the source's global window, with their event times; a pack's timestamp is its earliest
 * record's. Assembly then releases them into their windows, and counts them into the packs it
 * releases, per window ({@link RecordPack#read}); the Beam counter is still taken here.
 */
final class PackRecordsFn extends DoFn<RawRecord, KV<Integer, RecordPack>> {
  private final RecordKind kind;
  private final PackLimits limits;
  private final int maxRecordBytes;
  private final boolean timed;
  /** False in a second pass over records the job already counted (the Beam counter only). */
  private final boolean counted;
  private transient JsonRecordParser parser;
  private transient OpenPacks<Integer, RecordPack> packs;
  private transient @Nullable Counter read;

  PackRecordsFn(RecordKind kind, PackLimits limits, int maxRecordBytes) {
    this(kind, limits, maxRecordBytes, false, true);
  }

  private PackRecordsFn(RecordKind kind, PackLimits limits, int maxRecordBytes, boolean timed, boolean counted) {
    this.kind = kind;
    this.limits = limits;
    this.maxRecordBytes = maxRecordBytes;
    this.timed = timed;
    this.counted = counted;
  }

  /** The same packing, without adding to the Beam counter of records read. */
  PackRecordsFn uncounted() {
    return new PackRecordsFn(kind, limits, maxRecordBytes, timed, false);
  }

  /** Packs for post assembly: each record with its event time, the pack at its earliest. */
  static PackRecordsFn asRead(RecordKind kind, PackLimits limits, int maxRecordBytes) {
    return new PackRecordsFn(kind, limits, maxRecordBytes, true, true);
  }

  /**
   * A timed pack goes out at its earliest record's time, which may be before the record at hand:
   * no earlier than any record in it, so nothing becomes late that was not.
   */
  @Override
  @SuppressWarnings("deprecation")
  public org.joda.time.Duration getAllowedTimestampSkew() {
    return timed ? org.joda.time.Duration.millis(Long.MAX_VALUE) : super.getAllowedTimestampSkew();
  }

  @Setup
  public void setup() {
    parser = new JsonRecordParser(kind, maxRecordBytes);
    read = counted ? JobCounters.counter(kind, QualityMetrics.READ) : null;
  }

  @StartBundle
  public void startBundle() {
    packs = new OpenPacks<>(limits, RecordPack::new);
  }

  @ProcessElement
  public void process(
      @Element RawRecord record,
      @Timestamp Instant timestamp,
      BoundedWindow window,
      OutputReceiver<KV<Integer, RecordPack>> out) {
    OptionalLong rowNumber = RowNumbers.of(kind, record.payload);
    int bucket = bucketOf(record, rowNumber);
    packs.add(
        window,
        bucket,
        pack -> {
          if (timed) {
            // The row number travels with the record: assembly holds it by that, without reading it again.
            pack.add(kind, record, timestamp.getMillis(), rowNumber);
          } else {
            pack.countRead(kind);
            pack.add(kind, record);
          }
        },
        (w, key, full) -> {
          if (read != null) {
            read.inc(readIn(full));
          }
          out.outputWithTimestamp(KV.of(key, full), timestampOf(w, full));
        });
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    packs.flush(
        (w, key, pack) -> {
          if (read != null) {
            read.inc(readIn(pack));
          }
          context.output(KV.of(key, pack), timestampOf(w, pack), w);
        });
  }

  private long readIn(RecordPack pack) {
    return timed ? pack.size() : pack.read(kind);
  }

  private Instant timestampOf(BoundedWindow window, RecordPack pack) {
    return timed ? Instant.ofEpochMilli(pack.earliestTime()) : window.maxTimestamp();
  }

  int bucketOf(RawRecord record) {
    return bucketOf(record, RowNumbers.of(kind, record.payload));
  }

  private int bucketOf(RawRecord record, OptionalLong rowNumber) {
    return bucketOf(parser, record, rowNumber);
  }

  /** The bucket of a record whose row number {@link RowNumbers} read, or could not read. */
  static int bucketOf(JsonRecordParser parser, RawRecord record, OptionalLong rowNumber) {
    if (rowNumber.isPresent()) {
      return RowNumberBuckets.of(rowNumber.getAsLong());
    }
    Row parsed = parser.parse(record).row();
    return parsed != null
        ? RowNumberBuckets.of(parsed.getInt64(parser.kind().rowNumberField()))
        : RowNumberBuckets.of(Arrays.hashCode(record.payload));
  }
}
