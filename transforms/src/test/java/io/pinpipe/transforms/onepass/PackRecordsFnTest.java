package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.parse.JsonRecordParser;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * {@link PackRecordsFn} (and the {@link OpenPacks} it fills) driven by hand through one bundle: no
 * pack it emits holds more than {@link PackLimits#maxRecords()} records or grows past {@link
 * PackLimits#maxBytes()} by more than its last record, the packs it keeps open never hold {@link
 * PackLimits#maxOpenBytes()} together, and at the bundle's end it has emitted every record it was
 * given, once, in its window and bucket, with the read counts of the records each pack holds.
 */
@RunWith(JUnit4.class)
public class PackRecordsFnTest {

  /** A pack emitted, with where and when, and whether it came out at the bundle's end. */
  private static final class Emitted {
    final BoundedWindow window;
    final int bucket;
    final RecordPack pack;
    final Instant timestamp;
    final boolean atFinish;

    Emitted(BoundedWindow window, int bucket, RecordPack pack, Instant timestamp, boolean atFinish) {
      this.window = window;
      this.bucket = bucket;
      this.pack = pack;
      this.timestamp = timestamp;
      this.atFinish = atFinish;
    }
  }

  /** One bundle through {@code fn}: each record in its window, then the bundle's end. */
  private static final class Bundle {
    final PackRecordsFn fn;
    final PackLimits limits;
    final List<Emitted> emitted = new ArrayList<>();
    /** Bytes of the records processed and not yet emitted, as the packs count them. */
    long pendingBytes;
    long maxPendingBytes;

    Bundle(RecordKind kind, PackLimits limits) {
      this.fn = new PackRecordsFn(kind, limits, JsonRecordParser.DEFAULT_MAX_RECORD_BYTES);
      this.limits = limits;
      fn.setup();
      fn.startBundle();
    }

    void process(RawRecord record, BoundedWindow window) {
      pendingBytes += bytesOf(record);
      fn.process(
          record,
          window.maxTimestamp(),
          window,
          new DoFn.OutputReceiver<KV<Integer, RecordPack>>() {
            @Override
            public void output(KV<Integer, RecordPack> pack) {
              throw new AssertionError("packs carry their window's end as timestamp");
            }

            @Override
            public void outputWithTimestamp(KV<Integer, RecordPack> pack, Instant timestamp) {
              emit(window, pack, timestamp, false);
            }
          });
      maxPendingBytes = Math.max(maxPendingBytes, pendingBytes);
      assertThat("bytes held in open packs", pendingBytes, lessThan(limits.maxOpenBytes()));
    }

    void finish() {
      fn.finishBundle(
          fn.new FinishBundleContext() {
            @Override
            public PipelineOptions getPipelineOptions() {
              return PipelineOptionsFactory.create();
            }

            @Override
            public void output(KV<Integer, RecordPack> pack, Instant timestamp, BoundedWindow window) {
              emit(window, pack, timestamp, true);
            }

            @Override
            public <T> void output(TupleTag<T> tag, T output, Instant timestamp, BoundedWindow window) {
              throw new AssertionError("PackRecordsFn has one output");
            }
          });
    }

    private void emit(BoundedWindow window, KV<Integer, RecordPack> pack, Instant timestamp, boolean atFinish) {
      emitted.add(new Emitted(window, pack.getKey(), pack.getValue(), timestamp, atFinish));
      for (int i = 0; i < pack.getValue().size(); i++) {
        pendingBytes -= bytesOf(pack.getValue().record(i));
      }
    }

    /** Every record emitted, in a form that compares by content. */
    List<String> records() {
      List<String> records = new ArrayList<>();
      for (Emitted e : emitted) {
        for (int i = 0; i < e.pack.size(); i++) {
          records.add(describe(e.window, e.pack.kind(i), e.pack.record(i)));
        }
      }
      return records;
    }
  }

  /** What a record adds to a pack's bytes ({@link RecordPack#add}). */
  private static long bytesOf(RawRecord record) {
    return record.payload.length + record.origin.length() + 8;
  }

  private static String describe(BoundedWindow window, RecordKind kind, RawRecord record) {
    return window + " " + kind + " " + record.origin + " " + new String(record.payload, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static List<RawRecord> pins(int n, int rowNumbers) {
    List<RawRecord> pins = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long ind = i % rowNumbers;
      pins.add(OnePassFixtures.raw("pins:" + i, OnePassFixtures.pin(ind, "t" + i)));
    }
    return pins;
  }

  /** The bounds hold for every emitted pack, and every record came out once, in its bucket. */
  private static void assertBoundedAndComplete(Bundle bundle, RecordKind kind, List<String> expected) {
    PackLimits limits = bundle.limits;
    for (Emitted e : bundle.emitted) {
      RecordPack pack = e.pack;
      assertTrue("an empty pack was emitted", pack.size() > 0);
      assertThat("records in a pack", pack.size(), lessThanOrEqualTo(limits.maxRecords()));
      long withoutLast = pack.bytes() - bytesOf(pack.record(pack.size() - 1));
      assertThat("a pack's bytes before its last record", withoutLast, lessThan((long) limits.maxBytes()));
      assertEquals("a pack's timestamp", e.window.maxTimestamp(), e.timestamp);
      for (int i = 0; i < pack.size(); i++) {
        assertEquals("a record's bucket", e.bucket, bundle.fn.bucketOf(pack.record(i)));
      }
      for (RecordKind each : RecordKind.values()) {
        assertEquals("read counts of " + each, each == kind ? pack.size() : 0, pack.read(each));
      }
    }
    assertThat(bundle.records(), containsInAnyOrder(expected.toArray()));
  }

  @Test
  public void packsHoldAtMostMaxRecordsAndTheBundleEndEmitsTheRest() {
    // 1,000 pins on 40 row numbers: a few buckets, each far more records than a pack holds.
    PackLimits limits = PackLimits.of(7, 1 << 20, 64L << 20);
    Bundle bundle = new Bundle(RecordKind.PIN, limits);
    List<String> expected = new ArrayList<>();
    for (RawRecord pin : pins(1_000, 40)) {
      bundle.process(pin, GlobalWindow.INSTANCE);
      expected.add(describe(GlobalWindow.INSTANCE, RecordKind.PIN, pin));
    }
    int emittedWhileProcessing = bundle.records().size();
    assertTrue("full packs go out at once", emittedWhileProcessing > 0);
    for (Emitted e : bundle.emitted) {
      assertEquals("a pack emitted before the bundle's end is full", limits.maxRecords(), e.pack.size());
    }
    bundle.finish();

    assertBoundedAndComplete(bundle, RecordKind.PIN, expected);
    assertTrue("the bundle's end emits what is left", bundle.records().size() > emittedWhileProcessing);
    Map<Integer, Integer> atFinishPerBucket = new HashMap<>();
    for (Emitted e : bundle.emitted) {
      if (e.atFinish) {
        atFinishPerBucket.merge(e.bucket, 1, Integer::sum);
      }
    }
    atFinishPerBucket.forEach((bucket, packs) -> assertEquals("open packs of bucket " + bucket, 1, (int) packs));
  }

  @Test
  public void packsStopAtMaxBytesAndOpenPacksAtMaxOpenBytes() {
    // A pin is about 350 bytes: 200 bytes a pack make one pin a pack; 1,000 open bytes flush often.
    PackLimits limits = PackLimits.of(100, 200, 1_000);
    Bundle bundle = new Bundle(RecordKind.PIN, limits);
    List<String> expected = new ArrayList<>();
    for (RawRecord pin : pins(300, 300)) {
      bundle.process(pin, GlobalWindow.INSTANCE);
      expected.add(describe(GlobalWindow.INSTANCE, RecordKind.PIN, pin));
    }
    bundle.finish();

    assertBoundedAndComplete(bundle, RecordKind.PIN, expected);
    for (Emitted e : bundle.emitted) {
      assertEquals("a pin is over the byte bound alone", 1, e.pack.size());
    }

    // Geos are smaller: several fit a pack, and the open bytes bound the packs of many buckets.
    Bundle geos = new Bundle(RecordKind.GEO, PackLimits.of(100, 400, 1_000));
    List<String> expectedGeos = new ArrayList<>();
    for (long ind = 0; ind < 500; ind++) {
      RawRecord geo = OnePassFixtures.raw("geos:" + ind, OnePassFixtures.geo(ind));
      geos.process(geo, GlobalWindow.INSTANCE);
      expectedGeos.add(describe(GlobalWindow.INSTANCE, RecordKind.GEO, geo));
    }
    int emittedWhileProcessing = geos.records().size();
    geos.finish();
    assertBoundedAndComplete(geos, RecordKind.GEO, expectedGeos);
    assertTrue("open packs were emitted before the bundle's end", emittedWhileProcessing > 0);
    assertTrue(
        "some packs hold several geos",
        geos.emitted.stream().anyMatch(e -> e.pack.size() > 1));
  }

  @Test
  public void packsKeepTheirRecordsWindowAndTheBundleEndEmitsEveryWindowsPacks() {
    PackLimits limits = PackLimits.of(5, 1 << 20, 64L << 20);
    Bundle bundle = new Bundle(RecordKind.USER, limits);
    IntervalWindow first = new IntervalWindow(new Instant(0), new Instant(60_000));
    IntervalWindow second = new IntervalWindow(new Instant(60_000), new Instant(120_000));
    List<String> expected = new ArrayList<>();
    for (long ind = 0; ind < 60; ind++) {
      BoundedWindow window = ind % 2 == 0 ? first : second;
      RawRecord user = OnePassFixtures.raw("users:" + ind, OnePassFixtures.user(ind % 7, 30));
      bundle.process(user, window);
      expected.add(describe(window, RecordKind.USER, user));
    }
    bundle.finish();

    assertBoundedAndComplete(bundle, RecordKind.USER, expected);
    assertTrue(bundle.emitted.stream().anyMatch(e -> e.atFinish && e.window.equals(first)));
    assertTrue(bundle.emitted.stream().anyMatch(e -> e.atFinish && e.window.equals(second)));
  }

  @Test
  public void aNewBundleStartsWithNoOpenPacks() {
    Bundle bundle = new Bundle(RecordKind.PIN, PackLimits.defaults());
    RawRecord pin = OnePassFixtures.raw("pins:1", OnePassFixtures.pin(1, "t"));
    bundle.process(pin, GlobalWindow.INSTANCE);
    bundle.finish();
    assertEquals(1, bundle.emitted.size());

    bundle.fn.startBundle();
    bundle.finish();
    assertEquals("the second bundle emits nothing of the first", 1, bundle.emitted.size());
  }

  @Test
  public void unparseableRecordsArePackedToo() {
    Bundle bundle = new Bundle(RecordKind.GEO, PackLimits.of(2, 1 << 20, 64L << 20));
    List<String> expected = new ArrayList<>();
    for (String json : List.of("[1, 2]", "{ind: 3}", "", "{\"ind\": 12.0, \"country\": \"Chad\"}", "\"x\"")) {
      RawRecord record = OnePassFixtures.raw("geos:" + expected.size(), json);
      bundle.process(record, GlobalWindow.INSTANCE);
      expected.add(describe(GlobalWindow.INSTANCE, RecordKind.GEO, record));
    }
    bundle.finish();
    assertBoundedAndComplete(bundle, RecordKind.GEO, expected);
  }
}
