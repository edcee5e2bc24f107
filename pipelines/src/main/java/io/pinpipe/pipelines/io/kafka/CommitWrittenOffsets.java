package io.pinpipe.pipelines.io.kafka;

import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.transforms.onepass.RecordPack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits, per partition, only the offset below which every record the streaming job read is in a
 * written file (docs/streaming.md#restarts-what-resumes-where), so a job killed at any point and restarted from the
 * group's offsets reads again every record whose window it had not written: at least once.
 *
 * <p>KafkaIO's own {@code commitOffsetsInFinalize} commits what a read bundle read as soon as the
 * runner finalizes the bundle, before the windows holding those records are written. Instead:
 *
 * <ol>
 *   <li>{@link SummariseFn} reads, per bundle, the offsets in the packs the job shuffles (every
 *       record, in the window post assembly finally put it in) and emits one {@link
 *       WrittenOffsets} per window and partition: a few ranges, not an element per record.
 *   <li>{@link CommitFn}, keyed by partition in the global window, keeps each open window's
 *       offsets ({@link PartitionProgress}). Every writer's output (tables, dead letters, results,
 *       summaries), even without elements, is flattened into its input, so its watermark passes a
 *       window's end plus the allowed lateness only once that window's last pane is in its files;
 *       an event-time timer then counts the window as written.
 *   <li>It commits the first offset not yet written, when that moves the group forward: offsets
 *       still on their way (a read bundle, post assembly) and open windows hold it back.
 * </ol>
 */
public final class CommitWrittenOffsets extends PTransform<PCollection<KV<Integer, RecordPack>>, PDone> {
  /** Crash points (the crash tests): a window written, its offset not yet committed. */
  public static final String BEFORE_COMMIT = "streaming-offsets-before-commit";
  /** Crash point: just after an offset was committed. */
  public static final String AFTER_COMMIT = "streaming-offsets-committed";

  private final List<PCollection<?>> written;
  private final org.joda.time.Duration allowedLateness;
  private final Map<String, Object> clientConfig;
  private final String groupId;
  private final Map<String, Long> starts;
  private final Map<String, Long> committed;

  /**
   * @param written every writer's output: the committer waits for their watermark
   * @param starts where this run reads each partition from, by {@code <topic>+<partition>+}
   * @param committed the group's offsets when the run started, likewise
   */
  public CommitWrittenOffsets(
      List<PCollection<?>> written,
      org.joda.time.Duration allowedLateness,
      Map<String, Object> clientConfig,
      String groupId,
      Map<String, Long> starts,
      Map<String, Long> committed) {
    this.written = List.copyOf(written);
    this.allowedLateness = allowedLateness;
    this.clientConfig = new HashMap<>(clientConfig);
    this.groupId = groupId;
    this.starts = new HashMap<>(starts);
    this.committed = new HashMap<>(committed);
  }

  /** The key of a partition in the offsets' collections: the origin prefix of its records. */
  public static String key(String topic, int partition) {
    return topic + "+" + partition + "+";
  }

  @Override
  public PDone expand(PCollection<KV<Integer, RecordPack>> packs) {
    KvCoder<String, WrittenOffsets> coder = KvCoder.of(StringUtf8Coder.of(), WrittenOffsets.Coder.of());
    PCollectionList<KV<String, WrittenOffsets>> inputs =
        PCollectionList.of(
            packs
                .apply("SummariseOffsetsPerWindow", ParDo.of(new SummariseFn(allowedLateness)))
                .setCoder(coder)
                .apply("OffsetsInGlobalWindow", inGlobalWindow()));
    for (int i = 0; i < written.size(); i++) {
      inputs =
          inputs.and(
              written
                  .get(i)
                  .apply("WatermarkOfWriter" + (i + 1), ParDo.of(new NoElementsFn<>()))
                  .setCoder(coder)
                  .apply("WriterInGlobalWindow" + (i + 1), inGlobalWindow()));
    }
    Map<String, Object> consumer = KafkaOffsets.consumerConfig(clientConfig, java.util.Optional.of(groupId));
    // The gap look-up needs one record, not a fetch's worth.
    consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    inputs
        .apply("OffsetsAndWriters", Flatten.pCollections())
        .apply(
            "CommitWrittenOffsets",
            ParDo.of(
                new CommitFn(
                    KafkaSecrets.withoutSecrets(consumer), KafkaSecrets.consumerFactory(consumer), groupId, starts, committed)));
    return PDone.in(packs.getPipeline());
  }

  /**
   * Per bundle, each partition's offsets in each window ({@link SummariseFn}): what the streaming
   * Iceberg tables' commit step learns each window's offsets from, too.
   */
  public static DoFn<KV<Integer, RecordPack>, KV<String, WrittenOffsets>> summariseOffsets(
      org.joda.time.Duration allowedLateness) {
    return new SummariseFn(allowedLateness);
  }

  private static Window<KV<String, WrittenOffsets>> inGlobalWindow() {
    return Window.<KV<String, WrittenOffsets>>into(new GlobalWindows())
        .triggering(DefaultTrigger.of())
        .withAllowedLateness(org.joda.time.Duration.ZERO)
        .discardingFiredPanes();
  }

  /** Passes no element on: only the writer's watermark reaches the committer. */
  static final class NoElementsFn<T> extends DoFn<T, KV<String, WrittenOffsets>> {
    @ProcessElement
    public void process() {}
  }

  /**
   * Per bundle, the offsets of each partition in each window, as ranges: emitted when the bundle
   * finishes, in the window, at the window's end, so they reach the committer before its
   * watermark can pass that window (a runner commits a bundle's output before its watermark).
   */
  static final class SummariseFn extends DoFn<KV<Integer, RecordPack>, KV<String, WrittenOffsets>> {
    private final org.joda.time.Duration allowedLateness;
    private transient Map<BoundedWindow, Map<String, long[]>> offsets;
    private transient Map<BoundedWindow, Map<String, Integer>> counts;

    SummariseFn(org.joda.time.Duration allowedLateness) {
      this.allowedLateness = allowedLateness;
    }

    @StartBundle
    public void startBundle() {
      offsets = new HashMap<>();
      counts = new HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<Integer, RecordPack> element, BoundedWindow window) {
      RecordPack pack = element.getValue();
      Map<String, long[]> byPartition = offsets.computeIfAbsent(window, w -> new HashMap<>());
      Map<String, Integer> countByPartition = counts.computeIfAbsent(window, w -> new HashMap<>());
      String lastPrefix = null;
      String partition = null;
      for (int i = 0; i < pack.size(); i++) {
        long offset = pack.originNumber(i);
        if (offset < 0) {
          continue;
        }
        // A Kinesis origin prefix holds the record's sequence number: its partition is the shard
        // (KinesisOrigins). A pack's prefixes are shared strings: one look per prefix.
        String prefix = pack.originPrefix(i);
        if (prefix != lastPrefix) {
          lastPrefix = prefix;
          partition = io.pinpipe.pipelines.io.kinesis.KinesisOrigins.partitionOf(prefix);
        }
        int n = countByPartition.getOrDefault(partition, 0);
        long[] list = byPartition.get(partition);
        if (list == null || n == list.length) {
          list = list == null ? new long[64] : java.util.Arrays.copyOf(list, n * 2);
          byPartition.put(partition, list);
        }
        list[n] = offset;
        countByPartition.put(partition, n + 1);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      offsets.forEach(
          (window, byPartition) -> {
            long writtenAfter = window.maxTimestamp().plus(allowedLateness).getMillis();
            byPartition.forEach(
                (partition, list) ->
                    context.output(
                        KV.of(partition, WrittenOffsets.of(writtenAfter, list, counts.get(window).get(partition))),
                        window.maxTimestamp(),
                        window));
          });
      offsets = null;
      counts = null;
    }
  }

  /** Keeps each partition's {@link PartitionProgress} and commits its {@code next} offset. */
  static final class CommitFn extends DoFn<KV<String, WrittenOffsets>, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(CommitFn.class);
    private static final long LATEST_TIMER = GlobalWindow.INSTANCE.maxTimestamp().getMillis();
    /** How long the look-up of a gap's offsets waits for the broker. */
    private static final Duration GAP_LOOKUP = Duration.ofSeconds(5);

    private final Map<String, Object> config;
    private final KafkaSecrets.ConsumerFactory consumers;
    private final String groupId;
    private final Map<String, Long> starts;
    private final Map<String, Long> committedAtStart;
    private transient Consumer<byte[], byte[]> consumer;
    /** Partitions whose group offset this instance has read from the broker. */
    private transient Set<String> checkedGroupOffset;

    @StateId("progress")
    private final StateSpec<ValueState<PartitionProgress>> progressSpec = StateSpecs.value(PartitionProgress.Coder.of());

    @TimerId("windowWritten")
    private final TimerSpec windowWritten = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CommitFn(
        Map<String, Object> config,
        KafkaSecrets.ConsumerFactory consumers,
        String groupId,
        Map<String, Long> starts,
        Map<String, Long> committedAtStart) {
      this.config = new HashMap<>(config);
      this.consumers = consumers;
      this.groupId = groupId;
      this.starts = new HashMap<>(starts);
      this.committedAtStart = new HashMap<>(committedAtStart);
    }

    @Setup
    public void setup() {
      consumer = consumers.apply(config);
      checkedGroupOffset = new HashSet<>();
    }

    @Teardown
    public void teardown() {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
      }
    }

    @ProcessElement
    public void process(
        @Element KV<String, WrittenOffsets> element,
        @StateId("progress") ValueState<PartitionProgress> state,
        @TimerId("windowWritten") Timer timer) {
      String partition = element.getKey();
      PartitionProgress progress = state.read();
      if (progress == null) {
        // A partition this run found no start for (created after the run started) is read from
        // its first offset; the gap look-up skips what retention removed. Committing where the
        // run started would tell the group nothing new.
        long start = starts.getOrDefault(partition, 0L);
        progress = new PartitionProgress(start, Math.max(start, committedAtStart.getOrDefault(partition, -1L)));
      }
      progress.add(element.getValue());
      commit(partition, progress, false);
      schedule(progress, timer);
      state.write(progress);
    }

    @OnTimer("windowWritten")
    public void onWindowWritten(
        OnTimerContext context,
        @Key String partition,
        @StateId("progress") ValueState<PartitionProgress> state,
        @TimerId("windowWritten") Timer timer) {
      PartitionProgress progress = state.read();
      if (progress == null) {
        return;
      }
      long time = context.fireTimestamp().getMillis();
      // A timer at the global window's end fires when the input has ended: everything is written.
      progress.watermarkReached(time >= LATEST_TIMER ? Long.MAX_VALUE : time);
      commit(partition, progress, true);
      schedule(progress, timer);
      state.write(progress);
    }

    private static void schedule(PartitionProgress progress, Timer timer) {
      OptionalLong due = progress.nextWindowWritten();
      if (due.isPresent()) {
        // The global window's timers cannot be set past its end: a run in one global window
        // (bounded) writes everything when its input ends, when the watermark jumps past it.
        timer.withNoOutputTimestamp().set(new Instant(Math.min(due.getAsLong(), LATEST_TIMER)));
      }
    }

    /** Commits {@code next} if it moved; {@code lookUpGaps} once per written window, not per summary. */
    private void commit(String partition, PartitionProgress progress, boolean lookUpGaps) {
      TopicPartition tp = topicPartition(partition);
      try {
        if (lookUpGaps) {
          skipGaps(tp, progress);
        }
        if (!progress.commitDue()) {
          return;
        }
        if (checkedGroupOffset.add(partition)) {
          // State restored from a Flink checkpoint can be older than the group's offset: never
          // move the group back.
          OffsetAndMetadata current = consumer.committed(Set.of(tp), KafkaOffsets.API_TIMEOUT).get(tp);
          if (current != null) {
            progress.committed(current.offset());
          }
          if (!progress.commitDue()) {
            return;
          }
        }
        long next = progress.next();
        CrashPoint.reach(BEFORE_COMMIT);
        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(next)), KafkaOffsets.API_TIMEOUT);
        progress.committed(next);
        CrashPoint.reach(AFTER_COMMIT);
      } catch (KafkaException e) {
        // Not committing is safe (a restart reads more again); the next written window retries.
        LOG.warn("could not commit offset {} of {} for group {}: {}", progress.next(), tp, groupId, e.getMessage());
      }
    }

    /**
     * Offsets missing below a written one are records still on their way, or offsets no record
     * holds (transaction markers, compaction, retention): the broker says which, by the first
     * record at or after {@code next}.
     */
    private void skipGaps(TopicPartition tp, PartitionProgress progress) {
      OptionalLong above = progress.writtenAfterGap();
      while (above.isPresent()) {
        consumer.assign(List.of(tp));
        consumer.seek(tp, progress.next());
        ConsumerRecords<byte[], byte[]> records = consumer.poll(GAP_LOOKUP);
        List<Long> found = new ArrayList<>();
        records.records(tp).forEach(r -> found.add(r.offset()));
        if (found.isEmpty() || found.get(0) <= progress.next()) {
          return; // a record is there, on its way to its window (or the broker did not answer)
        }
        progress.skip(Math.min(found.get(0), above.getAsLong()));
        above = progress.writtenAfterGap();
      }
    }

    static TopicPartition topicPartition(String key) {
      String trimmed = key.substring(0, key.length() - 1);
      int plus = trimmed.lastIndexOf('+');
      return new TopicPartition(trimmed.substring(0, plus), Integer.parseInt(trimmed.substring(plus + 1)));
    }

    @Override
    public void populateDisplayData(DisplayData.Builder builder) {
      super.populateDisplayData(builder);
      builder.add(DisplayData.item("groupId", groupId).withLabel("Consumer group the offsets are committed to"));
      builder.add(DisplayData.item("bootstrapServers", KafkaOffsets.servers(config)));
    }
  }
}
