package io.pinpipe.services;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** The launcher runs the real kinesis-mock (Node) on free loopback ports and stops it for good. */
public class KinesisLocalTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void aStreamGivesBackTheRecordItTookAndCloseEndsTheNodeProcess() throws Exception {
    KinesisTestSupport.assumeEndpointCanStart();
    Path dataDir = temp.getRoot().toPath().resolve("kinesis");
    ProcessHandle node;
    long closing;
    try (KinesisLocal kinesis = KinesisLocal.onFreePorts(dataDir).start(Duration.ofSeconds(60))) {
      assertEquals("http://127.0.0.1:" + kinesis.port(), kinesis.endpoint().toString());
      assertEquals("us-east-1", kinesis.region());
      node = KinesisLocal.SERVICE.running(dataDir).orElseThrow();
      // Its plain and TLS ports, which kinesis-mock itself would open on every interface.
      KafkaBrokerTest.assertListensOnLoopbackOnly("the Kinesis endpoint", node, kinesis.port());
      if (ListeningSockets.supported()) {
        assertEquals(2, ListeningSockets.of(List.of(node)).size());
      }
      assertEquals(Optional.of(kinesis.port()), KinesisLocal.recordedPort(dataDir));

      kinesis.createStreams(List.of("roundtrip"), 1);
      try (KinesisClient client = kinesis.client()) {
        StreamDescriptionSummary summary =
            client.describeStreamSummary(b -> b.streamName("roundtrip")).streamDescriptionSummary();
        assertEquals(StreamStatus.ACTIVE, summary.streamStatus());
        assertEquals(Integer.valueOf(1), summary.openShardCount());
        // Creating an existing stream again is not an error: it is only waited for.
        kinesis.createStreams(List.of("roundtrip"), 1);

        String json = "{\"ind\": 7, \"country\": \"Côte d'Ivoire\"}";
        String shard =
            client.putRecord(b -> b.streamName("roundtrip").partitionKey("7")
                    .data(SdkBytes.fromString(json, StandardCharsets.UTF_8)))
                .shardId();
        String iterator =
            client.getShardIterator(b -> b.streamName("roundtrip").shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                .shardIterator();
        GetRecordsResponse page = client.getRecords(b -> b.shardIterator(iterator));
        assertEquals(1, page.records().size());
        Record record = page.records().get(0);
        assertEquals("7", record.partitionKey());
        assertEquals(json, record.data().asString(StandardCharsets.UTF_8));
      }
      closing = System.nanoTime();
    }
    // SIGTERM ends it at once when no client holds a connection open; the kill comes after 10 s.
    long closeMillis = (System.nanoTime() - closing) / 1_000_000;
    assertTrue("close took " + closeMillis + " ms: SIGTERM did not end the endpoint", closeMillis < 9_000);
    assertFalse("the node process still runs after close", node.isAlive());
    assertFalse(KinesisLocal.SERVICE.running(dataDir).isPresent());
    assertFalse(Files.exists(dataDir.resolve("kinesis.pid")));
    assertTrue(Files.exists(dataDir.resolve("kinesis.log")));
  }

  @Test
  public void aFolderThatIsNotThePackageIsOneClearError() throws Exception {
    Path notIt = temp.newFolder("empty").toPath();
    try {
      KinesisLocal.at(temp.getRoot().toPath(), 4568, Optional.of(notIt));
      fail("expected an error");
    } catch (IllegalStateException e) {
      assertEquals(notIt + " is not the kinesis-local package (no main.js and server.json)", e.getMessage());
    }
  }
}
