package io.pinpipe.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A job that runs out of memory ends its process with status 1, even while other non-daemon
 * threads (as a runner's are) still run: a job used to hang after an OutOfMemoryError. The error is
 * simulated (thrown), in the job's thread and in another thread, in a child JVM.
 */
public class FatalErrorExitTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  /** The child JVM: a runner-like non-daemon thread, then a fatal error where {@code args[0]} says. */
  public static final class Child {
    public static void main(String[] args) {
      Thread runner = new Thread(Child::sleepForever, "runner-like");
      runner.start();
      int status =
          CommandLine.execute(
              "test",
              () -> {
                if (args[0].equals("job-thread")) {
                  throw new OutOfMemoryError("Java heap space (simulated)");
                }
                new Thread(
                        () -> {
                          throw new OutOfMemoryError("Java heap space (simulated, in a worker)");
                        },
                        "worker")
                    .start();
                sleepForever();
              });
      System.exit(status);
    }

    private static void sleepForever() {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  public void outOfMemoryInTheJobThreadEndsTheProcess() throws Exception {
    assertEndsWithStatus1("job-thread", "test failed: OutOfMemoryError: Java heap space (simulated)");
  }

  @Test
  public void outOfMemoryInAnotherThreadEndsTheProcess() throws Exception {
    assertEndsWithStatus1("worker", "test failed in thread worker: java.lang.OutOfMemoryError");
  }

  private void assertEndsWithStatus1(String where, String expected) throws Exception {
    File err = temp.newFile();
    String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    Process child =
        new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName(), where)
            .redirectError(err)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    boolean ended = child.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly();
    }
    String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
    assertTrue("the process did not end within 60 s; stderr:\n" + stderr, ended);
    assertEquals(stderr, 1, child.exitValue());
    assertTrue(stderr, stderr.contains(expected));
    assertTrue(stderr, List.of(stderr.split("\n")).stream().anyMatch(l -> l.contains("stops now after a fatal error")));
  }
}
