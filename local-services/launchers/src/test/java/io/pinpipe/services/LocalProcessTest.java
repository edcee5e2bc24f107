package io.pinpipe.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LocalProcessTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void aServiceThatExitsWhileStartingFailsWithItsStatusAndTheEndOfItsLog() throws Exception {
    Path log = temp.getRoot().toPath().resolve("service.log");
    Process process = LocalProcess.start(new ProcessBuilder("sh", "-c", "echo first; echo port taken; exit 3"), log);
    process.waitFor();
    IOException failure =
        assertThrows(
            IOException.class,
            () ->
                LocalProcess.awaitReady(
                    "the test service", Duration.ofSeconds(30), 10, Map.of("its process", process), () -> false,
                    () -> LocalProcess.lastLines(log), () -> {}));
    assertThat(failure.getMessage(), containsString("the test service: its process exited with status 3 while starting"));
    assertThat(failure.getMessage(), containsString("\n  first\n  port taken"));
  }

  @Test
  public void aRecordedPidNowHeldByAnotherProcessIsNeitherRunningNorStopped() throws Exception {
    Path pidFile = temp.getRoot().toPath().resolve("service.pid");
    Process ours = LocalProcess.start(new ProcessBuilder("sleep", "30"), temp.getRoot().toPath().resolve("s.log"));
    try {
      LocalProcess.record(pidFile, ours);
      assertEquals(Optional.of(ours.pid()), LocalProcess.running(pidFile).map(ProcessHandle::pid));
      // The same pid with another start time: what a pid file left by a crash reads like once the
      // system gave the pid to an unrelated process.
      long started = Long.parseLong(Files.readString(pidFile).trim().split(" ")[1]);
      Files.writeString(pidFile, ours.pid() + " " + (started - 60_000) + "\n");
      assertEquals(Optional.empty(), LocalProcess.running(pidFile));
      assertFalse("nothing of ours was running", LocalProcess.stopRecorded(pidFile, Duration.ofSeconds(5)));
      assertTrue("the other process is left alone", ours.isAlive());
      assertFalse("the stale pid file is removed", Files.exists(pidFile));
    } finally {
      ours.destroyForcibly();
    }
  }

  @Test
  public void aServiceThatNeverAnswersIsStoppedAtTheDeadline() throws Exception {
    Process process = LocalProcess.start(new ProcessBuilder("sleep", "30"), temp.getRoot().toPath().resolve("s.log"));
    AtomicBoolean stopped = new AtomicBoolean();
    AtomicInteger probes = new AtomicInteger();
    try {
      IOException failure =
          assertThrows(
              IOException.class,
              () ->
                  LocalProcess.awaitReady(
                      "the test service", Duration.ofMillis(300), 20, Map.of("sleep", process),
                      () -> {
                        probes.incrementAndGet();
                        throw new IOException("connection refused"); // "not yet", as a closed port says
                      },
                      () -> "", () -> stopped.set(true)));
      assertEquals("the test service did not become ready within 0 s", failure.getMessage());
      assertTrue("the stop ran before the error", stopped.get());
      assertTrue("polled more than once: " + probes.get(), probes.get() > 1);
    } finally {
      LocalProcess.stop(process.toHandle(), Duration.ofSeconds(5));
    }
  }

  @Test
  public void aServiceReadyAtOnceReturnsWithoutWaiting() throws Exception {
    Process process = LocalProcess.start(new ProcessBuilder("sleep", "30"), temp.getRoot().toPath().resolve("s.log"));
    try {
      long start = System.nanoTime();
      LocalProcess.awaitReady("s", Duration.ofSeconds(30), 5_000, Map.of("sleep", process), () -> true, () -> "", () -> {});
      assertTrue(System.nanoTime() - start < Duration.ofSeconds(4).toNanos());
    } finally {
      LocalProcess.stop(process.toHandle(), Duration.ofSeconds(5));
      assertFalse(process.isAlive());
    }
  }

  @Test
  public void aGivenPlaceWinsOverTheSourceTreeAndIsChecked() throws Exception {
    Installation kafkaJars =
        new Installation(
            "pinpipe.test.unset", null, "no/such/folder",
            dir -> LocalProcess.requireFileStartingWith(dir, "kafka_2.13-", "kafka_2.13 jar"), "unused");
    Path given = Files.createDirectories(temp.getRoot().toPath().resolve("given"));
    Files.writeString(given.resolve("kafka_2.13-3.9.1.jar"), "");
    assertEquals(given.toAbsolutePath(), kafkaJars.locate(Optional.of(given)));
    Path empty = Files.createDirectories(temp.getRoot().toPath().resolve("empty"));
    IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> kafkaJars.locate(Optional.of(empty)));
    assertEquals(empty.toAbsolutePath() + " holds no kafka_2.13 jar", wrong.getMessage());
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () -> new Installation("pinpipe.test.unset", null, "no/such/folder", dir -> dir, "how to get it").locate(Optional.empty()));
    assertEquals("how to get it", missing.getMessage());
  }
}
