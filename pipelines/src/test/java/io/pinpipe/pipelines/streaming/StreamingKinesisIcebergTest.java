package io.pinpipe.pipelines.streaming;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.ChildJob;
import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.LoopbackOnly;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.iceberg.BatchTables;
import io.pinpipe.pipelines.iceberg.CommitStreamTables;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.pipelines.iceberg.IcebergFixtures;
import io.pinpipe.pipelines.iceberg.RowText;
import io.pinpipe.pipelines.iceberg.StreamTables;
import io.pinpipe.pipelines.iceberg.StreamingIcebergGlobalWindowTest;
import io.pinpipe.pipelines.io.kinesis.KinesisOrigins;
import io.pinpipe.contract.KinesisStreams;
import io.pinpipe.pipelines.io.kinesis.ShardAnchor;
import io.pinpipe.pipelines.io.kinesis.ShardStarts;
import io.pinpipe.pipelines.io.kinesis.StreamShards;
import io.pinpipe.pipelines.streaming.StreamingIcebergCrashTest.Child;
import io.pinpipe.pipelines.streaming.StreamingIcebergCrashTest.Posted;
import io.pinpipe.pipelines.streaming.StreamingIcebergCrashTest.Tables;
import io.pinpipe.services.KinesisLocal;
import io.pinpipe.services.KinesisTestSupport;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.results.ResultCsv;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;
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
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.kpl.Messages;

/**
 * {@code streaming --source=kinesis --tableFormat=iceberg} on a real local Kinesis endpoint
 * (kinesis-mock) and a Hadoop catalog (docs/iceberg.md#streaming-from-kinesis): records are
 * put on two-shard streams, every 9th post's records twice in a row (exact copies), every 7th
 * post with an unparseable record on every stream. A record's ordinal in its shard is its place in
 * the shard's sequence-number order, computed here from what each put returned. Checked through
 * Iceberg's API: every record in exactly one row of its kind's table or its dead-letter table (or
 * an exact copy of one that is), with its origin {@code <stream>/<shard>/<sequence number>+<ordinal>};
 * every table's position at the end of every shard, its anchor the shard's last record. A bounded
 * run, a shard split and a restart (the rows of every table those of one run over the same records);
 * a job killed mid-stream and restarted; and replays into one global window (the Parquet replay's
 * rows, the day of the earliest arrival, a replay halted between tables' commits and restarted).
 * The day's look-up ({@code StreamShards.firstArrival}) to the millisecond, also for aggregated
 * records and an anchor no longer in the stream, since every day on the endpoint is today; and the
 * start's refusals (a missing stream, tables of other streams).
 * Skipped without Node.js, except under {@code CI=true}.
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
        String stream = KinesisStreams.name(prefix, kind);
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

  @Test
  public void aGlobalReplayWritesWhatTheParquetReplayWritesOnItsFirstRecordsDayAndAReplayHaltedBetweenTablesCompletesOnce()
      throws Exception {
    String prefix = "kglobal";
    createStreams(prefix);
    LocalDate testStarted = LocalDate.now(ZoneOffset.UTC);
    PostGenerator generator = new PostGenerator(47);
    List<Put> first = new ArrayList<>();
    try (KinesisClient client = kinesis.client()) {
      for (int n = 1; n <= 14; n++) {
        post(client, prefix, generator, n, first);
      }
    }

    // Replay A: Parquet tables, then Iceberg tables, on the same records (each reads every record).
    Path parquetA = tmp.newFolder("parquet-a").toPath();
    Path ice = tmp.newFolder("global").toPath();
    assertEquals(0, StreamingPipeline.run(globalArgs(prefix, parquetA, perStream(first), "parquet")));
    assertEquals(0, StreamingPipeline.run(globalArgs(prefix, ice, perStream(first), "iceberg")));
    Map<String, Long> arrivals = arrivals(prefix);
    // The rule (docs/iceberg.md#one-global-window): the day of the earliest arrival among the
    // records the replay reads, here every record put so far (the tables were new). The endpoint
    // gives every record the time it was put, so the days below are all today: the look-up itself
    // is checked to the millisecond before replay B.
    LocalDate dayA = dayOfEarliest(arrivals, first);
    assertEquals("from the trim horizons", OptionalLong.of(earliest(arrivals, first)), firstArrival(prefix, ShardStarts.none()));
    assertTrue(dayA + " between the test's start and now", !dayA.isBefore(testStarted) && !dayA.isAfter(LocalDate.now(ZoneOffset.UTC)));
    Map<String, List<String>> expectedA = StreamingIcebergGlobalWindowTest.expected(parquetA);
    assertEquals(expectedA, icebergRows(ice));
    for (QueryOutput output : QueryOutput.values()) {
      String file = "results/" + output.outputName() + ".csv";
      assertEquals(file, Files.readString(parquetA.resolve(file)), Files.readString(ice.resolve(file)));
    }
    assertEquals("records read", first.size(), readCount(ice));
    assertDays(ice, origin -> dayA);
    Tables afterA = StreamingIcebergCrashTest.read(ice);
    List<Posted> postedA = posted(first, first);
    afterA.assertConsistent(postedA);
    afterA.assertEveryRecordOnce(postedA);
    assertAnchorsAreTheShardsLastRecords(ice, first);
    Map<String, Long> snapshotsA = new TreeMap<>();
    for (String table : StreamTables.tableNames()) {
      Table t = IcebergFixtures.streamTable(ice, table);
      assertEquals(table + ": one commit, at the end", 1, IcebergFixtures.count(t.snapshots()));
      assertEquals(table, ends(first), StreamTables.positions(t));
      snapshotsA.put(table, t.currentSnapshot().snapshotId());
    }

    // The look-up replay B's day comes from: nothing after A's anchors yet; once B's records are
    // put, the earliest arrival among them (each shard's first after its anchor).
    assertEquals("no record after replay A's anchors", OptionalLong.empty(), firstArrival(prefix, ice));

    // Replay B over the records put since, halted after eight of the fifteen tables' commits: those
    // eight hold both replays' records and B's results, the seven others replay A's.
    List<Put> second = new ArrayList<>();
    try (KinesisClient client = kinesis.client()) {
      for (int n = 15; n <= 21; n++) {
        post(client, prefix, generator, n, second);
      }
    }
    long earliestB = earliest(arrivals(prefix), second);
    assertEquals("the earliest arrival among replay B's records", OptionalLong.of(earliestB), firstArrival(prefix, ice));
    List<Put> all = new ArrayList<>(first);
    all.addAll(second);
    String halt = CommitStreamTables.BETWEEN_TABLES + "#8";
    ChildJob.Ended ended =
        ChildJob.run(
            tmp.newFile(), halt, -1, List.of(DUMMY_KEYS_ID, DUMMY_KEYS_SECRET),
            prepend("streaming", globalArgs(prefix, ice, perStream(second), "iceberg")));
    assertEquals(ended.stderr, CrashPoint.STATUS, ended.status);
    assertThat(ended.stderr, containsString("pinpipe.crashAt: halting at " + halt));
    List<String> names = StreamTables.tableNames();
    Map<String, Long> snapshotsB = new TreeMap<>();
    for (int i = 0; i < names.size(); i++) {
      Table t = IcebergFixtures.streamTable(ice, names.get(i));
      assertEquals(names.get(i), i < 8 ? ends(all) : ends(first), StreamTables.positions(t));
      snapshotsB.put(names.get(i), t.currentSnapshot().snapshotId());
    }
    // Eight tables with B's anchors, seven with A's: the lowest, A's, still start the read.
    assertEquals("halted: the same earliest arrival", OptionalLong.of(earliestB), firstArrival(prefix, ice));

    // The restart starts from the lowest anchors, as the halted run did: the same records, the same
    // day; the seven commit, the eight keep their snapshot.
    assertEquals(0, StreamingPipeline.run(globalArgs(prefix, ice, perStream(second), "iceberg")));
    LocalDate dayB = java.time.Instant.ofEpochMilli(earliestB).atZone(ZoneOffset.UTC).toLocalDate();
    Tables tables = StreamingIcebergCrashTest.read(ice);
    List<Posted> posted = posted(all, all);
    tables.assertConsistent(posted);
    tables.assertEveryRecordOnce(posted);
    assertAnchorsAreTheShardsLastRecords(ice, all);
    assertEquals("records read by replay B", second.size(), readCount(ice));
    java.util.Set<String> firstOrigins = new java.util.HashSet<>();
    posted(first, all).forEach(p -> firstOrigins.add(p.origin()));
    assertDays(ice, origin -> firstOrigins.contains(origin) ? dayA : dayB);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Table t = IcebergFixtures.streamTable(ice, name);
      assertEquals(name, ends(all), StreamTables.positions(t));
      assertEquals(name + ": a snapshot a replay", 2, IcebergFixtures.count(t.snapshots()));
      assertEquals(name, snapshotsA.get(name), t.currentSnapshot().parentId());
      if (i < 8) {
        assertEquals(name + ": no second commit of replay B", snapshotsB.get(name), (Long) t.currentSnapshot().snapshotId());
      }
    }
    // The result tables hold replay B's results: its result files' rows.
    Map<String, List<String>> now = icebergRows(ice);
    Map<String, List<String>> resultsB = StreamingIcebergGlobalWindowTest.csvRows(ice);
    for (QueryOutput output : QueryOutput.values()) {
      assertEquals(output.outputName(), resultsB.get(output.outputName()), now.get(output.outputName()));
    }
    assertTrue("replay B has result rows", !resultsB.get("top_category_by_country").isEmpty());

    // The tables read with another --topicPrefix (streams that exist): refused, the tables untouched.
    createStreams("kglobal-other");
    String refused = stopsAtStart(globalArgs("kglobal-other", ice, perStream(second), "iceberg"));
    assertThat(refused, containsString("error: the Iceberg tables (Hadoop catalog in "));
    assertThat(
        refused,
        containsString(
            "/warehouse) hold the positions of the Kinesis streams [streaming-kglobal-geo, streaming-kglobal-pin,"
                + " streaming-kglobal-user], none of which this run reads [streaming-kglobal-other-pin,"
                + " streaming-kglobal-other-geo, streaming-kglobal-other-user]: give the --topicPrefix they were written"
                + " with, or another --output (or --warehouse) for these streams"));
    for (String name : names) {
      assertEquals(name + ": refused, no commit", 2, IcebergFixtures.count(IcebergFixtures.streamTable(ice, name).snapshots()));
    }
  }

  @Test
  public void theDayLookUpStartsAboveTheAnchorWithinAnAggregatedKinesisRecordAndStopsAtAnAnchorRetentionRemoved()
      throws Exception {
    String stream = "kanchor";
    kinesis.createStreams(List.of(stream), 1);
    try (KinesisClient client = kinesis.client()) {
      String shard = client.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
      String key = KinesisOrigins.shardKey(stream, shard);
      // One Kinesis record holding three a producer aggregated (sub-records 0, 1, 2), then plain
      // ones, each put a few milliseconds after the one before, so every arrival differs.
      SdkBytes three = aggregated("a", "b", "c");
      String packed = client.putRecord(b -> b.streamName(stream).partitionKey("k").data(three)).sequenceNumber();
      Map<String, Long> arrivals = shardArrivals(client, stream, shard);
      assertEquals("sub-record 2 of the anchor's Kinesis record", OptionalLong.of(arrivals.get(packed)),
          StreamShards.firstArrival(client, Set.of(key), anchoredAt(key, packed, 1)));
      assertEquals("the anchor is the shard's last record", OptionalLong.empty(),
          StreamShards.firstArrival(client, Set.of(key), anchoredAt(key, packed, 2)));
      Thread.sleep(20);
      String plain = client.putRecord(b -> b.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("d"))).sequenceNumber();
      Thread.sleep(20);
      String last = client.putRecord(b -> b.streamName(stream).partitionKey("k").data(SdkBytes.fromUtf8String("e"))).sequenceNumber();
      arrivals = shardArrivals(client, stream, shard);
      assertTrue("distinct arrivals " + arrivals, arrivals.get(packed) < arrivals.get(plain) && arrivals.get(plain) < arrivals.get(last));
      assertEquals("the next Kinesis record", OptionalLong.of(arrivals.get(plain)),
          StreamShards.firstArrival(client, Set.of(key), anchoredAt(key, packed, 2)));
      assertEquals("the record after a plain anchor", OptionalLong.of(arrivals.get(last)),
          StreamShards.firstArrival(client, Set.of(key), anchoredAt(key, plain, 0)));
      assertEquals("from the trim horizon", OptionalLong.of(arrivals.get(packed)),
          StreamShards.firstArrival(client, Set.of(key), ShardStarts.none()));
      // An anchor below the shard's first record, as one retention removed looks.
      String gone = new BigInteger(packed).subtract(BigInteger.ONE).toString();
      UserError e = assertThrows(UserError.class, () -> StreamShards.firstArrival(client, Set.of(key), anchoredAt(key, gone, 0)));
      assertThat(e.getMessage(), containsString("Kinesis shard " + key + ": the record the Iceberg tables resume after (sequence number " + gone));
      assertThat(e.getMessage(), containsString("drop the streaming tables (or move --warehouse) and start again"));
    }
  }

  /** One table's anchor of {@code shardKey} at the record {@code sequence}:{@code sub}. */
  private static ShardStarts anchoredAt(String shardKey, String sequence, long sub) {
    return ShardStarts.of(Map.of("pin", Map.of(shardKey, 8L)), Map.of("pin", Map.of(shardKey, new ShardAnchor(7, sequence, sub, 0))));
  }

  /** A Kinesis record holding {@code payloads} as a producer (KPL) aggregates them: magic, protobuf, MD5. */
  private static SdkBytes aggregated(String... payloads) throws Exception {
    Messages.AggregatedRecord.Builder records = Messages.AggregatedRecord.newBuilder().addPartitionKeyTable("k");
    for (String payload : payloads) {
      records.addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0).setData(ByteString.copyFromUtf8(payload)));
    }
    byte[] body = records.build().toByteArray();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(AggregatorUtil.AGGREGATED_RECORD_MAGIC);
    out.write(body);
    out.write(MessageDigest.getInstance("MD5").digest(body));
    return SdkBytes.fromByteArray(out.toByteArray());
  }

  @Test
  public void anIcebergRunStopsAtStartNamingAStreamThatDoesNotExistBeforeItWritesAnything() throws Exception {
    Path none = tmp.newFolder("none").toPath();
    String text = stopsAtStart(globalArgs("knone", none, 5, "iceberg"));
    assertThat(
        text,
        containsString(
            "error: the Kinesis stream streaming-knone-pin does not exist at this endpoint: create it (the job reads"
                + " streaming-<topicPrefix>-pin, -geo and -user) or give the --topicPrefix, --endpoint and --awsRegion"
                + " it is at"));
    try (Stream<Path> files = Files.list(none)) {
      assertEquals("no output claimed, no table created", List.of(), files.toList());
    }
  }

  /** Runs the job, which must stop at start with a user error (no stack trace); its stderr. */
  private static String stopsAtStart(String[] args) {
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    java.io.PrintStream originalErr = System.err;
    int status;
    System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      status = StreamingPipeline.run(args);
    } finally {
      System.setErr(originalErr);
    }
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(text, io.pinpipe.pipelines.CommandLine.USAGE, status);
    assertTrue(text, !text.contains("\tat "));
    return text;
  }

  // ---- records put and what the tables must hold ----------------------------------------------

  private static void createStreams(String prefix) throws InterruptedException {
    createStreams(prefix, SHARDS);
  }

  private static void createStreams(String prefix, int shards) throws InterruptedException {
    List<String> streams = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      streams.add(KinesisStreams.name(prefix, kind));
    }
    kinesis.createStreams(streams, shards);
  }

  /** Waits until the three streams are ACTIVE again (after a reshard). */
  private static void awaitActive(KinesisClient client, String prefix) throws InterruptedException {
    for (RecordKind kind : RecordKind.values()) {
      String stream = KinesisStreams.name(prefix, kind);
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
    GeneratedPost post = generator.postAt(n);
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
    String stream = KinesisStreams.name(prefix, kind);
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

  // ---- one global window ------------------------------------------------------------------------

  private static String[] globalArgs(String prefix, Path output, long perStream, String format) {
    return new String[] {
      "--source=kinesis", "--endpoint=" + kinesis.endpoint(), "--awsRegion=" + kinesis.region(), "--topicPrefix=" + prefix,
      "--output=" + output, "--tableFormat=" + format, "--windowSeconds=0", "--maxRecordsPerStream=" + perStream,
      "--maxReadSeconds=120"
    };
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /**
   * Every record's {@code ApproximateArrivalTimestamp} (millis) as the endpoint gives it, read
   * here from every shard's trim horizon, by shard key and sequence number.
   */
  private static Map<String, Long> arrivals(String prefix) {
    Map<String, Long> arrivals = new TreeMap<>();
    try (KinesisClient client = kinesis.client()) {
      for (RecordKind kind : RecordKind.values()) {
        String stream = KinesisStreams.name(prefix, kind);
        for (Shard shard : client.listShards(b -> b.streamName(stream)).shards()) {
          shardArrivals(client, stream, shard.shardId())
              .forEach((sequence, arrival) -> arrivals.put(KinesisOrigins.shardKey(stream, shard.shardId()) + sequence, arrival));
        }
      }
    }
    return arrivals;
  }

  /** One shard's records' arrivals (millis) by sequence number, read from its trim horizon. */
  private static Map<String, Long> shardArrivals(KinesisClient client, String stream, String shard) {
    Map<String, Long> arrivals = new TreeMap<>();
    String iterator =
        client.getShardIterator(b -> b.streamName(stream).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    while (iterator != null) {
      String at = iterator;
      GetRecordsResponse page = client.getRecords(b -> b.shardIterator(at));
      page.records().forEach(r -> arrivals.put(r.sequenceNumber(), r.approximateArrivalTimestamp().toEpochMilli()));
      if (page.records().isEmpty() && (page.millisBehindLatest() == null || page.millisBehindLatest() == 0)) {
        break;
      }
      iterator = page.nextShardIterator();
    }
    return arrivals;
  }

  /** The UTC day of the earliest arrival among {@code puts}. */
  private static LocalDate dayOfEarliest(Map<String, Long> arrivals, List<Put> puts) {
    return java.time.Instant.ofEpochMilli(earliest(arrivals, puts)).atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** The earliest arrival (millis) among {@code puts}, as {@link #arrivals} read them back. */
  private static long earliest(Map<String, Long> arrivals, List<Put> puts) {
    long earliest = Long.MAX_VALUE;
    for (Put p : puts) {
      Long arrival = arrivals.get(KinesisOrigins.shardKey(p.stream(), p.shard()) + p.sequence());
      assertTrue(p + " read back", arrival != null);
      earliest = Math.min(earliest, arrival);
    }
    return earliest;
  }

  /**
   * {@link StreamShards#firstArrival} as the job's start calls it: over the shards the streams
   * list, from the anchors of the tables in {@code output}.
   */
  private static OptionalLong firstArrival(String prefix, Path output) {
    StreamTables tables = new StreamTables(IcebergCatalog.hadoop(output.resolve("warehouse").toString()));
    return firstArrival(prefix, ShardStarts.of(tables.positionsOfAll(), tables.anchorsOfAll()));
  }

  private static OptionalLong firstArrival(String prefix, ShardStarts starts) {
    List<String> streams = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      streams.add(KinesisStreams.name(prefix, kind));
    }
    try (KinesisClient client = kinesis.client()) {
      return StreamShards.firstArrival(client, StreamShards.listed(client, streams), starts);
    }
  }

  /**
   * Every row's {@code ingestion_date} is {@code day} of its origin (null for a result row), and a
   * result row's {@code window_start} and {@code window_end} are null.
   */
  private static void assertDays(Path output, Function<String, LocalDate> day) throws Exception {
    for (String name : StreamTables.tableNames()) {
      boolean result = StreamingIcebergCrashTest.QueryOutputs.isResult(name);
      try (CloseableIterable<Record> records = IcebergGenerics.read(IcebergFixtures.streamTable(output, name)).build()) {
        for (Record r : records) {
          String origin = result ? null : (String) r.getField("origin");
          assertEquals(name + " " + origin, day.apply(origin), r.getField(BatchTables.PARTITION_COLUMN));
          if (result) {
            assertNull(name, r.getField(StreamTables.WINDOW_START));
            assertNull(name, r.getField(StreamTables.WINDOW_END));
          }
        }
      }
    }
  }

  /**
   * The Iceberg tables' current rows in the form of {@link StreamingIcebergGlobalWindowTest#expected}: a dead letter's origin
   * without its ordinal ({@code +<n>}), as a Parquet replay names the record.
   */
  private static Map<String, List<String>> icebergRows(Path output) throws Exception {
    Map<String, List<String>> tables = new TreeMap<>();
    for (String name : StreamTables.tableNames()) {
      List<String> rows = new ArrayList<>();
      try (CloseableIterable<Record> records = IcebergGenerics.read(IcebergFixtures.streamTable(output, name)).build()) {
        for (Record r : records) {
          if (StreamingIcebergCrashTest.QueryOutputs.isResult(name)) {
            List<String> fields = new ArrayList<>();
            for (int i = 2; i < r.size() - 1; i++) {
              fields.add(ResultCsv.field(r.get(i)));
            }
            rows.add(String.join(",", fields));
          } else if (name.endsWith(BatchTables.DEAD_LETTERS)) {
            String origin = (String) r.getField("origin");
            rows.add(origin.substring(0, origin.lastIndexOf('+')) + "|" + r.getField("reason") + "|" + r.getField("payload"));
          } else {
            rows.add(RowText.of(RecordKind.fromId(name), i -> r.get(i)));
          }
        }
      }
      Collections.sort(rows);
      tables.put(name, rows);
    }
    return tables;
  }

  /** The records a run's {@code summary.json} counts as read, over the kinds. */
  private static long readCount(Path output) throws Exception {
    JsonNode kinds = new ObjectMapper().readTree(output.resolve("summary.json").toFile()).path("kinds");
    long read = 0;
    for (RecordKind kind : RecordKind.values()) {
      JsonNode k = kinds.path(kind.id());
      assertEquals(kind.id(), k.path("read").asLong(), k.path("cleaned").asLong() + k.path("dead_lettered").asLong() + k.path("duplicates").asLong());
      read += k.path("read").asLong();
    }
    return read;
  }

  /** Posts one post a second on the three streams (copies and bad records as {@link #post}) until stopped. */
  private static final class Poster implements AutoCloseable {
    private final KinesisClient client = kinesis.client();
    private final List<Put> puts = Collections.synchronizedList(new ArrayList<>());
    private final PacedPosting posting;

    Poster(String prefix, PostGenerator generator) {
      posting = new PacedPosting("kinesis-poster", 1, n -> post(client, prefix, generator, n, puts));
    }

    List<Put> stop() throws Exception {
      posting.stop();
      return new ArrayList<>(puts);
    }

    @Override
    public void close() throws Exception {
      posting.close();
      client.close();
    }
  }
}
