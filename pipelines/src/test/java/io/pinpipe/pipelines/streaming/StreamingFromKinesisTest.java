package io.pinpipe.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.emulator.EmulatorMain;
import io.pinpipe.services.KinesisLocal;
import io.pinpipe.services.KinesisTestSupport;
import io.pinpipe.pipelines.LoopbackOnly;
import io.pinpipe.pipelines.batch.ParquetTable;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.contract.KinesisStreams;
import io.pinpipe.contract.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

/**
 * The original's streaming path on real local parts: the emulator puts generated events on three
 * Kinesis streams of a local endpoint (npm kinesis-local, started here), bad records are put on
 * the streams directly, and the streaming job reads them with Beam's aws2 KinesisIO. Every record
 * is accounted for, and each bad one lands in the dead letters with its stream, shard and sequence
 * number. Skipped without Node.js, except under {@code CI=true}.
 */
public class StreamingFromKinesisTest {
  private static final String PREFIX = "kin";
  private static final int EVENTS = 600;
  private static final Map<RecordKind, List<String>> BAD =
      Map.of(
          RecordKind.PIN, List.of("not JSON at all", "{\"index\": 9000000, \"category\": \"art\"}}"),
          RecordKind.GEO, List.of("{\"ind\": \"nine\"}", "\"just a string\""),
          RecordKind.USER, List.of("{", "{\"ind\": 9000001, \"age\": \"old\"} x"));

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  /** The Kinesis endpoint's ports (kinesis-mock's own default is 0.0.0.0) stay on loopback. */
  @ClassRule public static final LoopbackOnly LOOPBACK_ONLY = new LoopbackOnly();
  private static KinesisLocal kinesis;
  private static final Map<RecordKind, List<String>> badOrigins = new EnumMap<>(RecordKind.class);

  @BeforeClass
  public static void postEvents() throws Exception {
    KinesisTestSupport.assumeEndpointCanStart();
    // The SDK's default chain (emulator and KinesisIO) must find something to sign with; the local
    // endpoint accepts any values. Real runs use a profile or the environment.
    KinesisTestSupport.useDummyKeysForTheLocalEndpoint();
    kinesis = KinesisLocal.onFreePorts(TMP.newFolder("kinesis").toPath()).start(Duration.ofSeconds(60));
    List<String> streams = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      streams.add(KinesisStreams.name(PREFIX, kind));
    }
    kinesis.createStreams(streams, 2);
    assertEquals(
        0,
        EmulatorMain.execute(
            "post", "--sink=kinesis", "--kinesisEndpoint=" + kinesis.endpoint(), "--kinesisRegion=" + kinesis.region(),
            "--topicPrefix=" + PREFIX, "--count=" + EVENTS, "--seed=12"));
    try (KinesisClient client = kinesis.client()) {
      for (RecordKind kind : RecordKind.values()) {
        String stream = KinesisStreams.name(PREFIX, kind);
        List<String> origins = new ArrayList<>();
        int n = 0;
        for (String payload : BAD.get(kind)) {
          String key = "bad-" + n++;
          PutRecordResponse put =
              client.putRecord(b -> b.streamName(stream).partitionKey(key).data(SdkBytes.fromUtf8String(payload)));
          origins.add(stream + "/" + put.shardId() + "/" + put.sequenceNumber());
        }
        origins.sort(null);
        badOrigins.put(kind, origins);
      }
    }
  }

  @AfterClass
  public static void stopEndpoint() {
    if (kinesis != null) {
      kinesis.close();
    }
  }

  @Test
  public void everyRecordIsCleanedOrDeadLetteredWithItsShardAndSequence() throws Exception {
    long perStream = EVENTS + 2;
    Path output = TMP.newFolder("from-kinesis").toPath();
    assertEquals(
        0,
        StreamingPipeline.run(
            "--source=kinesis", "--endpoint=" + kinesis.endpoint(), "--awsRegion=" + kinesis.region(),
            "--topicPrefix=" + PREFIX, "--output=" + output, "--windowSeconds=1",
            "--maxRecordsPerStream=" + perStream,
            // Plain Parquet tables, whose folders this test reads (Iceberg: StreamingKinesisIcebergTest).
            "--tableFormat=parquet"));

    // Assembly puts a post's three records in one window, so every window with a clean pin has
    // rows in these results (the bad records may make a window of their own, without results).
    long windowsWithPosts = 0;
    for (Path summary : WindowedOutput.files(output.resolve("summary"), ".json")) {
      if (RunSummary.parse(Files.readString(summary)).path("kinds").path("pin").path("cleaned").asLong() > 0) {
        windowsWithPosts++;
      }
    }
    assertTrue(windowsWithPosts >= 1);
    for (String result : List.of("top_category_by_country", "users_joined_by_year", "median_followers_by_age_group")) {
      List<Path> files = WindowedOutput.files(output.resolve("results").resolve(result), ".csv");
      assertEquals(result, windowsWithPosts, files.size());
      assertTrue(result, Files.readString(files.get(0)).startsWith("window_start,window_end,"));
    }
    for (RecordKind kind : RecordKind.values()) {
      Map<String, Long> totals = WindowedOutput.totals(output, kind);
      assertEquals(kind.id() + " read", perStream, totals.get("read").longValue());
      assertEquals(kind.id() + " cleaned", EVENTS, totals.get("cleaned").longValue());
      assertEquals(kind.id() + " dead-lettered", 2, totals.get("dead_lettered").longValue());
      assertEquals(kind.id() + " duplicates", 0, totals.get("duplicates").longValue());
      assertEquals(kind.id() + " table rows", EVENTS, ParquetTable.read(output.resolve("tables").resolve(kind.id())).size());
      assertEquals(badOrigins.get(kind), WindowedOutput.deadLetterOrigins(output, kind));
    }
  }
}
