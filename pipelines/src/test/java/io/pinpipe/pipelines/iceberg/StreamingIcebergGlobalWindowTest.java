package io.pinpipe.pipelines.iceberg;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.ChildJob;
import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.batch.ParquetTable;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.pipelines.streaming.StreamingPipeline;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.results.ResultCsv;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code streaming --windowSeconds=0 --tableFormat=iceberg}: a bounded replay into one global window
 * (docs/iceberg.md#one-global-window), from a real broker on DirectRunner, against the same
 * replay with Parquet tables on the same records.
 *
 * <p>Replay A (60 posts of one day, every 9th post sent twice in a row, every 7th followed by an
 * unparseable record on each topic, two partitions a topic): each kind's table holds exactly the
 * Parquet replay's rows, each dead-letter table its dead letters, each result table its result CSV's
 * rows, with null {@code window_start}/{@code window_end}, every row's {@code ingestion_date} the
 * day of the replay's first record; the result CSVs are the Parquet replay's byte for byte and
 * {@code summary.json} has its counts; read = cleaned + dead-lettered + duplicates = the records posted; one
 * snapshot a table, at every partition's end.
 *
 * <p>Replay B (30 posts of the next day) in a child JVM, halted where {@link CrashPoint} says: at
 * its first data file (before any commit), every table is as replay A left it; after eight of the
 * fifteen tables' commits, those eight hold replay B whole (the kinds' rows added, results
 * replaced by B's) and the seven others replay A whole, never a part of a replay. The restart (to
 * its end) commits the seven, adds no snapshot to the eight, and leaves every table holding every
 * record exactly once and B's results.
 */
public class StreamingIcebergGlobalWindowTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final String PREFIX = "globalreplay";
  /** Replay B's posts: the window index of the next day in {@link StreamingIcebergTablesTest#posts}. */
  private static final int NEXT_DAY = (int) (86_400_000L / StreamingIcebergTablesTest.WINDOW_MILLIS);
  private static final LocalDate DAY_A = LocalDate.of(2026, 12, 6);
  private static final LocalDate DAY_B = DAY_A.plusDays(1);
  /** Tables committed before the halt between tables: the kinds, their dead letters, two results. */
  private static final int COMMITTED_BEFORE_HALT = 8;

  @Test
  public void aGlobalReplayCommitsOnceAtItsEndWhatTheParquetReplayWritesAndARestartCompletesIt() throws Exception {
    KAFKA.createTopics(PREFIX, 2);
    Path ice = tmp.newFolder("iceberg").toPath();
    PostGenerator generator = new PostGenerator(71);

    // Replay A: Parquet tables, then Iceberg tables, on the same records.
    List<KafkaFixture.Sent> sentA = KAFKA.send(StreamingIcebergTablesTest.posts(PREFIX, generator, 0, 2, new TreeMap<>()));
    long perTopicA = StreamingIcebergTablesTest.perTopic(PREFIX, sentA);
    Path parquetA = tmp.newFolder("parquet-a").toPath();
    assertEquals(0, StreamingPipeline.run(args(parquetA, perTopicA, "parquet")));
    assertEquals(0, StreamingPipeline.run(args(ice, perTopicA, "iceberg")));

    Map<String, List<String>> expectedA = expected(parquetA);
    assertEquals(expectedA, tables(ice));
    for (QueryOutput output : QueryOutput.values()) {
      String file = "results/" + output.outputName() + ".csv";
      assertEquals(file, Files.readString(parquetA.resolve(file)), Files.readString(ice.resolve(file)));
    }
    // The counts per kind (how many resent copies came after their post completed, among the posts'
    // counts, depends on how the topics' reads interleave).
    assertEquals(kinds(parquetA), kinds(ice));
    assertAccounting(ice, sentA, 60);
    assertAllRows(ice, DAY_A, sentA);
    Map<String, Long> endsA = ends(sentA);
    Map<String, Long> snapshotsA = new TreeMap<>();
    for (String table : StreamTables.tableNames()) {
      Table t = IcebergFixtures.streamTable(ice, table);
      assertEquals(table + ": one commit, at the end", 1, IcebergFixtures.count(t.snapshots()));
      assertEquals(table, endsA, StreamTables.positions(t));
      snapshotsA.put(table, t.currentSnapshot().snapshotId());
    }

    // Replay B: its Parquet replay (the group resumes from its committed offsets) for the expected rows.
    List<KafkaFixture.Sent> sentB = KAFKA.send(StreamingIcebergTablesTest.posts(PREFIX, generator, NEXT_DAY, 1, new TreeMap<>()));
    long perTopicB = StreamingIcebergTablesTest.perTopic(PREFIX, sentB);
    Path parquetB = tmp.newFolder("parquet-b").toPath();
    assertEquals(0, StreamingPipeline.run(args(parquetB, perTopicB, "parquet")));
    Map<String, List<String>> expectedB = expected(parquetB);
    List<KafkaFixture.Sent> sent = new ArrayList<>(sentA);
    sent.addAll(sentB);
    Map<String, Long> ends = ends(sent);

    // Halted at its first data file, before the end's commit: the tables are replay A's.
    halt(ice, perTopicB, StreamPackSink.FILE_WRITTEN);
    for (String table : StreamTables.tableNames()) {
      assertEquals(table, snapshotsA.get(table), (Long) IcebergFixtures.streamTable(ice, table).currentSnapshot().snapshotId());
    }
    assertEquals(expectedA, tables(ice));

    // Halted between two tables' commits: the first eight hold replay B whole, the others replay A.
    halt(ice, perTopicB, CommitStreamTables.BETWEEN_TABLES + "#" + COMMITTED_BEFORE_HALT);
    Map<String, List<String>> now = tables(ice);
    Map<String, Long> snapshotsB = new TreeMap<>();
    List<String> names = StreamTables.tableNames();
    for (int i = 0; i < names.size(); i++) {
      String table = names.get(i);
      Table t = IcebergFixtures.streamTable(ice, table);
      boolean committed = i < COMMITTED_BEFORE_HALT;
      assertEquals(table + (committed ? " committed" : " not committed"), committed ? ends : endsA, StreamTables.positions(t));
      assertEquals(table, committed ? 2 : 1, IcebergFixtures.count(t.snapshots()));
      assertEquals(table, committed ? afterB(table, expectedA, expectedB) : expectedA.get(table), now.get(table));
      snapshotsB.put(table, t.currentSnapshot().snapshotId());
    }

    // The restart reads replay B again from the lowest position: the seven commit, the eight keep
    // their snapshot (their commit's id and positions are there), every record once.
    assertEquals(0, StreamingPipeline.run(args(ice, perTopicB, "iceberg")));
    now = tables(ice);
    for (int i = 0; i < names.size(); i++) {
      String table = names.get(i);
      Table t = IcebergFixtures.streamTable(ice, table);
      assertEquals(table, ends, StreamTables.positions(t));
      assertEquals(table + ": a snapshot a replay", 2, IcebergFixtures.count(t.snapshots()));
      if (i < COMMITTED_BEFORE_HALT) {
        assertEquals(table + ": no second commit of replay B", snapshotsB.get(table), (Long) t.currentSnapshot().snapshotId());
      }
      assertEquals(table, afterB(table, expectedA, expectedB), now.get(table));
      Snapshot current = t.currentSnapshot();
      assertEquals(table, snapshotsA.get(table), current.parentId());
    }
    assertAccounting(ice, sentB, 30);
    assertAllRows(ice, null, sent);
    for (QueryOutput output : QueryOutput.values()) {
      String file = "results/" + output.outputName() + ".csv";
      assertEquals(file, Files.readString(parquetB.resolve(file)), Files.readString(ice.resolve(file)));
    }
  }

  /**
   * What a table holds after replay B on replay A: the kinds' and dead letters' rows of both, the
   * results of B alone (a replay's global window replaces the previous replay's).
   */
  private static List<String> afterB(String table, Map<String, List<String>> a, Map<String, List<String>> b) {
    if (StreamTables.isResult(table)) {
      return b.get(table);
    }
    List<String> both = new ArrayList<>(a.get(table));
    both.addAll(b.get(table));
    Collections.sort(both);
    return both;
  }

  /**
   * Every table's rows as a Parquet replay's output has them: a kind's clean columns ({@link
   * RowText#of}), a dead letter's {@code origin|reason|payload}, a result's CSV line; sorted lists.
   */
  public static Map<String, List<String>> expected(Path parquet) throws Exception {
    Map<String, List<String>> expected = new TreeMap<>(csvRows(parquet));
    for (RecordKind kind : RecordKind.values()) {
      List<String> rows = new ArrayList<>();
      for (GenericRecord r : ParquetTable.read(parquet.resolve("tables/" + kind.id()))) {
        rows.add(RowText.of(kind, i -> r.get(i)));
      }
      Collections.sort(rows);
      expected.put(kind.id(), rows);
      List<String> deadLetters = new ArrayList<>();
      Path folder = parquet.resolve("dead-letter/" + kind.id());
      if (Files.isDirectory(folder)) {
        try (Stream<Path> files = Files.list(folder)) {
          for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
              JsonNode d = new ObjectMapper().readTree(line);
              deadLetters.add(d.path("origin").asText() + "|" + d.path("reason").asText() + "|" + d.path("payload").asText());
            }
          }
        }
      }
      Collections.sort(deadLetters);
      expected.put(BatchTables.deadLetterTable(kind), deadLetters);
    }
    return expected;
  }

  /** Each result file's rows of an output (without its header), sorted, by result name. */
  public static Map<String, List<String>> csvRows(Path output) throws Exception {
    Map<String, List<String>> rows = new TreeMap<>();
    for (QueryOutput result : QueryOutput.values()) {
      List<String> csv = Files.readAllLines(output.resolve("results/" + result.outputName() + ".csv"), StandardCharsets.UTF_8);
      List<String> lines = new ArrayList<>(csv.subList(1, csv.size()));
      Collections.sort(lines);
      rows.put(result.outputName(), lines);
    }
    return rows;
  }

  /** Every table's current rows in the form of {@link #expected}; checks no origin is there twice. */
  private static Map<String, List<String>> tables(Path output) throws Exception {
    Map<String, List<String>> tables = new TreeMap<>();
    for (String name : StreamTables.tableNames()) {
      List<String> rows = new ArrayList<>();
      TreeSet<String> origins = new TreeSet<>();
      try (CloseableIterable<Record> records = IcebergGenerics.read(IcebergFixtures.streamTable(output, name)).build()) {
        for (Record r : records) {
          if (StreamTables.isResult(name)) {
            List<String> fields = new ArrayList<>();
            for (int i = 2; i < r.size() - 1; i++) {
              fields.add(ResultCsv.field(r.get(i)));
            }
            rows.add(String.join(",", fields));
          } else if (name.endsWith("_dead_letters")) {
            rows.add(r.getField("origin") + "|" + r.getField("reason") + "|" + r.getField("payload"));
            assertTrue(name + " " + r.getField("origin") + " once", origins.add((String) r.getField("origin")));
          } else {
            rows.add(RowText.of(RecordKind.fromId(name), i -> r.get(i)));
            assertTrue(name + " " + r.getField("origin") + " once", origins.add((String) r.getField("origin")));
          }
        }
      }
      Collections.sort(rows);
      tables.put(name, rows);
    }
    return tables;
  }

  /**
   * The columns the replay gives every row: a result's {@code window_start}/{@code window_end} null;
   * {@code ingestion_date} the day of its replay's first record ({@code day}, or either day when
   * null); and every record posted is a row or dead letter of its kind, or a copy of one sent right
   * before or after it (every 9th post).
   */
  private static void assertAllRows(Path output, LocalDate day, List<KafkaFixture.Sent> sent) throws Exception {
    Map<String, String> payloads = new TreeMap<>();
    sent.forEach(s -> payloads.put(s.coordinates(), new String(s.value(), StandardCharsets.UTF_8)));
    TreeSet<String> held = new TreeSet<>();
    for (String name : StreamTables.tableNames()) {
      try (CloseableIterable<Record> records = IcebergGenerics.read(IcebergFixtures.streamTable(output, name)).build()) {
        for (Record r : records) {
          Object rowDay = r.getField(BatchTables.PARTITION_COLUMN);
          assertTrue(name + " " + rowDay, day == null ? rowDay.equals(DAY_A) || rowDay.equals(DAY_B) : rowDay.equals(day));
          if (StreamTables.isResult(name)) {
            assertNull(name, r.getField(StreamTables.WINDOW_START));
            assertNull(name, r.getField(StreamTables.WINDOW_END));
          } else {
            String origin = (String) r.getField("origin");
            assertTrue(origin + " in two tables", held.add(origin));
            assertTrue(origin + " posted to " + name, origin.startsWith(PREFIX + "." + name.replace("_dead_letters", "") + "+"));
          }
        }
      }
    }
    for (KafkaFixture.Sent s : sent) {
      if (!held.contains(s.coordinates())) {
        String key = StreamingIcebergTablesTest.partitionKey(s.coordinates());
        String before = key + (s.offset() - 1);
        String after = key + (s.offset() + 1);
        String text = payloads.get(s.coordinates());
        assertTrue(
            s.coordinates() + " a copy of " + before + " or " + after,
            held.contains(before) && text.equals(payloads.get(before)) || held.contains(after) && text.equals(payloads.get(after)));
      }
    }
    assertEquals("no row of a record not posted", 0, held.stream().filter(o -> !payloads.containsKey(o)).count());
  }

  /**
   * The replay's {@code summary.json}: read = cleaned + dead-lettered + duplicates, the records
   * posted in all; per kind a bad record every 7th post and a copy every 9th (of {@code posts}).
   */
  private static void assertAccounting(Path output, List<KafkaFixture.Sent> sent, int posts) throws Exception {
    JsonNode kinds = new ObjectMapper().readTree(output.resolve("summary.json").toFile()).path("kinds");
    long read = 0;
    for (RecordKind kind : RecordKind.values()) {
      JsonNode k = kinds.path(kind.id());
      assertEquals(kind.id(), k.path("read").asLong(), k.path("cleaned").asLong() + k.path("dead_lettered").asLong() + k.path("duplicates").asLong());
      read += k.path("read").asLong();
    }
    assertEquals(sent.size(), read);
    long bad = sent.stream().filter(s -> new String(s.value(), StandardCharsets.UTF_8).equals(StreamingIcebergTablesTest.BAD)).count();
    assertEquals(bad, 3 * kinds.path("pin").path("dead_lettered").asLong());
    assertTrue("every 7th post's bad record: " + bad, bad >= 3 * (posts / 7));
    assertTrue("every 9th post's copy", kinds.path("pin").path("duplicates").asLong() >= posts / 9);
  }

  private static JsonNode kinds(Path output) throws Exception {
    return new ObjectMapper().readTree(output.resolve("summary.json").toFile()).path("kinds");
  }

  /** Replay B in a child JVM, halted at {@code point}. */
  private void halt(Path output, long perTopic, String point) throws Exception {
    ChildJob.Ended ended =
        ChildJob.run(tmp.newFile(), point, -1, List.of(), prepend("streaming", args(output, perTopic, "iceberg")));
    assertEquals(ended.stderr, CrashPoint.STATUS, ended.status);
    assertThat(ended.stderr, containsString("pinpipe.crashAt: halting at " + point));
  }

  private static String[] args(Path output, long perTopic, String format) {
    return new String[] {
      "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX,
      "--groupId=" + PREFIX + "-" + format, "--output=" + output, "--tableFormat=" + format, "--windowSeconds=0",
      "--maxRecordsPerStream=" + perTopic
    };
  }

  private static String[] prepend(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  private static Map<String, Long> ends(List<KafkaFixture.Sent> sent) {
    Map<String, Long> ends = new TreeMap<>();
    sent.forEach(s -> ends.merge(StreamingIcebergTablesTest.partitionKey(s.coordinates()), s.offset() + 1, Math::max));
    return ends;
  }
}
