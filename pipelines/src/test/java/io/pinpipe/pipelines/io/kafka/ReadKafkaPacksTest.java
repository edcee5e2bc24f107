package io.pinpipe.pipelines.io.kafka;

import static org.junit.Assert.assertEquals;

import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.transforms.clean.RowNumberBuckets;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;

/**
 * The bounded Kafka read that packs as it reads ({@link ReadKafkaPacks}, through {@link
 * KafkaStreamSource#readPacked}), against a real broker: which records a bound reads, and for
 * each its origin, event time (the record's timestamp), row number and bucket, each pack at its
 * earliest record's time, and the {@code read} counter. Two partitions of 4 records each, one of
 * them not JSON (bucket by its bytes). And the live, unbounded read ({@link KafkaPackSource}): packs
 * leave full or when Kafka has nothing more, and a reader restored from a checkpoint mark hands out
 * what was waiting, then reads on from the mark. About 10 s, most of it the broker's start.
 */
public class ReadKafkaPacksTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String PREFIX = "packs";
  private static final String TOPIC = PREFIX + ".geo";
  /** Record i of partition p: {"ind": 10p + i}, sent at 1,000,000 + 1000 (10p + i) ms; p1's third is not JSON. */
  private static final long T0 = 1_000_000L;

  private static final String LIVE = "live";
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();
  /** The unbounded read of "live.geo", one split, packs of at most 3 records. */
  private static KafkaPackSource LIVE_SOURCE;

  @BeforeClass
  public static void send() throws Exception {
    sendLive();
    KafkaStreamSource live =
        new KafkaStreamSource(
            Map.of("bootstrap.servers", KAFKA.bootstrapServers()), LIVE, StartPosition.earliest(), "live-test", 0, null);
    LIVE_SOURCE =
        ((ReadKafkaPacks) live.readPacked(RecordKind.GEO, PackLimits.of(3, 1 << 20, 1 << 20), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES).get())
            .unboundedSource()
            .split(1, OPTIONS)
            .get(0);
    KAFKA.createTopics(PREFIX, 2);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      for (int i = 0; i < 4; i++) {
        records.add(new ProducerRecord<>(TOPIC, p, time(p, i), null, payload(p, i)));
      }
    }
    KAFKA.send(records);
  }

  private static long time(int p, int i) {
    return T0 + 1000L * (10 * p + i);
  }

  private static byte[] payload(int p, int i) {
    String text = p == 1 && i == 2 ? "not json" : "{\"ind\": " + (10 * p + i) + ", \"x\": 1}";
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** What the read should give for record i of partition p: origin, time, row number, bucket. */
  private static String expected(int p, int i) {
    boolean json = !(p == 1 && i == 2);
    int bucket = json ? RowNumberBuckets.of(10 * p + i) : RowNumberBuckets.of(Arrays.hashCode(payload(p, i)));
    return TOPIC + "+" + p + "+" + i + " at " + time(p, i) + " row " + (json ? String.valueOf(10 * p + i) : "none")
        + " bucket " + bucket;
  }

  private KafkaStreamSource source(long maxRecords, Duration maxReadTime) {
    return new KafkaStreamSource(
        Map.of("bootstrap.servers", KAFKA.bootstrapServers()), PREFIX, StartPosition.earliest(), "packs-test",
        maxRecords, maxReadTime);
  }

  @Test
  public void aRecordBoundReadsItsShareOfEachPartitionAsTimedPacks() {
    // 6 records over the topic's two partitions (Beam's bounded read gives each split an equal
    // share): offsets 0-2 of each.
    PCollection<KV<Integer, RecordPack>> packs =
        pipeline.apply(
            "ReadGeo",
            source(6, null).readPacked(RecordKind.GEO, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES).get());
    List<String> want = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      for (int i = 0; i < 3; i++) {
        want.add(expected(p, i));
      }
    }
    PAssert.that(packs.apply("Unpack", ParDo.of(new Describe()))).containsInAnyOrder(want);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(6L, read(result));
  }

  @Test
  public void aTimeBoundReadsWhatThereIsAndEnds() {
    PCollection<KV<Integer, RecordPack>> packs =
        pipeline.apply(
            "ReadGeo",
            source(0, Duration.standardSeconds(2))
                .readPacked(RecordKind.GEO, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES).get());
    List<String> want = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      for (int i = 0; i < 4; i++) {
        want.add(expected(p, i));
      }
    }
    PAssert.that(packs.apply("Unpack", ParDo.of(new Describe()))).containsInAnyOrder(want);
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    assertEquals(8L, read(result));
  }

  @Test
  public void anUnboundedReadHandsOutPacksFullAtTheLimitAndTheRestWhenKafkaHasNoMore() throws Exception {
    // Records 0-9 of "live.geo" (one partition) alternate between two buckets; packs hold 3.
    // Reading 0-4 fills bucket A's pack {0,2,4}: it leaves, and B's {1,3} with it (no record stays
    // in an open pack between reads); the mark then carries {1,3}.
    UnboundedReader<KV<Integer, RecordPack>> first = LIVE_SOURCE.createReader(OPTIONS, null);
    assertEquals(List.of(0L, 2L, 4L), offsets(firstPack(first)));
    assertEquals(new Instant(liveTime(0)), first.getCurrentTimestamp());
    // KafkaIO's watermark (caught up: now - 2 s) held at the waiting pack's earliest record.
    assertEquals(new Instant(liveTime(1)), first.getWatermark());
    KafkaPackSource.Mark mark = CoderUtils.clone(LIVE_SOURCE.getCheckpointMarkCoder(), (KafkaPackSource.Mark) first.getCheckpointMark());
    first.close();

    // Restored from the mark: the waiting pack first, then on from offset 5: B fills with
    // {5,7,9}, and A's {6,8} leaves when Kafka has nothing more (not full).
    UnboundedReader<KV<Integer, RecordPack>> restored = LIVE_SOURCE.createReader(OPTIONS, mark);
    List<List<Long>> packs = new ArrayList<>();
    packs.add(offsets(firstPack(restored)));
    // KafkaIO's reader answers its first reads before its fetch has come back: ask until the five
    // records after the mark are out (or a minute passes, when the assertion below says what came).
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (packs.stream().mapToInt(List::size).sum() < 7 && System.nanoTime() < deadline) {
      if (restored.advance()) {
        packs.add(offsets(restored.getCurrent()));
      } else {
        Thread.sleep(50);
      }
    }
    assertEquals(List.of(List.of(1L, 3L), List.of(5L, 7L, 9L), List.of(6L, 8L)), packs);
    assertEquals(false, restored.advance());
    restored.close();
  }

  @Test
  public void anUnboundedReadIsPacked() {
    assertEquals(
        true,
        source(0, null).readPacked(RecordKind.GEO, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES).isPresent());
  }

  /** Offsets 0-9 of "live.geo", all in one partition: even offsets in bucket A, odd in bucket B. */
  private static void sendLive() throws Exception {
    KAFKA.createTopics(LIVE, 1);
    int bucketA = RowNumberBuckets.of(0);
    List<Long> inA = new ArrayList<>();
    List<Long> inB = new ArrayList<>();
    int bucketB = -1;
    for (long row = 0; inA.size() < 5 || inB.size() < 5; row++) {
      int bucket = RowNumberBuckets.of(row);
      if (bucket == bucketA) {
        inA.add(row);
      } else if (bucketB == -1 || bucket == bucketB) {
        bucketB = bucket;
        inB.add(row);
      }
    }
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      long row = (i % 2 == 0 ? inA : inB).get(i / 2);
      records.add(
          new ProducerRecord<>(LIVE + ".geo", 0, liveTime(i), null, ("{\"ind\": " + row + "}").getBytes(StandardCharsets.UTF_8)));
    }
    KAFKA.send(records);
  }

  private static long liveTime(int offset) {
    return T0 + 1000L * offset;
  }

  /** The reader's first pack: KafkaIO's consumer may not have fetched yet when the reader starts. */
  private static KV<Integer, RecordPack> firstPack(UnboundedReader<KV<Integer, RecordPack>> reader) throws Exception {
    boolean available = reader.start();
    for (int tries = 0; !available && tries < 300; tries++) {
      Thread.sleep(100);
      available = reader.advance();
    }
    assertEquals("a pack within 30 s", true, available);
    return reader.getCurrent();
  }

  /** A pack's Kafka offsets, checking each origin is "live.geo+0+<offset>". */
  private static List<Long> offsets(KV<Integer, RecordPack> kv) {
    RecordPack pack = kv.getValue();
    List<Long> offsets = new ArrayList<>();
    for (int i = 0; i < pack.size(); i++) {
      assertEquals(LIVE + ".geo+0+" + pack.originNumber(i), pack.record(i).origin);
      assertEquals(liveTime((int) pack.originNumber(i)), pack.time(i));
      offsets.add(pack.originNumber(i));
    }
    return offsets;
  }

  private static long read(PipelineResult result) {
    long sum = 0;
    for (MetricResult<Long> counter :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(
                        MetricNameFilter.named(JobCounters.NAMESPACE, JobCounters.name(RecordKind.GEO, QualityMetrics.READ)))
                    .build())
            .getCounters()) {
      sum += counter.getAttempted();
    }
    return sum;
  }

  /** Each record of a pack as "origin at time row n bucket b"; fails if the pack's time is not its earliest. */
  static final class Describe extends DoFn<KV<Integer, RecordPack>, String> {
    @ProcessElement
    public void process(@Element KV<Integer, RecordPack> kv, @Timestamp Instant timestamp, OutputReceiver<String> out) {
      RecordPack pack = kv.getValue();
      long earliest = Long.MAX_VALUE;
      for (int i = 0; i < pack.size(); i++) {
        earliest = Math.min(earliest, pack.time(i));
        out.output(
            pack.record(i).origin + " at " + pack.time(i) + " row "
                + (pack.hasRowNumber(i) ? String.valueOf(pack.rowNumber(i)) : "none") + " bucket " + kv.getKey());
      }
      if (timestamp.getMillis() != earliest || pack.earliestTime() != earliest) {
        throw new AssertionError("pack at " + timestamp + ", its earliest record at " + earliest);
      }
    }
  }
}
