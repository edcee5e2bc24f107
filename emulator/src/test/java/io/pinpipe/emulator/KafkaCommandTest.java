package io.pinpipe.emulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.services.LocalProcess;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code kafka start|status|stop} as a user runs it, against a real broker JVM. */
public class KafkaCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final EmulatorRun emulator = new EmulatorRun();

  @Test
  public void startStatusAndStopReportTheBrokersStateAndASecondStartIsRefused() {
    Path dataDir = tmp.getRoot().toPath().resolve("kafka");
    String port = String.valueOf(LocalProcess.freePort());
    String[] where = {
      "--dataDir", dataDir.toString(), "--port", port,
      "--controllerPort", String.valueOf(LocalProcess.freePort())
    };
    try {
      assertEquals(emulator.err(), 0, emulator.run(concat("start", where)));
      assertEquals(
          "kafka: broker ready at 127.0.0.1:" + port + " (data and broker.log in " + dataDir + ")\n",
          emulator.out());
      assertEquals(0, emulator.run(concat("status", where)));
      assertTrue(emulator.out(), emulator.out().startsWith("kafka: running, pid "));
      assertEquals(1, emulator.run(concat("start", where)));
      assertEquals(
          "error: a broker is already running on " + dataDir + " (stop it first)\n",
          emulator.err());
    } finally {
      assertEquals(0, emulator.run("kafka", "stop", "--dataDir", dataDir.toString()));
    }
    assertEquals("kafka: broker stopped (" + dataDir + ")\n", emulator.out());
    assertEquals(3, emulator.run(concat("status", where)));
    assertEquals("kafka: not running (" + dataDir + ")\n", emulator.out());
    assertEquals(0, emulator.run("kafka", "stop", "--dataDir", dataDir.toString()));
    assertEquals("kafka: no broker running on " + dataDir + "\n", emulator.out());
  }

  @Test
  public void aMissingOrUnknownActionOrABadPortIsAUsageError() {
    assertEquals(2, emulator.run("kafka"));
    assertEquals("error: kafka needs an action: start, stop or status\n", emulator.err());
    assertEquals(2, emulator.run("kafka", "restart"));
    assertEquals(
        "error: unknown kafka action 'restart' (start, stop or status)\n",
        emulator.err());
    assertEquals(2, emulator.run("kafka", "start", "--port", "70000"));
    assertEquals("error: --port must be in 1..65535, got 70000\n", emulator.err());
  }

  private static String[] concat(String action, String[] where) {
    String[] args = new String[where.length + 2];
    args[0] = "kafka";
    args[1] = action;
    System.arraycopy(where, 0, args, 2, where.length);
    return args;
  }
}
