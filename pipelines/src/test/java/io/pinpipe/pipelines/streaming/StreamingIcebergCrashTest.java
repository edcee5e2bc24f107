package io.pinpipe.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.PipelinesMain;
import io.pinpipe.pipelines.iceberg.BatchTables;
import io.pinpipe.pipelines.iceberg.CommitStreamTables;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.pipelines.iceberg.StreamPackSink;
import io.pinpipe.pipelines.iceberg.StreamTables;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.io.kinesis.KinesisOrigins;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.transforms.results.QueryOutput;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code streaming --tableFormat=iceberg} killed as {@code kill -9} would, in a child JVM, while
 * events are posted (some records unparseable, some sent twice in a row), and restarted anew
 * (docs/iceberg.md#streaming): halted at the named points (a data file written before its
 * commit, between two tables' commits, right after a commit) and killed a seeded random moment
 * after a commit of the run (mid-stream). After each
 * kill, read through Iceberg's API (each table's current snapshot): no record origin is in two rows
 * of a kind's table and its dead-letter table, none at or above the table's recorded position, and
 * every posted offset below a table's position is accounted for in it. A last run, left until every
 * table's position is at the end of every partition, leaves every (topic, partition, offset) posted
 * in exactly one row of exactly one of {its kind's table, its dead-letter table}, or (a record sent
 * twice) an exact copy of a record that is; each result window committed once, in one snapshot.
 */
public class StreamingIcebergCrashTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final int PARTITIONS = 2;
  private static final int POSTS_PER_SECOND = 1;
  static final String BAD = "{\"index\": not json";

  /**
   * One record as the broker stored it: its partition key ({@code <topic>+<partition>+}, or a
   * Kinesis shard's {@code <stream>/<shard>/}), its offset there (a Kinesis record's ordinal in its
   * shard), and the origin a row of it carries.
   */
  record Posted(RecordKind kind, String payload, String partitionKey, long offset, String origin) {
    static Posted kafka(RecordKind kind, String payload, String topic, int partition, long offset) {
      String key = topic + "+" + partition + "+";
      return new Posted(kind, payload, key, offset, key + offset);
    }

    boolean bad() {
      return payload.equals(BAD);
    }
  }

  record Child(int status, String stdout, String stderr, boolean killed, double seconds) {}

  @Test
  public void directRunnerKilledAndRestartedWritesEveryRecordOnce() throws Exception {
    loop(
        "icedirect",
        List.of(),
        List.of(StreamPackSink.FILE_WRITTEN + "#4", CommitStreamTables.BETWEEN_TABLES + "#2", CommitStreamTables.AFTER_COMMIT + "#1"),
        Integer.getInteger("pinpipe.streamingCrash.iterations", 1));
  }

  @Test
  public void flinkRunnerRestartedAnewWritesEveryRecordOnce() throws Exception {
    loop(
        "iceflink",
        List.of("--runner=FlinkRunner", "--parallelism=1"),
        List.of(CommitStreamTables.BETWEEN_TABLES + "#5"),
        Integer.getInteger("pinpipe.streamingCrash.flinkIterations", 1));
  }

  private void loop(String prefix, List<String> runner, List<String> points, int iterations) throws Exception {
    long seed = Long.getLong("pinpipe.streamingCrash.seed", 22);
    KAFKA.createTopics(prefix, PARTITIONS);
    Path output = tmp.newFolder(prefix).toPath();
    PostGenerator generator = new PostGenerator(seed);
    Random random = new Random(seed);
    List<Posted> posted = new ArrayList<>();
    List<String> command = new ArrayList<>(List.of(
        "streaming", "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topicPrefix=" + prefix, "--groupId=" + prefix + "-streaming", "--output=" + output,
        "--tableFormat=iceberg", "--commitSeconds=3", "--windowSeconds=2", "--allowedLatenessSeconds=1"));
    command.addAll(runner);
    long started = System.nanoTime();

    for (String point : points) {
      Child child = live(command, Optional.of(point), null, generator, posted);
      assertEquals(child.stderr(), CrashPoint.STATUS, child.status());
      assertTrue(child.stderr(), child.stderr().contains("pinpipe.crashAt: halting at " + point));
      Tables tables = read(output);
      tables.assertConsistent(posted);
      System.out.printf(Locale.ROOT, "%s: halted at %s; %d records posted; positions %s%n", prefix, point, posted.size(), tables.lowest());
    }
    for (int i = 0; i < iterations; i++) {
      // Once the run has committed (a table's position moved), at a random moment within a commit
      // interval or two: mid-stream, with windows open, files written and commits under way.
      Map<String, Map<String, Long>> before = positions(output).positions;
      long extra = random.nextInt(6_000);
      BooleanSupplier[] kill = {null};
      BooleanSupplier moved = atMostEvery(1_000, () -> !positions(output).positions.equals(before));
      Child child =
          live(
              command, Optional.empty(),
              () -> {
                if (kill[0] == null && moved.getAsBoolean()) {
                  kill[0] = killAfter(extra);
                }
                return kill[0] != null && kill[0].getAsBoolean();
              },
              generator, posted);
      assertTrue("killed, not ended: " + child.stderr(), child.killed());
      Tables tables = read(output);
      tables.assertConsistent(posted);
      System.out.printf(
          Locale.ROOT, "%s: killed %d ms after a commit; %d records posted; positions %s%n", prefix, extra, posted.size(), tables.lowest());
    }

    // The last run: nothing more is posted; stopped once every table is at every partition's end.
    Map<String, Long> ends = new TreeMap<>();
    for (PartitionOffsets p : KafkaOffsets.offsets(
        Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
        List.of(prefix + ".pin", prefix + ".geo", prefix + ".user"), StartPosition.earliest(), Optional.empty())) {
      ends.put(p.topic() + "+" + p.partition() + "+", p.end());
    }
    Child last = child(command, Optional.empty(), atMostEvery(3_000, () -> positions(output).allAt(ends)), false, 600);
    Tables tables = read(output);
    assertTrue("every table at the partitions' ends " + ends + ": " + tables.positions + "\n" + last.stderr(), tables.allAt(ends));
    tables.assertConsistent(posted);
    tables.assertEveryRecordOnce(posted);
    tables.assertEveryResultWindowCommittedOnce();
    System.out.printf(
        Locale.ROOT, "%s: %d records posted (%d unparseable), %d table rows, %d dead letters, %d result windows; %.0f s%n",
        prefix, posted.size(), posted.stream().filter(Posted::bad).count(), tables.rowCount(), tables.deadLetterCount(),
        tables.resultWindowCount(),
        (System.nanoTime() - started) / 1e9);
  }

  // ---- what the tables hold ---------------------------------------------------------------

  /** Each table's recorded positions, its rows' origins (kinds, dead letters), its result windows. */
  static final class Tables {
    final Map<String, Map<String, Long>> positions = new TreeMap<>();
    final Map<String, List<String>> origins = new HashMap<>();
    final Map<String, Map<String, String>> payloadByOrigin = new HashMap<>();
    /** Per result table, per window start, the snapshots whose added files hold it. */
    final Map<String, Map<Object, Set<Long>>> resultWindows = new HashMap<>();

    Map<String, Long> lowest() {
      Map<String, Long> lowest = new TreeMap<>();
      positions.values().forEach(p -> p.forEach((k, v) -> lowest.merge(k, v, Math::min)));
      return lowest;
    }

    boolean allAt(Map<String, Long> ends) {
      for (String table : StreamTables.tableNames()) {
        Map<String, Long> p = positions.getOrDefault(table, Map.of());
        for (Map.Entry<String, Long> end : ends.entrySet()) {
          if (p.getOrDefault(end.getKey(), -1L) < end.getValue()) {
            return false;
          }
        }
      }
      return true;
    }

    long rowCount() {
      return RecordKindList.ALL.stream().mapToLong(k -> origins.get(k.id()).size()).sum();
    }

    long deadLetterCount() {
      return RecordKindList.ALL.stream().mapToLong(k -> origins.get(BatchTables.deadLetterTable(k)).size()).sum();
    }

    private static long offset(String origin) {
      return Long.parseLong(origin.substring(origin.lastIndexOf('+') + 1));
    }

    private static String partitionKey(String origin) {
      return KinesisOrigins.partitionOf(origin.substring(0, origin.lastIndexOf('+') + 1));
    }

    /** What holds after any kill: see the class comment. */
    void assertConsistent(List<Posted> posted) {
      for (RecordKind kind : RecordKind.values()) {
        for (String table : List.of(kind.id(), BatchTables.deadLetterTable(kind))) {
          Map<String, Long> position = positions.get(table);
          for (String origin : origins.get(table)) {
            Long at = position.get(partitionKey(origin));
            assertTrue(table + " holds " + origin + " at or above its position " + position, at != null && offset(origin) < at);
          }
        }
        Set<String> seen = new HashSet<>();
        for (String table : List.of(kind.id(), BatchTables.deadLetterTable(kind))) {
          for (String origin : origins.get(table)) {
            assertTrue(origin + " in two rows of " + kind.id() + " and its dead letters", seen.add(origin));
          }
        }
      }
      Map<String, Set<String>> payloadsInTable = payloadsInTables(posted);
      List<String> missing = new ArrayList<>();
      for (Posted p : posted) {
        String table = p.bad() ? BatchTables.deadLetterTable(p.kind()) : p.kind().id();
        Long at = positions.get(table).get(p.partitionKey());
        if (at == null || p.offset() >= at) {
          continue;
        }
        boolean in = origins.get(table).contains(p.origin());
        boolean copy = !p.bad() && payloadsInTable.get(table).contains(p.payload());
        if (!in && !copy) {
          missing.add(p.origin() + " (" + table + ")");
        }
        String other = p.bad() ? p.kind().id() : BatchTables.deadLetterTable(p.kind());
        assertTrue(p.origin() + " is in " + other, !origins.get(other).contains(p.origin()));
      }
      assertEquals("below a table's position but not in it", List.of(), missing);
    }

    /** Per kind table, the posted payloads of the records whose origin is in it. */
    Map<String, Set<String>> payloadsInTables(List<Posted> posted) {
      Map<String, Set<String>> payloads = new HashMap<>();
      Map<String, Set<String>> originSets = new HashMap<>();
      origins.forEach((table, list) -> originSets.put(table, new HashSet<>(list)));
      for (Posted p : posted) {
        if (!p.bad() && originSets.get(p.kind().id()).contains(p.origin())) {
          payloads.computeIfAbsent(p.kind().id(), t -> new HashSet<>()).add(p.payload());
        }
      }
      for (RecordKind kind : RecordKind.values()) {
        payloads.computeIfAbsent(kind.id(), t -> new HashSet<>());
      }
      return payloads;
    }

    /** At the end: every posted record in its table once, or a copy of one that is. */
    void assertEveryRecordOnce(List<Posted> posted) {
      int copies = 0;
      Map<String, Set<String>> payloadsInTable = payloadsInTables(posted);
      for (Posted p : posted) {
        String table = p.bad() ? BatchTables.deadLetterTable(p.kind()) : p.kind().id();
        if (!origins.get(table).contains(p.origin())) {
          assertTrue(p + " is in no row", !p.bad() && payloadsInTable.get(table).contains(p.payload()));
          copies++;
        }
      }
      long rows = 0;
      for (RecordKind kind : RecordKind.values()) {
        rows += origins.get(kind.id()).size() + origins.get(BatchTables.deadLetterTable(kind)).size();
      }
      assertEquals("rows + copies counted as duplicates = records posted", posted.size(), rows + copies);
    }

    long resultWindowCount() {
      return resultWindows.values().stream().mapToLong(Map::size).sum();
    }

    void assertEveryResultWindowCommittedOnce() {
      assertTrue("result windows were committed", resultWindowCount() > 0);
      resultWindows.forEach(
          (table, windows) ->
              windows.forEach(
                  (start, snapshots) -> assertEquals(table + " window " + start + " in snapshots " + snapshots, 1, snapshots.size())));
    }
  }

  /** The kinds in order (for streams). */
  static final class RecordKindList {
    static final List<RecordKind> ALL = List.of(RecordKind.values());
  }

  /** The tables' positions only (what the last run waits for, looked at often). */
  static Tables positions(Path output) {
    Tables tables = new Tables();
    Catalog catalog = IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
    try {
      for (String name : StreamTables.tableNames()) {
        tables.positions.put(name, StreamTables.positions(catalog.loadTable(StreamTables.identifier(name))));
      }
    } finally {
      IcebergCatalog.close(catalog);
    }
    return tables;
  }

  static Tables read(Path output) {
    Tables tables = new Tables();
    Catalog catalog = IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
    try {
      for (String name : StreamTables.tableNames()) {
        Table table = catalog.loadTable(StreamTables.identifier(name));
        tables.positions.put(name, StreamTables.positions(table));
        boolean result = QueryOutputs.isResult(name);
        if (result) {
          Map<Object, Set<Long>> windows = new HashMap<>();
          for (Snapshot snapshot : table.snapshots()) {
            for (DataFile file : snapshot.addedDataFiles(table.io())) {
              windows.computeIfAbsent(file.partition().get(1, Long.class), w -> new HashSet<>()).add(snapshot.snapshotId());
            }
          }
          tables.resultWindows.put(name, windows);
          continue;
        }
        List<String> origins = new ArrayList<>();
        Map<String, String> payloads = new HashMap<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
          for (Record r : records) {
            String origin = (String) r.getField("origin");
            origins.add(origin);
            payloads.put(origin, name.endsWith(BatchTables.DEAD_LETTERS) ? (String) r.getField("payload") : String.valueOf(r.getField("ind")) + "|" + rowText(r));
          }
        }
        tables.origins.put(name, origins);
        tables.payloadByOrigin.put(name, payloads);
      }
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    } finally {
      IcebergCatalog.close(catalog);
    }
    return tables;
  }

  /** A clean row's columns but its origin and day, as text: equal for exact copies. */
  private static String rowText(Record r) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < r.size(); i++) {
      String field = r.struct().fields().get(i).name();
      if (!field.equals("origin") && !field.equals(BatchTables.PARTITION_COLUMN)) {
        s.append(r.get(i)).append('|');
      }
    }
    return s.toString();
  }

  /** Result tables by name. */
  static final class QueryOutputs {
    static boolean isResult(String name) {
      for (QueryOutput output : QueryOutput.values()) {
        if (output.outputName().equals(name)) {
          return true;
        }
      }
      return false;
    }
  }

  // ---- the job in a child JVM, posting --------------------------------------------------------

  static BooleanSupplier atMostEvery(long millis, BooleanSupplier condition) {
    long[] next = {0};
    return () -> {
      if (System.nanoTime() < next[0]) {
        return false;
      }
      next[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      try {
        return condition.getAsBoolean();
      } catch (RuntimeException e) {
        return false; // a table not created yet
      }
    };
  }

  static BooleanSupplier killAfter(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    return () -> System.nanoTime() >= deadline;
  }

  private Child live(List<String> args, Optional<String> crashAt, BooleanSupplier killWhen, PostGenerator generator, List<Posted> posted)
      throws Exception {
    try (Poster poster = new Poster(generator, prefixOf(args))) {
      Child child = child(args, crashAt, killWhen, true, 300);
      posted.addAll(poster.stop());
      return child;
    }
  }

  private Child child(List<String> args, Optional<String> crashAt, BooleanSupplier stopWhen, boolean kill, int seconds)
      throws Exception {
    return child(tmp, List.of(), args, crashAt, stopWhen, kill, seconds);
  }

  /**
   * Runs {@code PipelinesMain} in a child JVM (with {@code jvmArgs} as well); when {@code stopWhen}
   * holds, SIGKILL or (kill false) SIGTERM.
   */
  static Child child(
      TemporaryFolder tmp,
      List<String> jvmArgs,
      List<String> args,
      Optional<String> crashAt,
      BooleanSupplier stopWhen,
      boolean kill,
      int seconds)
      throws Exception {
    File out = tmp.newFile();
    File err = tmp.newFile();
    Path scratch = tmp.newFolder().toPath();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args.contains("--runner=FlinkRunner") ? "-Xmx1g" : "-Xmx768m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + scratch));
    command.addAll(jvmArgs);
    crashAt.ifPresent(point -> command.add("-D" + CrashPoint.PROPERTY + "=" + point));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), PipelinesMain.class.getName()));
    command.addAll(args);
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
    boolean killed = false;
    long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (process.isAlive() && System.nanoTime() < limit) {
      if (stopWhen != null && stopWhen.getAsBoolean()) {
        if (kill) {
          process.destroyForcibly();
        } else {
          process.destroy();
        }
        killed = true;
        break;
      }
      process.waitFor(200, TimeUnit.MILLISECONDS);
    }
    if (!process.waitFor(60, TimeUnit.SECONDS) || (!killed && process.isAlive())) {
      process.destroyForcibly();
      throw new AssertionError("the job did not end within " + seconds + " s: " + java.nio.file.Files.readString(err.toPath()));
    }
    return new Child(
        process.exitValue(),
        java.nio.file.Files.readString(out.toPath(), StandardCharsets.UTF_8),
        java.nio.file.Files.readString(err.toPath(), StandardCharsets.UTF_8),
        killed,
        (System.nanoTime() - started) / 1e9);
  }

  private static String prefixOf(List<String> args) {
    return args.stream().filter(a -> a.startsWith("--topicPrefix=")).findFirst().orElseThrow().substring("--topicPrefix=".length());
  }

  /**
   * Posts {@link #POSTS_PER_SECOND} events a second; every 9th event's records are sent twice in a
   * row (exact copies, as a producer's retry), every 7th event adds an unparseable pin record.
   */
  private static final class Poster implements AutoCloseable {
    private final String prefix;
    private final KafkaProducer<byte[], byte[]> producer = KAFKA.producer();
    private final List<Future<RecordMetadata>> futures = new ArrayList<>();
    private final List<RecordKind> kinds = new ArrayList<>();
    private final List<String> payloads = new ArrayList<>();
    private final PacedPosting posting;

    Poster(PostGenerator generator, String prefix) {
      this.prefix = prefix;
      this.posting = new PacedPosting("poster", POSTS_PER_SECOND, n -> post(generator.next(), n));
    }

    private void send(RecordKind kind, String key, String payload) {
      futures.add(producer.send(new ProducerRecord<>(prefix + "." + kind.id(), key.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8))));
      kinds.add(kind);
      payloads.add(payload);
    }

    private void post(GeneratedPost post, int n) {
      for (int copy = 0; copy < (n % 9 == 0 ? 2 : 1); copy++) {
        for (RecordKind kind : RecordKind.values()) {
          send(kind, Long.toString(post.index()), post.json(kind));
        }
      }
      if (n % 7 == 0) {
        send(RecordKind.PIN, "bad-" + n, BAD);
      }
    }

    List<Posted> stop() throws Exception {
      posting.stop();
      producer.flush();
      List<Posted> posted = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        RecordMetadata m = futures.get(i).get();
        posted.add(Posted.kafka(kinds.get(i), payloads.get(i), m.topic(), m.partition(), m.offset()));
      }
      return posted;
    }

    @Override
    public void close() throws Exception {
      posting.close();
      producer.close();
    }
  }
}
