package io.pinpipe.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.emulator.EmulatorMain;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.batch.ParquetTable;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.PartitionRange;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming job on a real Kafka broker: events posted by the emulator (with resends) and a few
 * bad records put on the topics directly.
 *
 * <ul>
 *   <li>Replayed in one global window with a final trigger, the streaming job must write the same
 *       nine result files as batch reading the same topics (docs/streaming.md).
 *   <li>In fixed windows, every record read is accounted for, per kind and over all windows:
 *       cleaned (and in the tables), dead-lettered with its topic, partition and offset, or a
 *       duplicate; and the counts equal what is in the topics.
 *   <li>A restarted job resumes from the offsets its consumer group committed (docs/streaming.md#what-a-restart-reads-again).
 * </ul>
 */
public class StreamingFromKafkaTest {
  private static final String PREFIX = "live";
  /**
   * Two bad records per topic, so every topic holds the same count: one without a readable row
   * number (passes assembly straight through) and one with a row number of its own (waits, then
   * is released as an incomplete post).
   */
  private static final Map<RecordKind, List<String>> BAD =
      Map.of(
          RecordKind.PIN, List.of("this is not JSON", "{\"index\": 5000000, \"category\": \"art\"} trailing"),
          RecordKind.GEO, List.of("[1, 2, 3]", "{\"ind\": 5000001, \"country\": \"Aruba\"} trailing"),
          RecordKind.USER, List.of("", "{\"ind\": 5000002, \"age\": 30} trailing"));

  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Map<RecordKind, Long> inTopics = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, List<KafkaFixture.Sent>> badSent = new EnumMap<>(RecordKind.class);

  @BeforeClass
  public static void postEvents() throws Exception {
    KAFKA.createTopics(PREFIX, 2);
    assertEquals(
        0,
        EmulatorMain.execute(
            "post", "--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX,
            "--count=900", "--seed=31", "--duplicateRate=0.05", "--rate=450"));
    for (RecordKind kind : RecordKind.values()) {
      List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>();
      for (String payload : BAD.get(kind)) {
        bad.add(new ProducerRecord<>(PREFIX + "." + kind.id(), payload.getBytes(StandardCharsets.UTF_8)));
      }
      badSent.put(kind, KAFKA.send(bad));
    }
    Map<String, Object> config = Map.of("bootstrap.servers", KAFKA.bootstrapServers());
    for (RecordKind kind : RecordKind.values()) {
      List<PartitionRange> ranges =
          KafkaOffsets.plan(config, List.of(PREFIX + "." + kind.id()), StartPosition.earliest(), Optional.empty());
      inTopics.put(kind, ranges.stream().mapToLong(PartitionRange::size).sum());
    }
    // One bound serves all three reads only if the topics hold the same count (resends are whole posts).
    assertEquals(inTopics.get(RecordKind.PIN), inTopics.get(RecordKind.GEO));
    assertEquals(inTopics.get(RecordKind.PIN), inTopics.get(RecordKind.USER));
  }

  private static String[] streaming(Path output, String... more) {
    // Plain Parquet tables: this class reads their folders (the Iceberg tables are StreamingIceberg*Test's).
    List<String> args = new ArrayList<>(List.of(
        "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX,
        "--startFrom=earliest", "--output=" + output, "--maxRecordsPerStream=" + inTopics.get(RecordKind.PIN),
        "--tableFormat=parquet"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Test
  public void aGlobalWindowReplayWritesTheSameNineResultFilesAsBatch() throws Exception {
    Path streamed = TMP.newFolder("global").toPath();
    assertEquals(0, StreamingPipeline.run(streaming(streamed, "--windowSeconds=0")));
    Path batch = TMP.newFolder("batch").toPath();
    assertEquals(0, BatchPipeline.run(
        "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX, "--output=" + batch,
        // Its result files are what is compared: plain tables spare the Iceberg run's pass per day.
        "--tableFormat=parquet"));

    for (QueryOutput output : QueryOutput.values()) {
      String file = "results/" + output.outputName() + ".csv";
      assertEquals(file, Files.readString(batch.resolve(file)), Files.readString(streamed.resolve(file)));
    }
    JsonNode streamedSummary = RunSummary.parse(Files.readString(streamed.resolve("summary.json")));
    JsonNode batchSummary = RunSummary.parse(Files.readString(batch.resolve("summary.json")));
    assertEquals(batchSummary.path("kinds"), streamedSummary.path("kinds"));
    // Every event completes once; resent copies join their post or follow it as late resends.
    JsonNode posts = streamedSummary.path("posts");
    assertEquals(900, posts.path("complete").asLong());
    assertEquals(3, posts.path("incomplete").asLong());
    assertEquals(2, posts.path("missing_geo").asLong());
    assertEquals(2, posts.path("missing_pin").asLong());
    assertEquals(2, posts.path("missing_user").asLong());
  }

  @Test
  public void fixedWindowsCleanDeadLetterWithOriginOrDeduplicateEveryRecordRead() throws Exception {
    Path output = TMP.newFolder("windows").toPath();
    assertEquals(0, StreamingPipeline.run(streaming(output, "--windowSeconds=1")));

    List<Path> summaries = WindowedOutput.files(output.resolve("summary"), ".json");
    assertTrue("expected several windows, got " + summaries.size(), summaries.size() >= 2);
    for (RecordKind kind : RecordKind.values()) {
      Map<String, Long> totals = WindowedOutput.totals(output, kind);
      long read = totals.get("read");
      assertEquals(kind.id() + " read", inTopics.get(kind).longValue(), read);
      assertEquals(kind.id() + " accounted", read, totals.get("cleaned") + totals.get("dead_lettered") + totals.get("duplicates"));
      assertEquals(kind.id() + " table rows", totals.get("cleaned").longValue(), ParquetTable.read(output.resolve("tables").resolve(kind.id())).size());
      assertEquals(kind.id() + " dead letters", BAD.get(kind).size(), totals.get("dead_lettered").longValue());
      assertEquals(
          badSent.get(kind).stream().map(KafkaFixture.Sent::coordinates).sorted().collect(Collectors.toList()),
          WindowedOutput.deadLetterOrigins(output, kind));
    }

    List<Path> q1 = WindowedOutput.files(output.resolve("results").resolve("top_category_by_country"), ".csv");
    // A window of bad records alone has a summary but no results; every window with posts has q1 rows.
    long windowsWithPosts = 0;
    for (Path summary : summaries) {
      if (RunSummary.parse(Files.readString(summary)).path("kinds").path("pin").path("cleaned").asLong() > 0) {
        windowsWithPosts++;
      }
    }
    assertEquals(windowsWithPosts, q1.size());
    String first = Files.readString(q1.get(0));
    assertTrue(first, first.startsWith("window_start,window_end,country,category,category_count\n"));
  }

  @Test
  public void aRestartedJobResumesFromItsGroupsCommittedOffsets() throws Exception {
    String prefix = "resume";
    KAFKA.createTopics(prefix, 1);
    String[] common = {
      "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + prefix,
      "--groupId=resume-test", "--windowSeconds=0", "--maxRecordsPerStream=50", "--tableFormat=parquet"
    };
    postTo(prefix, 1);
    Path first = TMP.newFolder("first-run").toPath();
    assertEquals(0, StreamingPipeline.run(concat(common, "--output=" + first)));
    postTo(prefix, 51);
    Path second = TMP.newFolder("second-run").toPath();
    assertEquals(0, StreamingPipeline.run(concat(common, "--output=" + second)));

    assertEquals(rowNumbers(1, 50), tableRowNumbers(first));
    assertEquals(rowNumbers(51, 100), tableRowNumbers(second));
  }

  private static void postTo(String prefix, int firstIndex) {
    assertEquals(
        0,
        EmulatorMain.execute(
            "post", "--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + prefix,
            "--count=50", "--seed=5", "--firstIndex=" + firstIndex));
  }

  private static List<Long> rowNumbers(long from, long to) {
    List<Long> all = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      all.add(i);
    }
    return all;
  }

  private static List<Long> tableRowNumbers(Path output) throws Exception {
    return ParquetTable.read(output.resolve("tables").resolve("pin")).stream()
        .map(r -> (Long) r.get("ind"))
        .sorted()
        .collect(Collectors.toList());
  }

  private static String[] concat(String[] args, String more) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add(more);
    return all.toArray(new String[0]);
  }
}
