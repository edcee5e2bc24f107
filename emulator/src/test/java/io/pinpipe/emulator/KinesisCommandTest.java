package io.pinpipe.emulator;

import static org.junit.Assert.assertEquals;

import io.pinpipe.services.KinesisLocal;
import io.pinpipe.services.KinesisTestSupport;
import io.pinpipe.services.LocalProcess;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;

/** {@code kinesis start|status|stop} as a user runs it, against the real local endpoint. */
public class KinesisCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final EmulatorRun emulator = new EmulatorRun();

  @Test
  public void startCreatesTheThreeStreamsAndStatusAndStopReportTheEndpoint() throws Exception {
    KinesisTestSupport.assumeEndpointCanStart();
    Path dataDir = tmp.getRoot().toPath().resolve("kinesis");
    int port = LocalProcess.freePort();
    String endpoint = "http://127.0.0.1:" + port;
    try {
      assertEquals(emulator.err(), 0, emulator.run("kinesis", "start", "--dataDir", dataDir.toString(), "--port", "" + port,
          "--topicPrefix", "kc", "--shards", "2"));
      assertEquals(
          "kinesis: endpoint ready at " + endpoint + " (region us-east-1), streams streaming-kc-pin,"
              + " streaming-kc-geo, streaming-kc-user; log in " + dataDir + "\n",
          emulator.out());
      try (KinesisClient client = KinesisLocal.client(URI.create(endpoint))) {
        List<String> seen = new ArrayList<>();
        for (String stream : List.of("streaming-kc-pin", "streaming-kc-geo", "streaming-kc-user")) {
          StreamDescriptionSummary s = client.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary();
          seen.add(s.streamName() + " " + s.streamStatus() + " " + s.openShardCount());
        }
        assertEquals(
            List.of("streaming-kc-pin ACTIVE 2", "streaming-kc-geo ACTIVE 2", "streaming-kc-user ACTIVE 2"),
            seen);
      }

      long pid = KinesisLocal.SERVICE.running(dataDir).orElseThrow().pid();
      assertEquals(0, emulator.run("kinesis", "status", "--dataDir", dataDir.toString()));
      assertEquals("kinesis: running, pid " + pid + ", accepting connections on " + endpoint + "\n", emulator.out());

      assertEquals(1, emulator.run("kinesis", "start", "--dataDir", dataDir.toString(), "--port", "" + port));
      assertEquals("error: an endpoint is already running on " + dataDir + " (stop it first)\n", emulator.err());
    } finally {
      assertEquals(0, emulator.run("kinesis", "stop", "--dataDir", dataDir.toString()));
    }
    assertEquals("kinesis: endpoint stopped (" + dataDir + ")\n", emulator.out());
    assertEquals(3, emulator.run("kinesis", "status", "--dataDir", dataDir.toString()));
    assertEquals("kinesis: not running (" + dataDir + ")\n", emulator.out());
    assertEquals(0, emulator.run("kinesis", "stop", "--dataDir", dataDir.toString()));
    assertEquals("kinesis: no endpoint running on " + dataDir + "\n", emulator.out());
  }

  @Test
  public void aMissingOrUnknownActionOrABadOptionIsAUsageError() {
    assertEquals(2, emulator.run("kinesis"));
    assertEquals("error: kinesis needs an action: start, stop or status\n", emulator.err());
    assertEquals(2, emulator.run("kinesis", "restart"));
    assertEquals("error: unknown kinesis action 'restart' (start, stop or status)\n", emulator.err());
    assertEquals(2, emulator.run("kinesis", "start", "--shards", "0"));
    assertEquals("error: --shards must be in 1..50, got 0\n", emulator.err());
    assertEquals(2, emulator.run("kinesis", "start", "--bogus", "x"));
    assertEquals("error: unknown option --bogus\n", emulator.err());
  }

  @Test
  public void startOnAPortInUseFailsNamingThePort() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Path dataDir = tmp.getRoot().toPath().resolve("busy");
      assertEquals(1, emulator.run("kinesis", "start", "--dataDir", dataDir.toString(), "--port", "" + taken.getLocalPort()));
      assertEquals("error: port " + taken.getLocalPort() + " on 127.0.0.1 is already in use\n", emulator.err());
    }
  }
}
