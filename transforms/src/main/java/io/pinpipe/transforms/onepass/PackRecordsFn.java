package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.clean.RowNumberBuckets;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.parse.RowNumbers;
import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.transforms.schema.RecordKind;
import java.util.Arrays;
import java.util.OptionalLong;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;

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
 */
final class PackRecordsFn extends DoFn<RawRecord, KV<Integer, RecordPack>> {
  private final RecordKind kind;
  private final PackLimits limits;
  private final int maxRecordBytes;
  private transient JsonRecordParser parser;
  private transient OpenPacks<Integer, RecordPack> packs;
  private transient Counter read;

  PackRecordsFn(RecordKind kind, PackLimits limits, int maxRecordBytes) {
    this.kind = kind;
    this.limits = limits;
    this.maxRecordBytes = maxRecordBytes;
  }

  @Setup
  public void setup() {
    parser = new JsonRecordParser(kind, maxRecordBytes);
    read = JobCounters.counter(kind, QualityMetrics.READ);
  }

  @StartBundle
  public void startBundle() {
    packs = new OpenPacks<>(limits, RecordPack::new);
  }

  @ProcessElement
  public void process(
      @Element RawRecord record, BoundedWindow window, OutputReceiver<KV<Integer, RecordPack>> out) {
    int bucket = bucketOf(record);
    packs.add(
        window,
        bucket,
        pack -> {
          pack.countRead(kind);
          pack.add(kind, record);
        },
        (w, key, full) -> {
          read.inc(full.read(kind));
          out.outputWithTimestamp(KV.of(key, full), w.maxTimestamp());
        });
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    packs.flush(
        (w, key, pack) -> {
          read.inc(pack.read(kind));
          context.output(KV.of(key, pack), w.maxTimestamp(), w);
        });
  }

  int bucketOf(RawRecord record) {
    OptionalLong rowNumber = RowNumbers.of(kind, record.payload);
    if (rowNumber.isPresent()) {
      return RowNumberBuckets.of(rowNumber.getAsLong());
    }
    Row parsed = parser.parse(record).row();
    return parsed != null
        ? RowNumberBuckets.of(parsed.getInt64(0))
        : RowNumberBuckets.of(Arrays.hashCode(record.payload));
  }
}
