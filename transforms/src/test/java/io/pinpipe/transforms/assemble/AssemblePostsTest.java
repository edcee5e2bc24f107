package io.pinpipe.transforms.assemble;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

/**
 * Post assembly on packs, on its own: what a bucket's one timer releases and when, how the
 * released packs are bounded, and the counts. The job's scenarios (windows, triggers, late data)
 * are StreamingWindowsTest's.
 */
public class AssemblePostsTest {
  private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
  private static final Duration MINUTE = Duration.standardMinutes(1);
  private static final Duration WAIT = Duration.standardSeconds(10);
  private static final IntervalWindow FIRST = new IntervalWindow(T0, MINUTE);
  private static final IntervalWindow SECOND = new IntervalWindow(T0.plus(MINUTE), MINUTE);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static Instant at(int seconds) {
    return T0.plus(Duration.standardSeconds(seconds));
  }

  /** A pack as read: records of row numbers {@code inds} of one kind, each at its second. */
  private static TimestampedValue<KV<Integer, RecordPack>> pack(int bucket, RecordKind kind, long[] inds, int[] seconds) {
    RecordPack pack = new RecordPack();
    for (int i = 0; i < inds.length; i++) {
      String json = "{\"" + kind.rowNumberField() + "\": " + inds[i] + "}";
      pack.add(
          kind,
          RawRecord.of("t-" + kind.id() + "+0+" + inds[i], json.getBytes(StandardCharsets.UTF_8)),
          at(seconds[i]).getMillis());
    }
    return TimestampedValue.of(KV.of(bucket, pack), new Instant(pack.earliestTime()));
  }

  private static TimestampedValue<KV<Integer, RecordPack>> pack(int bucket, RecordKind kind, long ind, int second) {
    return pack(bucket, kind, new long[] {ind}, new int[] {second});
  }

  private PCollectionTuple assemble(TestStream<KV<Integer, RecordPack>> packs, PackLimits limits) {
    return pipeline
        .apply(packs)
        .apply("AssemblePosts", AssemblePosts.waitingAtMost(WAIT, FixedWindows.of(MINUTE), limits));
  }

  /** Each released pack as "<bucket>:<row numbers by kind>:<records read>", in its window. */
  private static PCollection<String> described(PCollectionTuple assembled) {
    return assembled
        .get(AssemblePosts.PACKS)
        .apply("Windows", Window.into(FixedWindows.of(MINUTE)))
        .apply("Describe", ParDo.of(new DescribeFn()));
  }

  static final class DescribeFn extends DoFn<KV<Integer, RecordPack>, String> {
    @ProcessElement
    public void process(@Element KV<Integer, RecordPack> element, @Timestamp Instant timestamp, BoundedWindow window, OutputReceiver<String> out) {
      RecordPack pack = element.getValue();
      assertEquals("a released pack is stamped with its window's end", window.maxTimestamp(), timestamp);
      List<String> records = new ArrayList<>();
      long read = 0;
      for (RecordKind kind : RecordKind.values()) {
        read += pack.read(kind);
      }
      for (int i = 0; i < pack.size(); i++) {
        records.add(pack.kind(i).id() + pack.originNumber(i));
      }
      records.sort(null);
      assertTrue("released packs carry no event times", !pack.timed());
      out.output(element.getKey() + ":" + String.join(",", records) + ":" + read);
    }
  }

  private static PCollection<KV<String, Long>> counts(PCollectionTuple assembled) {
    return assembled
        .get(AssemblePosts.METRICS)
        .apply("CountWindows", Window.into(FixedWindows.of(MINUTE)))
        .apply("SumCounts", Sum.longsPerKey());
  }

  @Test
  public void aPostLeavesWhenCompleteInItsLatestRecordsWindowAndAnIncompleteOneAtItsDeadline() {
    TestStream<KV<Integer, RecordPack>> packs =
        TestStream.create(KvCoder.of(VarIntCoder.of(), RecordPack.Coder.of()))
            .advanceWatermarkTo(at(0))
            // Bucket 7: post 1 complete across the minute (pin at 55 s, user at 61 s); post 2 never
            // gets its user, so it leaves at its deadline, 50 + 10 s, stamped 52 s.
            .addElements(pack(7, RecordKind.PIN, new long[] {1, 2}, new int[] {55, 50}))
            .addElements(pack(7, RecordKind.GEO, new long[] {2, 1}, new int[] {52, 58}))
            .addElements(pack(7, RecordKind.USER, 1, 61))
            // Bucket 8: an unreadable record goes straight on, at its own time.
            .addElements(unreadable(8, 20))
            .advanceWatermarkTo(at(59))
            .advanceWatermarkTo(at(60))
            .advanceWatermarkToInfinity();
    PCollectionTuple assembled = assemble(packs, PackLimits.defaults());

    PCollection<String> released = described(assembled);
    PCollection<KV<String, Long>> counts = counts(assembled);
    PAssert.that(released).inWindow(FIRST).containsInAnyOrder("7:geo2,pin2:2", "8:pin-1:1");
    PAssert.that(released).inWindow(SECOND).containsInAnyOrder("7:geo1,pin1,user1:3");
    PAssert.that(counts)
        .inWindow(FIRST)
        .containsInAnyOrder(KV.of("posts|incomplete", 1L), KV.of("posts|missing_user", 1L));
    PAssert.that(counts).inWindow(SECOND).containsInAnyOrder(KV.of("posts|complete", 1L));
    pipeline.run().waitUntilFinish();
  }

  /** More records released in a bundle than a pack may hold: they leave in several packs. */
  @Test
  public void releasedPacksStayWithinTheirBound() {
    long[] inds = new long[10];
    int[] seconds = new int[10];
    for (int i = 0; i < 10; i++) {
      inds[i] = i;
      seconds[i] = 5;
    }
    TestStream<KV<Integer, RecordPack>> packs =
        TestStream.create(KvCoder.of(VarIntCoder.of(), RecordPack.Coder.of()))
            .advanceWatermarkTo(at(0))
            .addElements(pack(3, RecordKind.PIN, inds, seconds))
            .addElements(pack(3, RecordKind.GEO, inds, seconds))
            .addElements(pack(3, RecordKind.USER, inds, seconds))
            .advanceWatermarkToInfinity();
    PCollectionTuple assembled = assemble(packs, PackLimits.of(4, 1 << 20, 64L << 20));

    PCollection<Long> sizes =
        assembled
            .get(AssemblePosts.PACKS)
            .apply("SizeWindows", Window.into(FixedWindows.of(MINUTE)))
            .apply("Sizes", ParDo.of(new SizeFn()));
    PAssert.that(sizes.apply("Total", Sum.longsGlobally().withoutDefaults())).inWindow(FIRST).containsInAnyOrder(30L);
    PAssert.that(counts(assembled)).inWindow(FIRST).containsInAnyOrder(KV.of("posts|complete", 10L));
    pipeline.run().waitUntilFinish();
  }

  static final class SizeFn extends DoFn<KV<Integer, RecordPack>, Long> {
    @ProcessElement
    public void process(@Element KV<Integer, RecordPack> element, OutputReceiver<Long> out) {
      RecordPack pack = element.getValue();
      assertTrue("a pack holds at most 4 records: " + pack.size(), pack.size() <= 4);
      out.output((long) pack.size());
    }
  }

  private static TimestampedValue<KV<Integer, RecordPack>> unreadable(int bucket, int second) {
    RecordPack pack = new RecordPack();
    pack.add(RecordKind.PIN, RawRecord.of("t-pin", "not json".getBytes(StandardCharsets.UTF_8)), at(second).getMillis());
    return TimestampedValue.of(KV.of(bucket, pack), at(second));
  }
}
