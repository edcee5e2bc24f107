package io.pinpipe.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.emulator.EmulatorMain;
import io.pinpipe.pipelines.ProgressCapture;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.batch.ParquetTable;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.PartitionRange;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming job on FlinkRunner (an embedded Flink cluster, parallelism 2, streaming mode)
 * reading a real Kafka broker: replayed in one global window it writes the nine result files batch
 * writes on DirectRunner for the same topics, and in fixed windows every record is accounted for
 * and lands in the Parquet tables, and the job prints a line for each window it wrote.
 */
public class StreamingOnFlinkTest {
  private static final String PREFIX = "flink";

  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static long perTopic;

  @BeforeClass
  public static void postEvents() throws Exception {
    KAFKA.createTopics(PREFIX, 2);
    assertEquals(
        0,
        EmulatorMain.execute(
            "post", "--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX,
            "--count=600", "--seed=41", "--duplicateRate=0.05", "--rate=400"));
    List<PartitionRange> ranges =
        KafkaOffsets.plan(
            Map.of("bootstrap.servers", KAFKA.bootstrapServers()), List.of(PREFIX + ".pin"),
            StartPosition.earliest(), Optional.empty());
    perTopic = ranges.stream().mapToLong(PartitionRange::size).sum();
    assertTrue("resends were posted: " + perTopic, perTopic > 600);
  }

  private static String[] onFlink(Path output, String windowSeconds) {
    return new String[] {
      "--runner=FlinkRunner", "--parallelism=2",
      "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX,
      "--startFrom=earliest", "--output=" + output, "--maxRecordsPerStream=" + perTopic,
      "--windowSeconds=" + windowSeconds,
      // Plain Parquet tables, whose folders this class reads (Iceberg on Flink: StreamingOnFlinkClusterIT).
      "--tableFormat=parquet"
    };
  }

  @Test
  public void aGlobalWindowReplayOnFlinkWritesTheNineFilesBatchWrites() throws Exception {
    Path streamed = TMP.newFolder("global").toPath();
    assertEquals(0, StreamingPipeline.run(onFlink(streamed, "0")));
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
    assertEquals("FlinkRunner", streamedSummary.path("runner").asText());
    assertEquals(600, streamedSummary.path("posts").path("complete").asLong());
    assertEquals(0, streamedSummary.path("posts").path("incomplete").asLong());
  }

  @Test
  public void fixedWindowsOnFlinkAccountForEveryRecordAndPrintALinePerWindow() throws Exception {
    Path output = TMP.newFolder("windows").toPath();
    ProgressCapture.Run run =
        ProgressCapture.run("streaming: window ", () -> StreamingPipeline.run(onFlink(output, "1")));
    assertEquals(0, run.status());

    List<Path> summaries = WindowedOutput.files(output.resolve("summary"), ".json");
    assertTrue(summaries.size() >= 1);
    // One progress line per window written, with the window's counts.
    List<String> expectedLines = new ArrayList<>();
    for (Path summary : summaries) {
      expectedLines.add(WindowLines.line(RunSummary.parse(Files.readString(summary))));
    }
    assertEquals(new TreeSet<>(expectedLines), new TreeSet<>(run.lines()));
    assertEquals(summaries.size(), run.lines().size());
    for (RecordKind kind : RecordKind.values()) {
      Map<String, Long> totals = WindowedOutput.totals(output, kind);
      assertEquals(kind.id() + " read", perTopic, totals.get("read").longValue());
      assertEquals(kind.id() + " accounted", perTopic, totals.get("cleaned") + totals.get("dead_lettered") + totals.get("duplicates"));
      assertEquals(kind.id() + " table rows", totals.get("cleaned").longValue(),
          ParquetTable.read(output.resolve("tables").resolve(kind.id())).size());
    }
  }
}
