package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaSecrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import io.pinpipe.pipelines.io.kafka.OffsetRanges;
import io.pinpipe.pipelines.io.kinesis.ShardAnchor;
import io.pinpipe.pipelines.io.kinesis.ShardStarts;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.expressions.Expressions;
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
 * The one step that commits the streaming job's Iceberg tables (docs/iceberg.md#streaming):
 * every data file's note and every window's offsets ({@link StreamNote}) come to one worker, in the
 * global window, which keeps them ({@link TablePositions}) and commits the windows all of whose
 * offsets are below the new positions, to each table in turn, each snapshot recording per partition
 * the offsets it covers and a commit id. It commits as soon as a window is written, unless it
 * committed less than {@code --commitSeconds} (processing time) before: then at the end of that
 * interval, with every window written meanwhile. So commits are at least {@code --commitSeconds}
 * apart, however many windows or panes there are (but for a bounded run's last commit, at its
 * input's end, and the first after a failover restored an older checkpoint), and a window's rows
 * wait for the interval only when the previous commit was recent.
 * The tables then hold exactly the offsets below their positions; a restart resumes from the
 * lowest (the job sets the consumer group's offsets to it before the read starts), and each table's
 * writers leave out the records below that table's own position ({@link StreamPackSink}).
 *
 * <p>The writers' outputs are this step's input, so its watermark passes a window's end plus the
 * allowed lateness only once every file of the window is written (as the Kafka offset commits of
 * Parquet tables wait, docs/streaming.md#what-the-job-commits-to-kafka); an event-time timer tells the step.
 *
 * <p>From Kinesis ({@link #forKinesis}) the positions are per shard, in read ordinals, with no gaps
 * to look up and no consumer group; each commit also records per shard an anchor ({@link
 * io.pinpipe.pipelines.io.kinesis.ShardAnchor}), which the next run's read numbers from
 * (docs/iceberg.md#streaming-from-kinesis).
 */
public final class CommitStreamTables extends PTransform<PCollection<StreamNote>, PDone> {
  /** Crash point: a table committed, the next not yet. */
  public static final String BETWEEN_TABLES = "streaming-iceberg-between-tables";
  /** Crash point: every table of a tick committed. */
  public static final String AFTER_COMMIT = "streaming-iceberg-committed";

  private static final String ALL_TABLES = "tables";

  private final StreamTables tables;
  private final Map<String, Long> earliest;
  private final Map<String, Object> clientConfig;
  private final String groupId;
  private final long commitSeconds;

  /**
   * @param earliest every partition ({@code <topic>+<partition>+}) with its earliest offset in the
   *     log when the job was built (where a partition no table recorded starts)
   */
  public CommitStreamTables(
      StreamTables tables, Map<String, Long> earliest, Map<String, Object> clientConfig, String groupId, long commitSeconds) {
    this.tables = tables;
    this.earliest = new TreeMap<>(earliest);
    this.clientConfig = clientConfig == null ? null : new HashMap<>(clientConfig);
    this.groupId = groupId;
    this.commitSeconds = commitSeconds;
  }

  /**
   * The commit step for Kinesis shards (docs/iceberg.md#streaming-from-kinesis): positions in
   * ordinals, which have no gaps to ask a broker about, each with its shard's anchor; {@code shards}
   * are the shard keys the tables recorded (each starts at 0 where a table recorded none).
   */
  public static CommitStreamTables forKinesis(StreamTables tables, java.util.Set<String> shards, long commitSeconds) {
    Map<String, Long> first = new TreeMap<>();
    shards.forEach(shard -> first.put(shard, 0L));
    return new CommitStreamTables(tables, first, null, null, commitSeconds);
  }

  @Override
  public PDone expand(PCollection<StreamNote> notes) {
    CommitFn commit;
    if (clientConfig == null) {
      commit = new CommitFn(tables, earliest, Map.of(), null, null, commitSeconds);
    } else {
      Map<String, Object> consumer = KafkaOffsets.consumerConfig(clientConfig, java.util.Optional.of(groupId));
      consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
      consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
      commit =
          new CommitFn(
              tables,
              earliest,
              KafkaSecrets.withoutSecrets(consumer),
              KafkaSecrets.consumerFactory(consumer),
              groupId,
              commitSeconds);
    }
    notes
        .apply("OneWorkerCommits", WithKeys.<String, StreamNote>of(ALL_TABLES).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StreamNote.Coder.of()))
        .apply("CommitWrittenWindows", ParDo.of(commit));
    return PDone.in(notes.getPipeline());
  }

  static final class CommitFn extends DoFn<KV<String, StreamNote>, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(CommitFn.class);
    private static final long LATEST_TIMER = GlobalWindow.INSTANCE.maxTimestamp().getMillis();
    private static final Duration GAP_LOOKUP = Duration.ofSeconds(5);

    private final StreamTables tables;
    private final Map<String, Long> earliest;
    private final Map<String, Object> config;
    private final KafkaSecrets.ConsumerFactory consumers;
    private final String groupId;
    private final long commitSeconds;
    private transient Consumer<byte[], byte[]> consumer;
    /** Where this instance starts: read from the catalog when it is set up (a failover reads again). */
    private transient Map<String, Long> starts;
    /** The Kinesis shards' anchors where this instance starts (none from Kafka). */
    private transient Map<String, ShardAnchor> startAnchors;

    // The state is kept as entries of their own, so that a note costs what it adds (a Flink state
    // backend encodes a ValueState whole at every write): per partition its position and its
    // handled offsets, each note in a bag, and the set of windows with notes. The commit builds the
    // bookkeeping (TablePositions) from them, and after a commit the bag holds only the notes of
    // windows still pending, their offsets merged per window and partition.
    @StateId("positions")
    private final StateSpec<MapState<String, Long>> positionsSpec =
        StateSpecs.map(StringUtf8Coder.of(), VarLongCoder.of());

    /** Per Kinesis shard, its anchor ({@link io.pinpipe.pipelines.io.kinesis.ShardAnchor} as text). */
    @StateId("anchors")
    private final StateSpec<MapState<String, String>> anchorsSpec = StateSpecs.map(StringUtf8Coder.of(), StringUtf8Coder.of());

    @StateId("handled")
    private final StateSpec<MapState<String, long[]>> handledSpec =
        StateSpecs.map(StringUtf8Coder.of(), StreamNote.Ranges.of());

    @StateId("notes")
    private final StateSpec<BagState<StreamNote>> notesSpec = StateSpecs.bag(StreamNote.Coder.of());

    @StateId("windows")
    private final StateSpec<MapState<Long, Boolean>> windowsSpec = StateSpecs.map(VarLongCoder.of(), BooleanCoder.of());

    @StateId("watermark")
    private final StateSpec<ValueState<Long>> watermarkSpec = StateSpecs.value(VarLongCoder.of());

    /** The written-after time of the window the event-time timer waits for. */
    @StateId("timerFor")
    private final StateSpec<ValueState<Long>> timerForSpec = StateSpecs.value(VarLongCoder.of());

    @StateId("ticking")
    private final StateSpec<ValueState<Boolean>> tickingSpec = StateSpecs.value(BooleanCoder.of());

    /** Whether the last commit was less than --commitSeconds ago: a written window waits for the tick. */
    @StateId("cooling")
    private final StateSpec<ValueState<Boolean>> coolingSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("windowWritten")
    private final TimerSpec windowWritten = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("tick")
    private final TimerSpec tick = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

    /** Fires once the input has ended (a bounded run): its watermark passed the global window's end. */
    @TimerId("inputEnded")
    private final TimerSpec inputEnded = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    CommitFn(
        StreamTables tables,
        Map<String, Long> earliest,
        Map<String, Object> config,
        KafkaSecrets.ConsumerFactory consumers,
        String groupId,
        long commitSeconds) {
      this.tables = tables;
      this.earliest = new TreeMap<>(earliest);
      this.config = new HashMap<>(config);
      this.consumers = consumers;
      this.groupId = groupId;
      this.commitSeconds = commitSeconds;
    }

    @Setup
    public void setup() {
      Map<String, Map<String, Long>> recorded = tables.positionsOfAll();
      starts = StreamTables.resumePositions(recorded, earliest);
      if (consumers == null) {
        // Kinesis: the shards' anchors are where the read numbers from (ShardStarts, as the job did).
        startAnchors = ShardStarts.of(recorded, tables.anchorsOfAll()).starts();
      } else {
        consumer = consumers.apply(config);
        startAnchors = Map.of();
      }
    }

    @Teardown
    public void teardown() {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
      }
    }

    /** The step's state, as one parameter for the commit. */
    static final class State {
      final MapState<String, Long> positions;
      final MapState<String, String> anchors;
      final MapState<String, long[]> handled;
      final BagState<StreamNote> notes;
      final MapState<Long, Boolean> windows;
      final ValueState<Long> watermark;

      State(
          MapState<String, Long> positions,
          MapState<String, String> anchors,
          MapState<String, long[]> handled,
          BagState<StreamNote> notes,
          MapState<Long, Boolean> windows,
          ValueState<Long> watermark) {
        this.positions = positions;
        this.anchors = anchors;
        this.handled = handled;
        this.notes = notes;
        this.windows = windows;
        this.watermark = watermark;
      }

      long watermark() {
        Long w = watermark.read();
        return w == null ? Long.MIN_VALUE : w;
      }

      /** Whether a commit may find anything: a window written, or offsets handled above a position. */
      boolean mayCommit() {
        long w = watermark();
        for (Long writtenAfter : windows.keys().read()) {
          if (writtenAfter < w) {
            return true;
          }
        }
        return handled.keys().read().iterator().hasNext();
      }

      TablePositions read() {
        Map<String, Long> p = new TreeMap<>();
        positions.entries().read().forEach(e -> p.put(e.getKey(), e.getValue()));
        Map<String, long[]> h = new TreeMap<>();
        handled.entries().read().forEach(e -> h.put(e.getKey(), e.getValue()));
        Map<String, ShardAnchor> a = new TreeMap<>();
        anchors.entries().read().forEach(e -> a.put(e.getKey(), ShardAnchor.parse(e.getValue())));
        return TablePositions.restore(p, a, h, notes.read(), watermark());
      }

      /** Writes back what a plan changed: gaps found, and after a commit positions and windows. */
      void write(TablePositions bookkeeping, TablePositions.Plan plan, boolean committed) {
        Map<String, long[]> h = bookkeeping.handled();
        // A copy of the keys: on a runner whose read is a view of the map, no removal while iterating.
        List<String> kept = new ArrayList<>();
        handled.keys().read().forEach(kept::add);
        for (String p : kept) {
          if (!h.containsKey(p)) {
            handled.remove(p);
          }
        }
        h.forEach(handled::put);
        if (!committed) {
          return;
        }
        bookkeeping.positions().forEach(positions::put);
        bookkeeping.anchors().forEach((shard, anchor) -> anchors.put(shard, anchor.toString()));
        plan.windowTimes().forEach(windows::remove);
        notes.clear();
        bookkeeping.pendingNotes().forEach(notes::add);
      }
    }

    @ProcessElement
    public void process(
        @Element KV<String, StreamNote> element,
        @StateId("positions") MapState<String, Long> positions,
        @StateId("anchors") MapState<String, String> anchors,
        @StateId("handled") MapState<String, long[]> handled,
        @StateId("notes") BagState<StreamNote> notes,
        @StateId("windows") MapState<Long, Boolean> windows,
        @StateId("watermark") ValueState<Long> watermark,
        @StateId("timerFor") ValueState<Long> timerFor,
        @StateId("ticking") ValueState<Boolean> ticking,
        @TimerId("windowWritten") Timer timer,
        @TimerId("tick") Timer tickTimer,
        @TimerId("inputEnded") Timer endTimer) {
      if (ticking.read() == null) {
        starts.forEach(positions::put);
        startAnchors.forEach((shard, anchor) -> anchors.put(shard, anchor.toString()));
        armTick(tickTimer);
        // A bounded run's last windows are written when its input ends; no tick comes after that.
        endTimer.withNoOutputTimestamp().set(new Instant(LATEST_TIMER));
        ticking.write(true);
      }
      StreamNote note = element.getValue();
      Long w = watermark.read();
      long now = w == null ? Long.MIN_VALUE : w;
      if (note.isAnchor()) {
        if (windows.get(note.writtenAfter).read() == null && note.writtenAfter < now) {
          // A record of a window already committed (it came too late): the committed anchors suffice.
          return;
        }
        notes.add(note);
      } else if (note.isFile()) {
        notes.add(note);
      } else {
        Long from = positions.get(note.partition).read();
        if (from == null) {
          from = 0L;
          positions.put(note.partition, from);
        }
        long[] raised = raised(note.ranges, from);
        if (windows.get(note.writtenAfter).read() == null && note.writtenAfter < now) {
          // The window was committed (or never had a pane): these records came too late and Beam
          // dropped them; a restart would drop them again.
          long[] before = handled.get(note.partition).read();
          TreeMap<Long, Long> merged = new TreeMap<>();
          for (long[] ranges : new long[][] {before == null ? new long[0] : before, raised}) {
            for (int i = 0; i < ranges.length; i += 2) {
              OffsetRanges.add(merged, ranges[i], ranges[i + 1]);
            }
          }
          if (!merged.isEmpty()) {
            handled.put(note.partition, OffsetRanges.toPairs(merged));
          }
          return;
        }
        notes.add(StreamNote.offsets(note.partition, note.writtenAfter, raised));
      }
      windows.put(note.writtenAfter, true);
      Long waitingFor = timerFor.read();
      if (note.writtenAfter >= now && (waitingFor == null || note.writtenAfter < waitingFor)) {
        setTimer(timer, timerFor, note.writtenAfter);
      }
    }

    @OnTimer("windowWritten")
    public void onWindowWritten(
        OnTimerContext context,
        @StateId("positions") MapState<String, Long> positions,
        @StateId("anchors") MapState<String, String> anchors,
        @StateId("handled") MapState<String, long[]> handled,
        @StateId("notes") BagState<StreamNote> notes,
        @StateId("windows") MapState<Long, Boolean> windows,
        @StateId("watermark") ValueState<Long> watermark,
        @StateId("timerFor") ValueState<Long> timerFor,
        @StateId("cooling") ValueState<Boolean> cooling,
        @TimerId("windowWritten") Timer timer,
        @TimerId("tick") Timer tickTimer) {
      State state = new State(positions, anchors, handled, notes, windows, watermark);
      long time = context.fireTimestamp().getMillis();
      timerFor.clear();
      if (time >= LATEST_TIMER) {
        // The input has ended (a bounded run): everything is written; commit it now.
        watermark.write(Long.MAX_VALUE);
        commit(state);
        return;
      }
      long now = Math.max(state.watermark(), time);
      watermark.write(now);
      // The next window not yet written, if any.
      Long next = null;
      for (Long writtenAfter : windows.keys().read()) {
        if (writtenAfter >= now && (next == null || writtenAfter < next)) {
          next = writtenAfter;
        }
      }
      if (next != null) {
        setTimer(timer, timerFor, next);
      }
      if (!Boolean.TRUE.equals(cooling.read()) && state.mayCommit()) {
        // A window is written and no commit was made for --commitSeconds: commit it now rather
        // than at the next tick, which could be up to a whole interval later.
        commitAndStartInterval(state, cooling, tickTimer);
      }
    }

    @OnTimer("inputEnded")
    public void onInputEnded(
        @StateId("positions") MapState<String, Long> positions,
        @StateId("anchors") MapState<String, String> anchors,
        @StateId("handled") MapState<String, long[]> handled,
        @StateId("notes") BagState<StreamNote> notes,
        @StateId("windows") MapState<Long, Boolean> windows,
        @StateId("watermark") ValueState<Long> watermark) {
      // Everything is written: commit it now.
      watermark.write(Long.MAX_VALUE);
      commit(new State(positions, anchors, handled, notes, windows, watermark));
    }

    @OnTimer("tick")
    public void onTick(
        @StateId("positions") MapState<String, Long> positions,
        @StateId("anchors") MapState<String, String> anchors,
        @StateId("handled") MapState<String, long[]> handled,
        @StateId("notes") BagState<StreamNote> notes,
        @StateId("windows") MapState<Long, Boolean> windows,
        @StateId("watermark") ValueState<Long> watermark,
        @StateId("cooling") ValueState<Boolean> cooling,
        @TimerId("tick") Timer tickTimer) {
      // What was written since the last commit; if nothing, the next window is committed when written.
      commitAndStartInterval(new State(positions, anchors, handled, notes, windows, watermark), cooling, tickTimer);
    }

    /**
     * Commits what is written, if anything; the next commit may come --commitSeconds after this
     * one's start at the earliest, at the tick, set first (a timer set anew replaces its earlier
     * time). From the start, not the end: an interval of --commitSeconds plus a commit's own time
     * drifted against the windows' ends, and a window written just before the tick waited for it.
     */
    private void commitAndStartInterval(State state, ValueState<Boolean> cooling, Timer tickTimer) {
      armTick(tickTimer);
      cooling.write(state.mayCommit() && commit(state));
    }

    /**
     * The tick, --commitSeconds of processing time from now. Without an output timestamp: the step
     * emits nothing, and a timer set in another timer's callback would otherwise take that timer's
     * (up to the global window's end), past the window's expiry, which Beam refuses.
     */
    private void armTick(Timer tickTimer) {
      tickTimer.withNoOutputTimestamp().offset(org.joda.time.Duration.standardSeconds(commitSeconds)).setRelative();
    }

    private static void setTimer(Timer timer, ValueState<Long> timerFor, long writtenAfter) {
      timer.withNoOutputTimestamp().set(new Instant(Math.min(writtenAfter + 1, LATEST_TIMER)));
      timerFor.write(writtenAfter);
    }

    /** {@code ranges} without the offsets below {@code from} (the tables hold them already). */
    private static long[] raised(long[] ranges, long from) {
      TreeMap<Long, Long> out = new TreeMap<>();
      for (int i = 0; i < ranges.length; i += 2) {
        OffsetRanges.add(out, Math.max(from, ranges[i]), ranges[i + 1]);
      }
      return OffsetRanges.toPairs(out);
    }

    /** Commits what is written; whether there was anything (a plan that moves a position or adds files). */
    private boolean commit(State state) {
      TablePositions positions = state.read();
      // A Kinesis shard's ordinals have no gaps: nothing to ask about.
      TablePositions.Gaps gaps = consumer == null ? null : this::firstRecordAtOrAfter;
      TablePositions.Plan plan = positions.plan(gaps);
      if (plan.isEmpty()) {
        state.write(positions, plan, false);
        return false;
      }
      Catalog catalog = tables.catalog();
      Map<String, Table> loaded = new LinkedHashMap<>();
      try {
        List<String> names = StreamTables.tableNames();
        for (int i = 0; i < names.size(); i++) {
          String name = names.get(i);
          Table table = catalog.loadTable(StreamTables.identifier(name));
          loaded.put(name, table);
          commitTable(name, table, plan);
          if (i < names.size() - 1) {
            CrashPoint.reach(BETWEEN_TABLES);
          }
        }
      } finally {
        BatchTables.closeFiles(loaded);
        IcebergCatalog.close(catalog);
      }
      CrashPoint.reach(AFTER_COMMIT);
      positions.committed(plan);
      state.write(positions, plan, true);
      if (consumer != null) {
        commitGroupOffsets(positions.positions());
      }
      return true;
    }

    /** For lag monitoring only: a restart resumes from the tables' positions, not from these. */
    private void commitGroupOffsets(Map<String, Long> positions) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      positions.forEach((p, next) -> offsets.put(topicPartition(p), new OffsetAndMetadata(next)));
      try {
        consumer.commitSync(offsets, Duration.ofSeconds(30));
      } catch (KafkaException e) {
        LOG.warn("could not commit the tables' positions to group {} (lag monitoring only): {}", groupId, e.getMessage());
      }
    }

    private OptionalLong firstRecordAtOrAfter(String partition, long offset) {
      TopicPartition tp = topicPartition(partition);
      try {
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
        ConsumerRecords<byte[], byte[]> records = consumer.poll(GAP_LOOKUP);
        for (org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
          return OptionalLong.of(r.offset());
        }
      } catch (KafkaException e) {
        LOG.warn("could not look up offsets of {} at {}: {}", tp, offset, e.getMessage());
      }
      return OptionalLong.empty();
    }

    static TopicPartition topicPartition(String key) {
      String trimmed = key.substring(0, key.length() - 1);
      int plus = trimmed.lastIndexOf('+');
      return new TopicPartition(trimmed.substring(0, plus), Integer.parseInt(trimmed.substring(plus + 1)));
    }
  }

  /**
   * Commits {@code plan} to one table, once: the table's files of the plan's windows (for a result
   * table only windows whose start it does not hold yet: a window committed before a restart is
   * not replaced by the restart's recomputation, which may be partial), and
   * per partition the range from the table's recorded position to the plan's; a window all of whose
   * offsets are below the table's position is in it already and left out. Skipped when the
   * table's latest commit has the same id (a retried commit) or nothing is left to add.
   */
  static void commitTable(String name, Table table, TablePositions.Plan plan) {
    for (int attempt = 0; attempt < 10; attempt++) {
      table.refresh();
      Map<String, Long> recorded = StreamTables.positions(table);
      Map<String, String> ranges = new TreeMap<>();
      boolean moves = false;
      for (Map.Entry<String, Long> entry : plan.to.entrySet()) {
        String p = entry.getKey();
        long from = recorded.getOrDefault(p, plan.from.get(p));
        long to = Math.max(from, entry.getValue());
        moves |= to != from;
        ranges.put(StreamTables.summaryKey(p), from + "-" + to);
      }
      List<DataFile> files = new ArrayList<>();
      List<Long> replaced = new ArrayList<>();
      boolean result = StreamTables.isResult(name);
      java.util.Set<Long> present = result ? windowsPresent(table, plan.windows) : java.util.Set.of();
      for (TablePositions.Window window : plan.windows) {
        if (result && window.start != StreamTables.GLOBAL_WINDOW && present.contains(window.start)) {
          // Committed before a restart; what a restart computed again may lack records that were
          // below the lowest position (not read again): the committed rows stay.
          continue;
        }
        if (coveredBy(window, recorded)) {
          // Every offset of the window is below the table's position: the table holds the window
          // already (committed after the state this step was restored from, by a Flink failover, or
          // an empty result window before a restart). A committed window never has an offset at or
          // above its table's position, so this is exact.
          continue;
        }
        boolean any = false;
        for (StreamNote note : window.files) {
          if (note.table.equals(name)) {
            files.add(note.dataFile(table.spec()));
            any = true;
          }
        }
        if (result && any) {
          replaced.add(window.start);
        } else if (result && isGlobal(window)) {
          // A replay whose result is empty still replaces the previous replay's rows.
          replaced.add(StreamTables.GLOBAL_WINDOW);
        }
      }
      if (!moves && files.isEmpty()) {
        return;
      }
      files.sort(Comparator.comparing(f -> f.path().toString()));
      String id = commitId(name, plan);
      if (id.equals(StreamTables.latestCommitId(table))) {
        return;
      }
      SnapshotUpdate<?> update;
      if (replaced.isEmpty()) {
        AppendFiles append = table.newAppend();
        files.forEach(append::appendFile);
        update = append;
      } else {
        // A window's rows replace whatever the table held of that window (nothing, as a rule); a
        // replay's global window replaces the previous replay's (docs/iceberg.md#one-global-window).
        OverwriteFiles overwrite = table.newOverwrite().overwriteByRowFilter(windowsFilter(replaced));
        files.forEach(overwrite::addFile);
        update = overwrite;
      }
      update.set(StreamTables.COMMIT_ID, id);
      ranges.forEach(update::set);
      anchorsFor(table, plan).forEach((shard, anchor) -> update.set(StreamTables.anchorKey(shard), anchor.toString()));
      try {
        update.commit();
        return;
      } catch (CommitFailedException e) {
        LOG_COMMIT.warn("commit to {} failed, trying again: {}", table.name(), e.getMessage());
      }
    }
    throw new IllegalStateException("could not commit to " + table.name() + " in 10 attempts");
  }

  private static final Logger LOG_COMMIT = LoggerFactory.getLogger(CommitStreamTables.class);

  /** Whether {@code window} is a bounded replay's one global window (it ends after every fixed one). */
  static boolean isGlobal(TablePositions.Window window) {
    return window.writtenAfter >= GlobalWindow.INSTANCE.maxTimestamp().getMillis();
  }

  /**
   * The Kinesis anchors a commit of {@code plan} records in {@code table}: per shard the higher of
   * the table's own and the plan's, both below the table's new position (the table's is below its
   * old one, the plan's below the plan's, and the table's new position is the higher of the two).
   */
  static Map<String, ShardAnchor> anchorsFor(Table table, TablePositions.Plan plan) {
    Map<String, ShardAnchor> anchors = new TreeMap<>(StreamTables.anchors(table));
    plan.anchors.forEach((shard, anchor) -> anchors.merge(shard, anchor, (a, b) -> a.ordinal >= b.ordinal ? a : b));
    return anchors;
  }

  /** Whether every offset of {@code window} is below the table's {@code recorded} positions. */
  static boolean coveredBy(TablePositions.Window window, Map<String, Long> recorded) {
    if (window.offsets.isEmpty()) {
      return false;
    }
    for (String partition : window.offsets.keySet()) {
      Long position = recorded.get(partition);
      if (position == null || window.maxExclusive(partition) > position) {
        return false;
      }
    }
    return true;
  }

  /**
   * The rows of the windows that start at {@code starts} (millis; {@link StreamTables#GLOBAL_WINDOW}:
   * a replay's global window, whose rows have a null {@code window_start}).
   */
  static org.apache.iceberg.expressions.Expression windowsFilter(List<Long> starts) {
    List<Object> micros = new ArrayList<>();
    boolean global = false;
    for (long start : starts) {
      if (start == StreamTables.GLOBAL_WINDOW) {
        global = true;
      } else {
        micros.add(start * 1000L);
      }
    }
    if (!global) {
      return Expressions.in(StreamTables.WINDOW_START, micros.toArray());
    }
    org.apache.iceberg.expressions.Expression nulls = Expressions.isNull(StreamTables.WINDOW_START);
    return micros.isEmpty() ? nulls : Expressions.or(nulls, Expressions.in(StreamTables.WINDOW_START, micros.toArray()));
  }

  /**
   * The starts (millis) of {@code windows} that a result table holds rows of already (a replay's
   * global window is never looked up: it replaces the previous replay's).
   */
  private static java.util.Set<Long> windowsPresent(Table table, List<TablePositions.Window> windows) {
    java.util.Set<Long> present = new java.util.HashSet<>();
    if (table.currentSnapshot() == null || windows.isEmpty()) {
      return present;
    }
    List<Object> starts = new ArrayList<>();
    windows.forEach(
        w -> {
          if (w.start != StreamTables.GLOBAL_WINDOW) {
            starts.add(w.start * 1000L);
          }
        });
    if (starts.isEmpty()) {
      return present;
    }
    int column = table.spec().fields().size() - 1; // identity(window_start), after identity(ingestion_date)
    try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.FileScanTask> tasks =
        table.newScan().filter(Expressions.in(StreamTables.WINDOW_START, starts.toArray())).planFiles()) {
      for (org.apache.iceberg.FileScanTask task : tasks) {
        Long start = task.file().partition().get(column, Long.class);
        if (start != null) { // a replay's global window, if the scan gave one
          present.add(Math.floorDiv(start, 1000L));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return present;
  }

  /** The same for a retried commit of the same plan: the table, positions and windows, hashed. */
  static String commitId(String table, TablePositions.Plan plan) {
    StringBuilder s = new StringBuilder(table);
    plan.from.forEach((p, v) -> s.append('|').append(p).append(v).append('-').append(plan.to.get(p)));
    plan.windowTimes().forEach(t -> s.append('|').append(t));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder();
      for (int i = 0; i < 12; i++) {
        hex.append(String.format("%02x", digest[i]));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
