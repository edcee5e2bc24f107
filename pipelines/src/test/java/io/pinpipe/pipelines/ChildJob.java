package io.pinpipe.pipelines;

import static org.junit.Assert.fail;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A job run as {@code java ... PipelinesMain <job> ...} in a child JVM on the tests' class path, so
 * that it can be halted at a {@link CrashPoint} or killed with SIGKILL without taking the tests down.
 */
public final class ChildJob {
  /** How a child run ended. */
  public static final class Ended {
    public final int status;
    /** Killed by the test before it ended by itself. */
    public final boolean killed;
    public final String stderr;

    Ended(int status, boolean killed, String stderr) {
      this.status = status;
      this.killed = killed;
      this.stderr = stderr;
    }
  }

  private ChildJob() {}

  /**
   * Runs the job; with {@code crashAt} it halts there, with {@code killAfterMillis >= 0} it is killed
   * (as {@code kill -9}) after that long unless it has ended. Small heap and quick JIT: a child run is
   * a small input, where JVM start and class loading dominate.
   */
  public static Ended run(File stderr, String crashAt, long killAfterMillis, List<String> jvmOptions, String... args)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(jvmOptions);
    if (crashAt != null) {
      command.add("-D" + CrashPoint.PROPERTY + "=" + crashAt);
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), PipelinesMain.class.getName()));
    command.addAll(List.of(args));
    Process child =
        new ProcessBuilder(command).redirectError(stderr).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    boolean killed = false;
    if (killAfterMillis >= 0 && !child.waitFor(killAfterMillis, TimeUnit.MILLISECONDS)) {
      child.destroyForcibly(); // SIGKILL
      killed = true;
    }
    if (!child.waitFor(300, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      fail("the job did not end within 300 s: " + Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
    }
    return new Ended(child.exitValue(), killed, Files.readString(stderr.toPath(), StandardCharsets.UTF_8));
  }
}
