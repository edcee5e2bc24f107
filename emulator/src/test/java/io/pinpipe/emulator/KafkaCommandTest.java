package io.pinpipe.emulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.services.KafkaBroker;
import io.pinpipe.services.LocalProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code kafka start|status|stop} as a user runs it, against a real broker JVM. */
public class KafkaCommandTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return EmulatorMain.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  public void startStatusAndStopReportTheBrokersStateAndASecondStartIsRefused() {
    Path dataDir = tmp.getRoot().toPath().resolve("kafka");
    String port = String.valueOf(LocalProcess.freePort());
    String[] where = {
      "--dataDir", dataDir.toString(), "--port", port,
      "--controllerPort", String.valueOf(LocalProcess.freePort())
    };
    try {
      assertEquals(err.toString(), 0, run(concat("start", where)));
      assertEquals(
          "kafka: broker ready at 127.0.0.1:" + port + " (data and broker.log in " + dataDir + ")\n",
          out());
      assertEquals(0, run(concat("status", where)));
      assertTrue(out(), out().startsWith("kafka: running, pid "));
      assertEquals(1, run(concat("start", where)));
      assertEquals(
          "error: a broker is already running on " + dataDir + " (stop it first)\n",
          err.toString(StandardCharsets.UTF_8));
    } finally {
      assertEquals(0, run("kafka", "stop", "--dataDir", dataDir.toString()));
    }
    assertEquals("kafka: broker stopped (" + dataDir + ")\n", out());
    assertEquals(3, run(concat("status", where)));
    assertEquals("kafka: not running (" + dataDir + ")\n", out());
    assertEquals(0, run("kafka", "stop", "--dataDir", dataDir.toString()));
    assertEquals("kafka: no broker running on " + dataDir + "\n", out());
  }

  @Test
  public void aMissingOrUnknownActionOrABadPortIsAUsageError() {
    assertEquals(2, run("kafka"));
    assertEquals("error: kafka needs an action: start, stop or status\n", err.toString(StandardCharsets.UTF_8));
    assertEquals(2, run("kafka", "restart"));
    assertEquals(
        "error: unknown kafka action 'restart' (start, stop or status)\n",
        err.toString(StandardCharsets.UTF_8));
    assertEquals(2, run("kafka", "start", "--port", "70000"));
    assertEquals("error: --port must be in 1..65535, got 70000\n", err.toString(StandardCharsets.UTF_8));
  }

  private static String[] concat(String action, String[] where) {
    String[] args = new String[where.length + 2];
    args[0] = "kafka";
    args[1] = action;
    System.arraycopy(where, 0, args, 2, where.length);
    return args;
  }
}
