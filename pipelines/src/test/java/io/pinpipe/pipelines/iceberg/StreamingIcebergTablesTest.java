package io.pinpipe.pipelines.iceberg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.pipelines.streaming.StreamingPipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The tables {@code streaming --tableFormat=iceberg} writes, from a real broker (docs/iceberg.md#streaming),
 * read by Spark, and in a JDBC catalog.
 *
 * <p>Spark 3.5 with Iceberg's runtime reads the tables (issue 22, item 5 for streaming): two bounded runs on
 * DirectRunner from a real broker, the first over two 10 s windows, the second (a restart, which
 * resumes from the tables' positions) over a third; each post's three records sent with one Kafka
 * timestamp, every 9th post twice in a row, every 7th post followed by an unparseable record on
 * each topic. {@link SparkChecksStreamingTables} reads the tables in a JVM of its own; here:
 *
 * <ul>
 *   <li>each kind's table holds as many rows as the windows' summaries counted cleaned records,
 *       each dead-letter table as many as they counted dead letters, and every record read is one
 *       of them or a duplicate;
 *   <li>the nine results recomputed with Spark SQL from the {@code pin}, {@code geo} and {@code
 *       user} tables per window are the result tables' rows, window by window;
 *   <li>every table has one snapshot per commit: each with a commit id of its own and Kafka ranges
 *       that go on where the previous snapshot's ended, the same positions in all fifteen tables,
 *       the last at the end of every partition;
 *   <li>time travel to each snapshot of a kind's or dead-letter table returns exactly the rows
 *       whose offsets are below that snapshot's positions: the first run's last snapshot, the
 *       first run's records only.
 * </ul>
 *
 * <p>With {@code --catalogUri=jdbc:...} (Iceberg's JDBC catalog; under {@code CI=true} the
 * machine's PostgreSQL and MariaDB, elsewhere SQLite in a file, each test's name says which, a
 * catalog name of its own per run, dropped after): a bounded run and a restart, which resumes from
 * the positions the database's catalog holds, leave every posted record in exactly one row of its
 * kind's table or dead-letter table, or a duplicate of one, and the database's row of each table
 * names the table's current metadata file.
 *
 * <p>With {@code --startFrom=latest} (docs/iceberg.md#where-a-run-starts), fresh tables start at
 * the partitions' end offsets when the job starts, recorded in every table before the read: records
 * already in the topics are in no table, a run stopped before it committed any rows is resumed from
 * its start (the records sent after it are read), the first commit's ranges begin at those offsets,
 * and a restart with the same command resumes from the tables' positions (the records sent while
 * the job was down are read).
 */
public class StreamingIcebergTablesTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final String PREFIX = "sparkread";
  static final long WINDOW_MILLIS = 10_000;
  /** 2026-12-06T10:00:00Z: the first window's start. */
  static final long FIRST_WINDOW = 1_796_551_200_000L;
  static final int POSTS_PER_WINDOW = 30;
  static final String BAD = "{\"index\": not json";

  @Test
  public void sparkReadsEveryRecordOnceTheResultsPerWindowAndOneSnapshotPerCommit() throws Exception {
    KAFKA.createTopics(PREFIX, 2);
    Path output = tmp.newFolder("stream").toPath();
    PostGenerator generator = new PostGenerator(61);
    Map<Long, Long> windowOfPost = new TreeMap<>();

    List<KafkaFixture.Sent> first = KAFKA.send(posts(PREFIX, generator, 0, 2, windowOfPost));
    assertEquals(0, StreamingPipeline.run(args(PREFIX, output, perTopic(PREFIX, first))));
    List<KafkaFixture.Sent> second = KAFKA.send(posts(PREFIX, generator, 2, 1, windowOfPost));
    assertEquals(0, StreamingPipeline.run(args(PREFIX, output, perTopic(PREFIX, second))));
    List<KafkaFixture.Sent> sent = new ArrayList<>(first);
    sent.addAll(second);

    Path windows = tmp.getRoot().toPath().resolve("windows.csv");
    List<String> csv = new ArrayList<>(List.of("ind,ws"));
    windowOfPost.forEach((ind, ws) -> csv.add(ind + "," + ws));
    Files.write(windows, csv);
    Path seen = tmp.getRoot().toPath().resolve("seen.txt");
    runSpark(output.resolve("warehouse"), windows, seen);

    Map<String, Long> counts = new TreeMap<>();
    Map<String, List<String[]>> snapshots = new LinkedHashMap<>();
    Map<String, List<String>> now = new TreeMap<>();
    Map<String, List<String>> asOf = new TreeMap<>();
    // Lists, not sets: a result window committed twice must show as rows twice.
    Map<String, List<String>> results = new TreeMap<>();
    Map<String, List<String>> expected = new TreeMap<>();
    for (String line : Files.readAllLines(seen)) {
      String[] p = line.split(" ", 5);
      switch (p[0]) {
        case "count" -> counts.put(p[1], Long.parseLong(p[2]));
        case "snapshot" -> snapshots.computeIfAbsent(p[1], k -> new ArrayList<>()).add(new String[] {p[2], p[3], p.length > 4 ? p[4] : ""});
        case "now" -> now.computeIfAbsent(p[1], k -> new ArrayList<>()).add(p[2]);
        case "asof" -> asOf.computeIfAbsent(p[1] + " " + p[2], k -> new ArrayList<>()).add(p[3]);
        case "result" -> results.computeIfAbsent(p[1], k -> new ArrayList<>()).add(line.substring(p[0].length() + p[1].length() + 2));
        case "expected" -> expected.computeIfAbsent(p[1], k -> new ArrayList<>()).add(line.substring(p[0].length() + p[1].length() + 2));
        default -> throw new AssertionError(line);
      }
    }

    // Row counts: the windows' accounting, and every record read is a row, a dead letter or a duplicate.
    Map<String, Long> accounted = summaries(output);
    long read = 0;
    for (RecordKind kind : RecordKind.values()) {
      String k = kind.id();
      assertEquals(k, accounted.get(k + ".cleaned"), counts.get(k));
      assertEquals(k, accounted.get(k + ".dead_lettered"), counts.get(BatchTables.deadLetterTable(kind)));
      assertEquals(k, (long) accounted.get(k + ".read"), accounted.get(k + ".cleaned") + accounted.get(k + ".dead_lettered") + accounted.get(k + ".duplicates"));
      assertEquals(k + ": every 7th post's bad record", 3 * POSTS_PER_WINDOW / 7, (long) counts.get(BatchTables.deadLetterTable(kind)));
      assertEquals(k + ": every 9th post sent twice", 3 * POSTS_PER_WINDOW / 9, (long) accounted.get(k + ".duplicates"));
      read += accounted.get(k + ".read");
    }
    assertEquals(sent.size(), read);

    // The nine results, recomputed per window from the kinds' tables.
    assertEquals(9, expected.size());
    results.values().forEach(java.util.Collections::sort);
    expected.values().forEach(java.util.Collections::sort);
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      assertEquals(e.getKey(), e.getValue(), results.get(e.getKey()));
    }
    TreeSet<String> windowsWithResults = new TreeSet<>();
    results.get("top_category_by_country").forEach(line -> windowsWithResults.add(line.split(",")[0]));
    assertEquals(
        List.of(FIRST_WINDOW, FIRST_WINDOW + WINDOW_MILLIS, FIRST_WINDOW + 2 * WINDOW_MILLIS).toString(),
        windowsWithResults.stream().map(Long::parseLong).toList().toString());

    // One snapshot per commit in every table, the ranges going on from one to the next.
    Map<String, Long> ends = new TreeMap<>();
    sent.forEach(s -> ends.merge(partitionKey(s.coordinates()), s.offset() + 1, Math::max));
    List<String> positionsOfPin = null;
    for (String table : StreamTables.tableNames()) {
      List<String[]> list = snapshots.get(table);
      assertTrue(table + " has snapshots of both runs", list != null && list.size() >= 2);
      List<String> positions = new ArrayList<>();
      Map<String, Long> previous = new TreeMap<>();
      TreeSet<String> ids = new TreeSet<>();
      for (String[] s : list) {
        assertTrue(table + " commit id " + s[1], ids.add(s[1]) && !s[1].equals("null"));
        Map<String, Long> to = new TreeMap<>();
        for (String range : s[2].split(";")) {
          String[] kv = range.split("=");
          String partition = StreamTables.partitionKeyOf(kv[0]);
          long from = Long.parseLong(kv[1].split("-")[0]);
          assertEquals(table + " " + range, previous.getOrDefault(partition, 0L).longValue(), from);
          to.put(partition, Long.parseLong(kv[1].split("-")[1]));
        }
        previous = to;
        positions.add(to.toString());
      }
      assertEquals(table, ends, previous);
      if (positionsOfPin == null) {
        positionsOfPin = positions;
      }
      assertEquals(table + ": the same commits as pin", positionsOfPin, positions);
    }

    // Time travel: each snapshot of a record table holds the rows below its positions, no more.
    for (String table : StreamTables.tableNames()) {
      if (StreamTables.isResult(table)) {
        continue;
      }
      List<String> current = now.getOrDefault(table, List.of());
      assertEquals(table + " no origin twice", current.size(), new TreeSet<>(current).size());
      int snapshot = 0;
      for (String[] s : snapshots.get(table)) {
        Map<String, Long> to = positionsOf(s[2]);
        TreeSet<String> below = new TreeSet<>();
        current.stream().filter(o -> Long.parseLong(o.substring(o.lastIndexOf('+') + 1)) < to.get(partitionKey(o))).forEach(below::add);
        TreeSet<String> travelled = new TreeSet<>(asOf.get(table + " " + s[0]));
        travelled.remove("-");
        assertEquals(table + " as of snapshot " + snapshot++ + " (" + s[0] + ")", below, travelled);
      }
    }
    // The first run's last snapshot of pin holds the first run's pin rows only.
    Map<String, Long> firstEnds = new TreeMap<>();
    first.forEach(s -> firstEnds.merge(partitionKey(s.coordinates()), s.offset() + 1, Math::max));
    String firstRunLast = null;
    for (String[] s : snapshots.get("pin")) {
      Map<String, Long> to = positionsOf(s[2]);
      if (to.entrySet().stream().filter(e -> e.getKey().startsWith(PREFIX + ".pin")).allMatch(e -> e.getValue().equals(firstEnds.get(e.getKey())))) {
        firstRunLast = s[0];
        break;
      }
    }
    assertFalse("a pin snapshot at the first run's end", firstRunLast == null);
    TreeSet<String> firstRunPins = new TreeSet<>(asOf.get("pin " + firstRunLast));
    firstRunPins.remove("-");
    assertEquals(2 * POSTS_PER_WINDOW, firstRunPins.size());
    System.out.printf(
        "spark read %d records' tables: %d snapshots a table, %d result rows in 3 windows%n",
        sent.size(), positionsOfPin.size(), results.values().stream().mapToInt(List::size).sum());
  }

  @Test
  public void aJdbcCatalogInPostgresqlHoldsEveryRecordOnceAcrossARestart() throws Exception {
    runAndRestartOnAJdbcCatalog("postgresql", IcebergFixtures.postgresqlOrSkip());
  }

  @Test
  public void aJdbcCatalogInMariadbHoldsEveryRecordOnceAcrossARestart() throws Exception {
    runAndRestartOnAJdbcCatalog("mariadb", IcebergFixtures.mariadbOrSkip());
  }

  @Test
  public void aJdbcCatalogInSqliteHoldsEveryRecordOnceAcrossARestart() throws Exception {
    // The write-ahead log and the busy timeout let the writers' readers in while a commit writes.
    runAndRestartOnAJdbcCatalog("sqlite", IcebergFixtures.sqliteOrSkip(tmp.newFolder("sqlite").toPath().resolve("catalog.db")));
  }

  @Test
  public void freshTablesFromLatestStartAtTheEndOffsetsARestartResumesFromTheirPositionsAndOverwriteStartsAfresh() throws Exception {
    String prefix = "latest";
    KAFKA.createTopics(prefix, 2);
    Path output = tmp.newFolder(prefix).toPath();
    PostGenerator generator = new PostGenerator(71);
    List<KafkaFixture.Sent> before = KAFKA.send(posts(prefix, generator, 0, 1, new TreeMap<>()));
    Map<String, Long> startEnds = new TreeMap<>();
    for (RecordKind kind : RecordKind.values()) {
      for (int partition = 0; partition < 2; partition++) {
        startEnds.put(prefix + "." + kind.id() + "+" + partition + "+", 0L);
      }
    }
    before.forEach(s -> startEnds.merge(partitionKey(s.coordinates()), s.offset() + 1, Math::max));
    List<ProducerRecord<byte[], byte[]>> during = posts(prefix, generator, 1, 1, new TreeMap<>());
    long duringPerTopic = during.stream().filter(r -> r.topic().equals(prefix + ".pin")).count();

    java.util.concurrent.ExecutorService job = java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      // A run from latest that reads nothing for 5 s and ends before any commit of rows: it
      // records the end offsets of its start in every table (a snapshot without files), so the
      // next run resumes there instead of at the end offsets of its own start.
      assertEquals(
          Integer.valueOf(0),
          job.submit(() -> StreamingPipeline.run(args(prefix, output, 1_000_000, "--startFrom=latest", "--maxReadSeconds=5")))
              .get(180, TimeUnit.SECONDS));
      Catalog started = IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
      try {
        for (String table : StreamTables.tableNames()) {
          Table t = started.loadTable(StreamTables.identifier(table));
          assertEquals(table + ": the start's positions", startEnds, StreamTables.positions(t));
          assertEquals(table + ": rows before any record was read", "0", t.currentSnapshot().summary().get("total-records"));
        }
      } finally {
        IcebergCatalog.close(started);
      }
      assertEquals("the group's offsets: the start's", startEnds, groupOffsets(prefix));
      // Sent after that start, before the next run: a second start from latest would skip them.
      List<KafkaFixture.Sent> sent = new ArrayList<>(KAFKA.send(during));
      java.util.concurrent.Future<Integer> first =
          job.submit(() -> StreamingPipeline.run(args(prefix, output, duringPerTopic, "--startFrom=latest")));
      assertEquals(Integer.valueOf(0), first.get(180, TimeUnit.SECONDS));
      // Sent while the job is down: a restart with the same --startFrom=latest reads them, from the
      // tables' positions, instead of starting at the end again.
      List<ProducerRecord<byte[], byte[]>> down = posts(prefix, generator, 2, 1, new TreeMap<>());
      long downPerTopic = down.stream().filter(r -> r.topic().equals(prefix + ".pin")).count();
      List<KafkaFixture.Sent> whileDown = KAFKA.send(down);
      java.util.concurrent.Future<Integer> restart =
          job.submit(() -> StreamingPipeline.run(args(prefix, output, downPerTopic, "--startFrom=latest")));
      assertEquals(Integer.valueOf(0), restart.get(180, TimeUnit.SECONDS));
      sent.addAll(whileDown);

      Map<String, Long> ends = new TreeMap<>();
      sent.forEach(s -> ends.merge(partitionKey(s.coordinates()), s.offset() + 1, Math::max));
      java.util.Set<String> sentOrigins = new TreeSet<>();
      sent.forEach(s -> sentOrigins.add(s.coordinates()));
      Catalog catalog = IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
      try {
        for (RecordKind kind : RecordKind.values()) {
          List<String> rows = origins(catalog.loadTable(StreamTables.identifier(kind.id())));
          List<String> deadLetters = origins(catalog.loadTable(StreamTables.identifier(BatchTables.deadLetterTable(kind))));
          // Two windows' posts, each once (every 9th post's second copy a duplicate); none from before the start.
          assertEquals(kind.id(), 2 * POSTS_PER_WINDOW, rows.size());
          assertEquals(kind.id(), 2 * POSTS_PER_WINDOW / 7, deadLetters.size());
          for (String origin : rows) {
            assertTrue(kind.id() + " " + origin + " was sent after the start", sentOrigins.contains(origin));
          }
          for (String origin : deadLetters) {
            assertTrue(kind.id() + " dead letter " + origin + " was sent after the start", sentOrigins.contains(origin));
          }
        }
        for (String table : StreamTables.tableNames()) {
          Table t = catalog.loadTable(StreamTables.identifier(table));
          assertEquals(table, ends, StreamTables.positions(t));
          // In order: the start's snapshot (commit id "start", empty ranges at the end offsets of
          // the start), then commits whose ranges each begin where the previous one's ended, the
          // first of them at the start's end offsets.
          List<org.apache.iceberg.Snapshot> inOrder = new ArrayList<>();
          t.snapshots().forEach(inOrder::add);
          inOrder.sort(java.util.Comparator.comparingLong(org.apache.iceberg.Snapshot::sequenceNumber));
          assertEquals(table + ": the first snapshot is the start's", "start", inOrder.get(0).summary().get(StreamTables.COMMIT_ID));
          assertEquals(table + ": the start adds no rows", "0", inOrder.get(0).summary().get("total-records"));
          Map<String, Long> previousTo = startEnds;
          for (org.apache.iceberg.Snapshot snapshot : inOrder) {
            Map<String, Long> from = new TreeMap<>();
            Map<String, Long> to = new TreeMap<>();
            snapshot.summary().forEach(
                (key, range) -> {
                  if (key.startsWith(StreamTables.POSITION_PREFIX)) {
                    from.put(StreamTables.partitionKeyOf(key), Long.parseLong(range.substring(0, range.indexOf('-'))));
                    to.put(StreamTables.partitionKeyOf(key), Long.parseLong(range.substring(range.indexOf('-') + 1)));
                  }
                });
            if (to.isEmpty()) {
              continue; // not a streaming commit (none here; a compaction would be one)
            }
            assertEquals(table + " snapshot " + snapshot.snapshotId() + ": ranges begin where the last ended", previousTo, from);
            previousTo = to;
          }
          assertTrue(table + ": commits with rows after the start", inOrder.size() > 1);
        }
      } finally {
        IcebergCatalog.close(catalog);
      }

      // --overwrite drops the tables in the output's own warehouse: the same job then reads the log
      // from its start (--startFrom's default), every post of the three windows once, as one run
      // over all of them would, instead of resuming from the dropped tables' positions.
      long allPerTopic =
          before.stream().filter(s -> s.coordinates().startsWith(prefix + ".pin+")).count() + duringPerTopic + downPerTopic;
      java.util.concurrent.Future<Integer> overwritten =
          job.submit(() -> StreamingPipeline.run(args(prefix, output, allPerTopic, "--overwrite")));
      assertEquals(Integer.valueOf(0), overwritten.get(180, TimeUnit.SECONDS));
      Map<String, Long> allEnds = new TreeMap<>(ends);
      before.forEach(s -> allEnds.merge(partitionKey(s.coordinates()), s.offset() + 1, Math::max));
      Catalog again = IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
      try {
        for (RecordKind kind : RecordKind.values()) {
          List<String> rows = origins(again.loadTable(StreamTables.identifier(kind.id())));
          assertEquals(kind.id(), 3 * POSTS_PER_WINDOW, rows.size());
          assertEquals(kind.id(), rows.size(), new TreeSet<>(rows).size());
          assertEquals(
              kind.id(), 3 * POSTS_PER_WINDOW / 7,
              origins(again.loadTable(StreamTables.identifier(BatchTables.deadLetterTable(kind)))).size());
        }
        for (String table : StreamTables.tableNames()) {
          assertEquals(table, allEnds, StreamTables.positions(again.loadTable(StreamTables.identifier(table))));
        }
      } finally {
        IcebergCatalog.close(again);
      }
    } finally {
      job.shutdownNow();
    }
  }

  /** The streaming job's group's committed offsets of {@code prefix}'s topics, by {@code <topic>+<partition>+}. */
  private static Map<String, Long> groupOffsets(String prefix) {
    Map<String, Long> committed = new TreeMap<>();
    List<String> topics = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      topics.add(prefix + "." + kind.id());
    }
    for (io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets p :
        io.pinpipe.pipelines.io.kafka.KafkaOffsets.offsets(
            Map.of("bootstrap.servers", KAFKA.bootstrapServers()), topics,
            io.pinpipe.pipelines.io.kafka.StartPosition.earliest(), java.util.Optional.of(prefix + "-streaming"))) {
      p.committed().ifPresent(offset -> committed.put(p.topic() + "+" + p.partition() + "+", offset));
    }
    return committed;
  }

  private void runAndRestartOnAJdbcCatalog(String database, String uri) throws Exception {
    System.out.println("StreamingIcebergTablesTest: the JDBC catalog is in " + database + " (" + IcebergCatalog.redacted(uri) + ")");
    String prefix = "jdbc" + database;
    String name = IcebergFixtures.uniqueName();
    KAFKA.createTopics(prefix, 2);
    Path output = tmp.newFolder(prefix).toPath();
    PostGenerator generator = new PostGenerator(67);
    String[] catalogArgs = {"--catalogUri=" + uri, "--catalogName=" + name};
    IcebergCatalog place = IcebergCatalog.jdbc(name, uri, output.resolve("warehouse").toString());
    List<KafkaFixture.Sent> sent = new ArrayList<>();
    try {
      for (int run = 0; run < 2; run++) {
        List<KafkaFixture.Sent> posted = KAFKA.send(posts(prefix, generator, run, 1, new TreeMap<>()));
        assertEquals(0, StreamingPipeline.run(args(prefix, output, perTopic(prefix, posted), catalogArgs)));
        sent.addAll(posted);
      }
      Catalog catalog = place.open();
      try {
        assertEveryRecordOnce(catalog, sent, 2);
        for (String table : StreamTables.tableNames()) {
          Table t = catalog.loadTable(StreamTables.identifier(table));
          assertEquals(table, ((HasTableOperations) t).operations().current().metadataFileLocation(), catalogRow(uri, name, table));
        }
      } finally {
        IcebergCatalog.close(catalog);
      }
    } finally {
      IcebergFixtures.dropStreamTables(place);
    }
  }

  /**
   * What {@code runs} bounded runs over {@link #posts} of one window each leave in the tables,
   * {@code sent} being every record posted: each in exactly one row of its kind's table or
   * dead-letter table, or an exact copy of one (sent twice in a row); {@code runs} windows' rows
   * and dead letters per kind; every table's positions at every partition's end, with one snapshot
   * a run.
   */
  public static void assertEveryRecordOnce(Catalog catalog, List<KafkaFixture.Sent> sent, int runs) throws Exception {
    Map<String, Long> ends = new TreeMap<>();
    sent.forEach(s -> ends.merge(partitionKey(s.coordinates()), s.offset() + 1, Math::max));
    Map<String, String> payloads = new TreeMap<>();
    sent.forEach(s -> payloads.put(s.coordinates(), s.text()));
    Map<String, String> rowOf = new TreeMap<>();
    for (RecordKind kind : RecordKind.values()) {
      List<String> rows = origins(catalog.loadTable(StreamTables.identifier(kind.id())));
      List<String> deadLetters = origins(catalog.loadTable(StreamTables.identifier(BatchTables.deadLetterTable(kind))));
      assertEquals(kind.id(), runs * POSTS_PER_WINDOW, rows.size());
      assertEquals(kind.id(), runs * POSTS_PER_WINDOW / 7, deadLetters.size());
      for (String origin : rows) {
        assertEquals(origin + " once", null, rowOf.put(origin, kind.id()));
      }
      for (String origin : deadLetters) {
        assertEquals(origin + " once", null, rowOf.put(origin, kind.id() + " dead letter"));
        assertEquals(origin, BAD, payloads.get(origin));
      }
    }
    // Every record posted is a row, or an exact copy of a record that is (sent twice in a row).
    for (KafkaFixture.Sent s : sent) {
      if (!rowOf.containsKey(s.coordinates())) {
        // Of two copies the row is the lower origin's, compared as text (offset 9 or 10 of 9, 10).
        String before = partitionKey(s.coordinates()) + (s.offset() - 1);
        String after = partitionKey(s.coordinates()) + (s.offset() + 1);
        assertTrue(
            s.coordinates() + " a copy of " + before + " or " + after,
            rowOf.containsKey(before) && s.text().equals(payloads.get(before))
                || rowOf.containsKey(after) && s.text().equals(payloads.get(after)));
      }
    }
    for (String table : StreamTables.tableNames()) {
      Table t = catalog.loadTable(StreamTables.identifier(table));
      assertEquals(table, ends, StreamTables.positions(t));
      assertEquals(table + ": a snapshot a run", runs, IcebergFixtures.count(t.snapshots()));
    }
  }

  private static List<String> origins(Table table) throws Exception {
    List<String> origins = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(r -> origins.add((String) r.getField("origin")));
    }
    return origins;
  }

  /** The metadata location the database holds for a streaming table, read with plain JDBC. */
  private static String catalogRow(String uri, String catalog, String table) throws Exception {
    try (Connection c = DriverManager.getConnection(uri);
        PreparedStatement q =
            c.prepareStatement(
                "SELECT metadata_location FROM iceberg_tables WHERE catalog_name = ? AND table_namespace = ? AND table_name = ?")) {
      q.setString(1, catalog);
      q.setString(2, StreamTables.identifier(table).namespace().toString());
      q.setString(3, table);
      try (ResultSet r = q.executeQuery()) {
        assertTrue(table + " in the database", r.next());
        String location = r.getString(1);
        assertFalse(table + " once in the database", r.next());
        return location;
      }
    }
  }

  /**
   * Posts of {@code windows} windows from {@code firstWindow} on, as records to send: post {@code n}
   * (from 1) of window {@code w} is {@code w * POSTS_PER_WINDOW + i + 1}, sent twice in a row when
   * {@code n % 9 == 0}, followed by a {@link #BAD} record on each topic when {@code n % 7 == 0}.
   */
  public static List<ProducerRecord<byte[], byte[]>> posts(
      String prefix, PostGenerator generator, int firstWindow, int windows, Map<Long, Long> windowOfPost) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int w = firstWindow; w < firstWindow + windows; w++) {
      long start = FIRST_WINDOW + w * WINDOW_MILLIS;
      for (int i = 0; i < POSTS_PER_WINDOW; i++) {
        int n = w * POSTS_PER_WINDOW + i + 1;
        GeneratedPost post = generator.postAt(n);
        long timestamp = start + 1_000 + i * 100L; // well inside the window, one timestamp a post
        windowOfPost.put(post.index(), start);
        for (int copy = 0; copy < (n % 9 == 0 ? 2 : 1); copy++) {
          for (RecordKind kind : RecordKind.values()) {
            records.add(record(prefix, kind, timestamp, Long.toString(post.index()), post.json(io.pinpipe.contract.RecordKind.valueOf(kind.name()))));
          }
        }
        if (n % 7 == 0) {
          for (RecordKind kind : RecordKind.values()) {
            records.add(record(prefix, kind, timestamp, "bad-" + n, BAD));
          }
        }
      }
    }
    return records;
  }

  private static ProducerRecord<byte[], byte[]> record(String prefix, RecordKind kind, long timestamp, String key, String payload) {
    return new ProducerRecord<>(
        prefix + "." + kind.id(), null, timestamp, key.getBytes(StandardCharsets.UTF_8), payload.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A window is committed as soon as it is written, not at the next --commitSeconds tick, and the
   * windows written within --commitSeconds of that commit wait for the interval's end, here the
   * input's end (docs/iceberg.md#streaming): three windows, a 60 s interval, a run far shorter.
   */
  @Test
  public void aWindowIsCommittedWhenWrittenAndTheNextOnesWaitForTheInterval() throws Exception {
    String prefix = "timing";
    KAFKA.createTopics(prefix, 1);
    Path output = tmp.newFolder(prefix).toPath();
    List<KafkaFixture.Sent> sent = KAFKA.send(posts(prefix, new PostGenerator(73), 0, 3, new TreeMap<>()));
    List<String> args = new ArrayList<>(List.of(args(prefix, output, perTopic(prefix, sent))));
    args.replaceAll(a -> a.startsWith("--commitSeconds=") ? "--commitSeconds=60" : a);
    long started = System.nanoTime();
    assertEquals(0, StreamingPipeline.run(args.toArray(new String[0])));
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    assertTrue("the run took " + seconds + " s, not under the 60 s interval: no tick could have fired", seconds < 60);
    Catalog catalog = IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
    try {
      Table pins = catalog.loadTable(StreamTables.identifier(RecordKind.PIN.id()));
      List<org.apache.iceberg.Snapshot> inOrder = new ArrayList<>();
      pins.snapshots().forEach(inOrder::add);
      inOrder.sort(java.util.Comparator.comparingLong(org.apache.iceberg.Snapshot::sequenceNumber));
      // The first window when written; the second and third together at the input's end (with
      // commits only at ticks: one snapshot, at the end).
      assertEquals("pin snapshots", 2, inOrder.size());
      assertEquals("the first commit: the first window's pins", Integer.toString(POSTS_PER_WINDOW),
          inOrder.get(0).summary().get("total-records"));
      assertEquals("the last: every pin", Integer.toString(3 * POSTS_PER_WINDOW), inOrder.get(1).summary().get("total-records"));
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  /** Records per topic: the same on every topic by construction. */
  public static long perTopic(String prefix, List<KafkaFixture.Sent> sent) {
    return sent.stream().filter(s -> s.topic().equals(prefix + "." + RecordKind.PIN.id())).count();
  }

  private static String[] args(String prefix, Path output, long records, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + prefix,
                "--groupId=" + prefix + "-streaming", "--output=" + output, "--tableFormat=iceberg", "--commitSeconds=2",
                "--windowSeconds=10", "--maxRecordsPerStream=" + records));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  static String partitionKey(String origin) {
    return origin.substring(0, origin.lastIndexOf('+') + 1);
  }

  private static Map<String, Long> positionsOf(String ranges) {
    Map<String, Long> to = new TreeMap<>();
    for (String range : ranges.split(";")) {
      String[] kv = range.split("=");
      to.put(StreamTables.partitionKeyOf(kv[0]), Long.parseLong(kv[1].split("-")[1]));
    }
    return to;
  }

  /** The windows' summaries added up: {@code <kind>.<count>}. */
  private static Map<String, Long> summaries(Path output) throws Exception {
    Map<String, Long> sums = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    try (var files = Files.list(output.resolve("summary"))) {
      for (Path file : files.filter(f -> f.getFileName().toString().matches("summary-.*\\.json")).toList()) {
        JsonNode kinds = json.readTree(file.toFile()).path("kinds");
        kinds.fieldNames().forEachRemaining(
            kind -> kinds.path(kind).fields().forEachRemaining(c -> {
              if (c.getValue().isNumber()) {
                sums.merge(kind + "." + c.getKey(), c.getValue().asLong(), Long::sum);
              }
            }));
      }
    }
    return sums;
  }

  private static void runSpark(Path warehouse, Path windows, Path seen) throws Exception {
    Path log = seen.resolveSibling("spark.log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of(
            "-cp", BatchIcebergTablesTest.sparkClassPath(), SparkChecksStreamingTables.class.getName(),
            warehouse.toString(), windows.toString(), seen.toString()));
    Process spark = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!spark.waitFor(300, TimeUnit.SECONDS)) {
      spark.destroyForcibly();
    }
    assertEquals(Files.readString(log), 0, spark.exitValue());
  }
}
