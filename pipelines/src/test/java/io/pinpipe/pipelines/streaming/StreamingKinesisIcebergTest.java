package io.pinpipe.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.emulator.generate.Post;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.LoopbackOnly;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.pipelines.iceberg.StreamTables;
import io.pinpipe.pipelines.io.kinesis.KinesisOrigins;
import io.pinpipe.pipelines.io.kinesis.KinesisStreamSource;
import io.pinpipe.pipelines.io.kinesis.ShardAnchor;
import io.pinpipe.pipelines.streaming.StreamingIcebergCrashTest.Child;
import io.pinpipe.pipelines.streaming.StreamingIcebergCrashTest.Posted;
import io.pinpipe.pipelines.streaming.StreamingIcebergCrashTest.Tables;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.services.KinesisLocal;
import io.pinpipe.services.KinesisTestSupport;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * {@code streaming --source=kinesis --tableFormat=iceberg} on a real local Kinesis endpoint
 * (kinesis-mock) and a Hadoop catalog (docs/iceberg.md, "Streaming from Kinesis"): records are
 * put on two-shard streams, every 9th post's records twice in a row (exact copies), every 7th
 * post with an unparseable record on every stream. A record's ordinal in its shard is its place in
 * the shard's sequence-number order, computed here from what each put returned. Checked through
 * Iceberg's API: every record in exactly one row of its kind's table or its dead-letter table (or
 * an exact copy of one that is), with its origin {@code <stream>/<shard>/<sequence number>+<ordinal>};
 * every table's position at the end of every shard, its anchor the shard's last record. A bounded
 * run, a shard split and a restart (the rows of every table those of one run over the same records);
 * and a job killed mid-stream and restarted. Skipped without Node.js, except under {@code CI=true}.
 */
public class StreamingKinesisIcebergTest {
  private static final int SHARDS = 2;
  /** The shard the restart test splits. */
  private static final String PARENT = "shardId-000000000000";
  private static final String DUMMY_KEYS_ID = "-Daws.accessKeyId=local";
  private static final String DUMMY_KEYS_SECRET = "-Daws.secretAccessKey=local";

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  /** The Kinesis endpoint's ports (kinesis-mock's own default is 0.0.0.0) stay on loopback. */
  @ClassRule public static final LoopbackOnly LOOPBACK_ONLY = new LoopbackOnly();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  private static KinesisLocal kinesis;

  /** One put as the endpoint answered it. */
  record Put(RecordKind kind, String payload, String stream, String shard, String sequence) {}

  @BeforeClass
  public static void startEndpoint() throws Exception {
    KinesisTestSupport.assumeEndpointCanStart();
    KinesisTestSupport.useDummyKeysForTheLocalEndpoint();
    kinesis = KinesisLocal.onFreePorts(TMP.newFolder("kinesis").toPath()).start(Duration.ofSeconds(60));
  }

  @AfterClass
  public static void stopEndpoint() {
    if (kinesis != null) {
      kinesis.close();
    }
  }

  @Test
  public void aRestartAfterAShardSplitWritesEveryRecordOnceAndTheSameRowsAsOneRunOverTheSameRecords() throws Exception {
    String prefix = "kice";
    createStreams(prefix);
    PostGenerator generator = new PostGenerator(71);
    List<Put> first = new ArrayList<>();
    List<Put> second = new ArrayList<>();
    try (KinesisClient client = kinesis.client()) {
      for (int n = 1; n <= 18; n++) {
        post(client, prefix, generator, n, first);
      }
    }
    Path twoRuns = tmp.newFolder("two-runs").toPath();
    assertEquals(0, StreamingPipeline.run(args(prefix, twoRuns, perStream(first))));
    Tables afterFirst = StreamingIcebergCrashTest.read(twoRuns);
    afterFirst.assertConsistent(posted(first, first));
    assertTrue("the first run committed every record: " + afterFirst.positions, afterFirst.allAt(ends(first)));
    // Shard 0 of every stream split in two (its children: new shards, numbered from 0; shard 0
    // closed, keeping its last position), then more put after the first run (so in windows of
    // their own: the result table of a window committed by the first run keeps its rows,
    // docs/iceberg.md); the second run's read is bounded by their count, the records up to the
    // tables' anchors being dropped before they count.
    try (KinesisClient client = kinesis.client()) {
      for (RecordKind kind : RecordKind.values()) {
        String stream = KinesisStreamSource.streamName(prefix, kind);
        String middle = BigInteger.ONE.shiftLeft(126).toString(); // shard 0 of two holds [0, 2^127)
        client.splitShard(b -> b.streamName(stream).shardToSplit(PARENT).newStartingHashKey(middle));
      }
      awaitActive(client, prefix);
      for (int n = 19; n <= 30; n++) {
        post(client, prefix, generator, n, second);
      }
    }
    assertTrue("none of the second records on the closed shard", second.stream().noneMatch(p -> p.shard().equals(PARENT)));
    assertTrue("some of the second records on its children", second.stream().filter(p -> !first.stream().anyMatch(f -> f.shard().equals(p.shard()))).count() > 0);
    assertEquals(0, StreamingPipeline.run(args(prefix, twoRuns, perStream(second))));

    List<Put> all = new ArrayList<>(first);
    all.addAll(second);
    List<Posted> posted = posted(all, all);
    Tables tables = StreamingIcebergCrashTest.read(twoRuns);
    assertTrue("every table at every shard's end " + ends(all) + ": " + tables.positions, tables.allAt(ends(all)));
    tables.assertConsistent(posted);
    tables.assertEveryRecordOnce(posted);
    tables.assertEveryResultWindowCommittedOnce();
    assertEquals("every 7th post's bad record", 4, tables.deadLetterCount() / 3);
    // Every table's anchor of the closed shard its last record, of each child the child's last.
    assertAnchorsAreTheShardsLastRecords(twoRuns, all);

    // The same records in one run, into tables of their own: the same rows in every table.
    Path oneRun = tmp.newFolder("one-run").toPath();
    assertEquals(0, StreamingPipeline.run(args(prefix, oneRun, perStream(all))));
    for (String table : StreamTables.tableNames()) {
      assertEquals(table, rows(oneRun, table), rows(twoRuns, table));
    }
    assertTrue("result rows were written", !rows(oneRun, "top_category_by_country").isEmpty());
  }

  @Test
  public void aKillMidStreamAndARestartWriteEveryRecordOnce() throws Exception {
    String prefix = "kkill";
    createStreams(prefix);
    Path output = tmp.newFolder("killed").toPath();
    List<String> command =
        List.of(
            "streaming", "--source=kinesis", "--endpoint=" + kinesis.endpoint(), "--awsRegion=" + kinesis.region(),
            "--topicPrefix=" + prefix, "--output=" + output, "--tableFormat=iceberg", "--commitSeconds=3",
            "--windowSeconds=2", "--allowedLatenessSeconds=1");
    List<String> jvm = List.of(DUMMY_KEYS_ID, DUMMY_KEYS_SECRET);
    long started = System.nanoTime();
    List<Put> puts = new ArrayList<>();

    // Killed at a random moment within a commit interval or two after the job's first commit:
    // windows open, files written, a commit perhaps under way.
    long extra = new Random(Long.getLong("pinpipe.streamingCrash.seed", 22)).nextInt(6_000);
    BooleanSupplier[] kill = {null};
    BooleanSupplier moved = StreamingIcebergCrashTest.atMostEvery(1_000, () -> anyPosition(output));
    try (Poster poster = new Poster(prefix, new PostGenerator(23))) {
      Child child =
          StreamingIcebergCrashTest.child(
              tmp, jvm, command, Optional.empty(),
              () -> {
                if (kill[0] == null && moved.getAsBoolean()) {
                  kill[0] = StreamingIcebergCrashTest.killAfter(extra);
                }
                return kill[0] != null && kill[0].getAsBoolean();
              },
              true, 300);
      puts.addAll(poster.stop());
      assertTrue("killed, not ended: " + child.stderr(), child.killed());
    }
    List<Posted> posted = posted(puts, puts);
    Tables killed = StreamingIcebergCrashTest.read(output);
    killed.assertConsistent(posted);
    System.out.printf(Locale.ROOT, "%s: killed %d ms after a commit; %d records put; positions %s%n", prefix, extra, puts.size(), killed.lowest());

    // Restarted with nothing more put, stopped once every table is at every shard's end.
    Map<String, Long> ends = ends(puts);
    Child last =
        StreamingIcebergCrashTest.child(
            tmp, jvm, command, Optional.empty(),
            StreamingIcebergCrashTest.atMostEvery(3_000, () -> StreamingIcebergCrashTest.positions(output).allAt(ends)),
            false, 600);
    Tables tables = StreamingIcebergCrashTest.read(output);
    assertTrue("every table at the shards' ends " + ends + ": " + tables.positions + "\n" + last.stderr(), tables.allAt(ends));
    tables.assertConsistent(posted);
    tables.assertEveryRecordOnce(posted);
    tables.assertEveryResultWindowCommittedOnce();
    assertAnchorsAreTheShardsLastRecords(output, puts);
    System.out.printf(
        Locale.ROOT, "%s: %d records put, %d table rows, %d dead letters, %d result windows; %.0f s%n",
        prefix, puts.size(), tables.rowCount(), tables.deadLetterCount(), tables.resultWindowCount(),
        (System.nanoTime() - started) / 1e9);
  }

  // ---- records put and what the tables must hold ----------------------------------------------

  private static void createStreams(String prefix) throws InterruptedException {
    createStreams(prefix, SHARDS);
  }

  private static void createStreams(String prefix, int shards) throws InterruptedException {
    List<String> streams = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      streams.add(KinesisStreamSource.streamName(prefix, kind));
    }
    kinesis.createStreams(streams, shards);
  }

  /** Waits until the three streams are ACTIVE again (after a reshard). */
  private static void awaitActive(KinesisClient client, String prefix) throws InterruptedException {
    for (RecordKind kind : RecordKind.values()) {
      String stream = KinesisStreamSource.streamName(prefix, kind);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (client.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary().streamStatus()
          != StreamStatus.ACTIVE) {
        assertTrue(stream + " ACTIVE again within 30 s", System.nanoTime() < deadline);
        Thread.sleep(100);
      }
    }
  }

  /** Post {@code n}: its three records (twice if {@code n} is a multiple of 9), and a bad record on every stream every 7th. */
  private static void post(KinesisClient client, String prefix, PostGenerator generator, int n, List<Put> puts) {
    Post post = generator.postAt(n);
    for (int copy = 0; copy < (n % 9 == 0 ? 2 : 1); copy++) {
      for (RecordKind kind : RecordKind.values()) {
        puts.add(put(client, prefix, kind, Long.toString(post.index()), post.json(io.pinpipe.contract.RecordKind.valueOf(kind.name()))));
      }
    }
    if (n % 7 == 0) {
      for (RecordKind kind : RecordKind.values()) {
        puts.add(put(client, prefix, kind, "bad-" + n, StreamingIcebergCrashTest.BAD));
      }
    }
  }

  private static Put put(KinesisClient client, String prefix, RecordKind kind, String key, String payload) {
    String stream = KinesisStreamSource.streamName(prefix, kind);
    PutRecordResponse r = client.putRecord(b -> b.streamName(stream).partitionKey(key).data(SdkBytes.fromUtf8String(payload)));
    return new Put(kind, payload, stream, r.shardId(), r.sequenceNumber());
  }

  /**
   * {@code puts} as posted records, each with its ordinal: its place among {@code shardOrder}'s
   * records of its shard in sequence-number order (every record put on the shard, from its first).
   */
  private static List<Posted> posted(List<Put> puts, List<Put> shardOrder) {
    Map<String, List<BigInteger>> sequences = new TreeMap<>();
    for (Put p : shardOrder) {
      sequences.computeIfAbsent(KinesisOrigins.shardKey(p.stream(), p.shard()), k -> new ArrayList<>()).add(new BigInteger(p.sequence()));
    }
    sequences.values().forEach(Collections::sort);
    List<Posted> posted = new ArrayList<>();
    for (Put p : puts) {
      String key = KinesisOrigins.shardKey(p.stream(), p.shard());
      long ordinal = Collections.binarySearch(sequences.get(key), new BigInteger(p.sequence()));
      posted.add(new Posted(p.kind(), p.payload(), key, ordinal, KinesisOrigins.origin(p.stream(), p.shard(), p.sequence(), 0, ordinal)));
    }
    return posted;
  }

  /** Per shard key, its record count: where every table's position ends. */
  private static Map<String, Long> ends(List<Put> puts) {
    Map<String, Long> ends = new TreeMap<>();
    puts.forEach(p -> ends.merge(KinesisOrigins.shardKey(p.stream(), p.shard()), 1L, Long::sum));
    return ends;
  }

  private static long perStream(List<Put> puts) {
    long pins = puts.stream().filter(p -> p.kind() == RecordKind.PIN).count();
    for (RecordKind kind : RecordKind.values()) {
      assertEquals("the same count on every stream", pins, puts.stream().filter(p -> p.kind() == kind).count());
    }
    return pins;
  }

  private static String[] args(String prefix, Path output, long perStream) {
    return new String[] {
      "--source=kinesis", "--endpoint=" + kinesis.endpoint(), "--awsRegion=" + kinesis.region(), "--topicPrefix=" + prefix,
      "--output=" + output, "--tableFormat=iceberg", "--commitSeconds=2", "--windowSeconds=2",
      "--maxRecordsPerStream=" + perStream, "--maxReadSeconds=120"
    };
  }

  /** Every table's anchor of every shard: the shard's last record, numbered its count minus one. */
  private static void assertAnchorsAreTheShardsLastRecords(Path output, List<Put> puts) {
    Map<String, String> last = new TreeMap<>();
    puts.stream()
        .sorted(Comparator.comparing((Put p) -> new BigInteger(p.sequence())))
        .forEach(p -> last.put(KinesisOrigins.shardKey(p.stream(), p.shard()), p.sequence()));
    Map<String, Long> ends = ends(puts);
    Catalog catalog = IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
    try {
      for (String name : StreamTables.tableNames()) {
        Map<String, ShardAnchor> anchors = StreamTables.anchors(catalog.loadTable(StreamTables.identifier(name)));
        assertEquals(name + " anchors' shards", last.keySet(), anchors.keySet());
        anchors.forEach(
            (shard, anchor) -> {
              assertEquals(name + " " + shard, ends.get(shard) - 1, anchor.ordinal);
              assertEquals(name + " " + shard, last.get(shard), anchor.sequenceNumber);
            });
      }
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  /** Whether any table has recorded a position above 0 (the job has committed). */
  private static boolean anyPosition(Path output) {
    return StreamingIcebergCrashTest.positions(output).positions.values().stream()
        .anyMatch(p -> p.values().stream().anyMatch(v -> v > 0));
  }

  /** A table's current rows, every column's value joined by {@code |}, sorted. */
  private static List<String> rows(Path output, String name) throws Exception {
    Catalog catalog = IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
    try {
      Table table = catalog.loadTable(StreamTables.identifier(name));
      List<String> rows = new ArrayList<>();
      try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
        for (Record r : records) {
          StringBuilder s = new StringBuilder();
          for (int i = 0; i < r.size(); i++) {
            s.append(r.get(i)).append('|');
          }
          rows.add(s.toString());
        }
      }
      Collections.sort(rows);
      return rows;
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  /** Posts one post a second on the three streams (copies and bad records as {@link #post}) until stopped. */
  private static final class Poster implements AutoCloseable {
    private final String prefix;
    private final PostGenerator generator;
    private final KinesisClient client = kinesis.client();
    private final List<Put> puts = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stopping;
    private Exception failure;

    Poster(String prefix, PostGenerator generator) {
      this.prefix = prefix;
      this.generator = generator;
      this.thread = new Thread(this::run, "kinesis-poster");
      thread.start();
    }

    private void run() {
      try {
        long next = System.nanoTime();
        for (int n = 1; !stopping; n++) {
          post(client, prefix, generator, n, puts);
          next += TimeUnit.SECONDS.toNanos(1);
          long wait = next - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait)); // pacing the posts
          }
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    List<Put> stop() throws Exception {
      stopping = true;
      thread.join();
      if (failure != null) {
        throw failure;
      }
      return new ArrayList<>(puts);
    }

    @Override
    public void close() throws Exception {
      stopping = true;
      thread.join();
      client.close();
    }
  }
}
