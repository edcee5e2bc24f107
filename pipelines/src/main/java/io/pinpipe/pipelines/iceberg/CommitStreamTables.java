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
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.BooleanCoder;
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
 * The one step that commits the streaming job's Iceberg tables (docs/iceberg.md, "Streaming"):
 * every data file's note and every window's offsets ({@link StreamNote}) come to one worker, in the
 * global window, which keeps them ({@link TablePositions}) and, every {@code --commitSeconds} of
 * processing time, commits the windows all of whose offsets are below the new positions, to each
 * table in turn, each snapshot recording per partition the offsets it covers and a commit id.
 * The tables then hold exactly the offsets below their positions; a restart resumes from the
 * lowest (the job sets the consumer group's offsets to it before the read starts), and each table's
 * writers leave out the records below that table's own position ({@link StreamPackSink}).
 *
 * <p>The writers' outputs are this step's input, so its watermark passes a window's end plus the
 * allowed lateness only once every file of the window is written (as the Kafka offset commits of
 * Parquet tables wait, docs/streaming.md); an event-time timer tells the step.
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
    this.clientConfig = new HashMap<>(clientConfig);
    this.groupId = groupId;
    this.commitSeconds = commitSeconds;
  }

  @Override
  public PDone expand(PCollection<StreamNote> notes) {
    Map<String, Object> consumer = KafkaOffsets.consumerConfig(clientConfig, java.util.Optional.of(groupId));
    consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    notes
        .apply("OneWorkerCommits", WithKeys.<String, StreamNote>of(ALL_TABLES).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(StreamNote.class)))
        .apply(
            "CommitEveryInterval",
            ParDo.of(
                new CommitFn(
                    tables,
                    earliest,
                    KafkaSecrets.withoutSecrets(consumer),
                    KafkaSecrets.consumerFactory(consumer),
                    groupId,
                    commitSeconds)));
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

    @StateId("positions")
    private final StateSpec<ValueState<TablePositions>> positionsSpec =
        StateSpecs.value(SerializableCoder.of(TablePositions.class));

    @StateId("ticking")
    private final StateSpec<ValueState<Boolean>> tickingSpec = StateSpecs.value(BooleanCoder.of());

    @TimerId("windowWritten")
    private final TimerSpec windowWritten = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    @TimerId("tick")
    private final TimerSpec tick = TimerSpecs.timer(TimeDomain.PROCESSING_TIME);

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
      consumer = consumers.apply(config);
      starts = StreamTables.resumePositions(tables.positionsOfAll(), earliest);
    }

    @Teardown
    public void teardown() {
      if (consumer != null) {
        consumer.close(Duration.ofSeconds(5));
      }
    }

    @ProcessElement
    public void process(
        @Element KV<String, StreamNote> element,
        @StateId("positions") ValueState<TablePositions> state,
        @StateId("ticking") ValueState<Boolean> ticking,
        @TimerId("windowWritten") Timer timer,
        @TimerId("tick") Timer tickTimer) {
      TablePositions positions = state.read();
      if (positions == null) {
        positions = new TablePositions(starts);
      }
      positions.add(element.getValue());
      schedule(positions, timer);
      state.write(positions);
      if (ticking.read() == null) {
        tickTimer.offset(org.joda.time.Duration.standardSeconds(commitSeconds)).setRelative();
        ticking.write(true);
      }
    }

    @OnTimer("windowWritten")
    public void onWindowWritten(
        OnTimerContext context,
        @StateId("positions") ValueState<TablePositions> state,
        @TimerId("windowWritten") Timer timer) {
      TablePositions positions = state.read();
      if (positions == null) {
        return;
      }
      long time = context.fireTimestamp().getMillis();
      if (time >= LATEST_TIMER) {
        // The input has ended (a bounded run): everything is written; commit it now.
        positions.watermark(Long.MAX_VALUE);
        commit(positions);
      } else {
        positions.watermark(time);
        schedule(positions, timer);
      }
      state.write(positions);
    }

    @OnTimer("tick")
    public void onTick(
        @StateId("positions") ValueState<TablePositions> state, @TimerId("tick") Timer tickTimer) {
      TablePositions positions = state.read();
      if (positions != null) {
        commit(positions);
        state.write(positions);
      }
      tickTimer.offset(org.joda.time.Duration.standardSeconds(commitSeconds)).setRelative();
    }

    private static void schedule(TablePositions positions, Timer timer) {
      OptionalLong due = positions.nextWindowWritten();
      if (due.isPresent()) {
        timer.withNoOutputTimestamp().set(new Instant(Math.min(due.getAsLong() + 1, LATEST_TIMER)));
      }
    }

    private void commit(TablePositions positions) {
      TablePositions.Plan plan = positions.plan(this::firstRecordAtOrAfter);
      if (plan.isEmpty()) {
        return;
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
      commitGroupOffsets(positions.positions());
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
        if (result && present.contains(window.start)) {
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
            files.add(note.file);
            any = true;
          }
        }
        if (result && any) {
          replaced.add(window.start);
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
        // A window's rows replace whatever the table held of that window (nothing, as a rule).
        List<Object> starts = new ArrayList<>();
        replaced.forEach(start -> starts.add(start * 1000L));
        OverwriteFiles overwrite =
            table.newOverwrite().overwriteByRowFilter(Expressions.in(StreamTables.WINDOW_START, starts.toArray()));
        files.forEach(overwrite::addFile);
        update = overwrite;
      }
      update.set(StreamTables.COMMIT_ID, id);
      ranges.forEach(update::set);
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

  /** The starts (millis) of {@code windows} that a result table holds rows of already. */
  private static java.util.Set<Long> windowsPresent(Table table, List<TablePositions.Window> windows) {
    java.util.Set<Long> present = new java.util.HashSet<>();
    if (table.currentSnapshot() == null || windows.isEmpty()) {
      return present;
    }
    List<Object> starts = new ArrayList<>();
    windows.forEach(w -> starts.add(w.start * 1000L));
    int column = table.spec().fields().size() - 1; // identity(window_start), after identity(ingestion_date)
    try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.FileScanTask> tasks =
        table.newScan().filter(Expressions.in(StreamTables.WINDOW_START, starts.toArray())).planFiles()) {
      for (org.apache.iceberg.FileScanTask task : tasks) {
        present.add(Math.floorDiv(task.file().partition().get(column, Long.class), 1000L));
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
