package io.pinpipe.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.UserErrorOutput;
import io.pinpipe.pipelines.output.JobFiles;
import io.pinpipe.pipelines.output.OutputFiles;
import io.pinpipe.pipelines.output.OwnedOutput;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * One run at a time on an output (docs/design.md#outputs): while a run holds an output's lock,
 * another is refused with one line and touches nothing; the lock goes with its process, however
 * that ends, {@code kill -9} included.
 */
public class OneRunAtATimeTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final UserErrorOutput stderr = new UserErrorOutput();

  @Test
  public void aSecondRunInTheSameProcessIsRefusedUntilTheFirstEnds() throws Exception {
    Path out = tmp.getRoot().toPath().resolve("out");
    try (OwnedOutput first = OwnedOutput.claim(JobFiles.BATCH, out.toString(), List.of(), false).own()) {
      Map<String, String> before = OutputFiles.snapshot(out);
      OwnedOutput second = OwnedOutput.claim(JobFiles.BATCH, out.toString(), List.of(), false);
      String message = assertThrows(UserError.class, second::own).getMessage();
      String held = "output " + out + " is being written by another run (batch run, process " + ProcessHandle.current().pid();
      assertThat(message, containsString(held));
      assertThat(message, containsString("wait for it to end, or give batch another --output"));
      assertEquals(before, OutputFiles.snapshot(out));
      // The refusal left the first run's lock in force for other processes too.
      Process other = holder(out);
      try {
        assertTrue("a second process took the lock", other.waitFor(120, TimeUnit.SECONDS));
        assertEquals(1, other.exitValue());
        assertThat(Files.readString(tmp.getRoot().toPath().resolve("holder.err")), containsString(held));
      } finally {
        other.destroyForcibly();
      }
    }
    try (OwnedOutput again = OwnedOutput.claim(JobFiles.BATCH, out.toString(), List.of(), false).own()) {
      assertTrue(Files.exists(out.resolve("_pinpipe.lock")));
    }
  }

  /** {@link HoldBatchOutput} on {@code out}, in a JVM of its own; its stderr goes to holder.err. */
  private Process holder(Path out) throws Exception {
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
            "-cp", System.getProperty("java.class.path"),
            HoldBatchOutput.class.getName(), out.toString())
        .redirectError(tmp.getRoot().toPath().resolve("holder.err").toFile())
        .start();
  }

  /**
   * The case the lock exists for: a batch run that has begun but not committed looks, to the next
   * run, like one that crashed, whose folder the next run removes. While it runs, the next is refused
   * and the running one's files stay; once it is killed, the next run proceeds.
   */
  @Test
  public void aBatchRunIsRefusedWhileAnotherWritesTheOutputAndProceedsOnceThatOneIsKilled() throws Exception {
    Path input =
        new ArchiveFixture(tmp.newFolder("archive").toPath())
            .file("pin", 0, ArchiveFixture.pin(1, "art", "10k", "Ann") + "\n")
            .file("geo", 0, ArchiveFixture.geo(1, "Chile", "2020-01-01 00:00:00") + "\n")
            .file("user", 0, ArchiveFixture.user(1, "Ann", "Lee", 30, "2016-01-01 00:00:00") + "\n")
            .root();
    Path out = tmp.getRoot().toPath().resolve("out");
    Process holder = holder(out);
    try {
      BufferedReader said = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("holding runs/run-000001", said.readLine());
      Map<String, String> running = OutputFiles.snapshot(out);
      assertEquals("written so far\n", running.get("runs/run-000001/results/top_category_by_year.csv"));

      String[] batch = {"--input=" + input, "--output=" + out, "--overwrite", "--tableFormat=parquet"};
      stderr.assertUserError(
          BatchPipeline.run(batch),
          "output " + out + " is being written by another run (batch run, process " + holder.pid());
      assertEquals(running, OutputFiles.snapshot(out));

      holder.destroyForcibly(); // SIGKILL: no finally, no shutdown hook; the system drops the lock
      assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
      stderr.reset();
      assertEquals(0, BatchPipeline.run(batch));
      Path committed = OutputFiles.committedRun(out);
      assertEquals(out.resolve("runs/run-000002"), committed);
      assertFalse("the killed run's folder, which no commit names, is removed", Files.exists(out.resolve("runs/run-000001")));
      assertEquals(
          "post_year,category,category_count\n2020,art,1\n",
          Files.readString(committed.resolve("results/top_category_by_year.csv")));
    } finally {
      holder.destroyForcibly();
    }
  }
}
