package io.pinpipe.emulator.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A local service process recorded by a pid file in its data directory, so that {@code start},
 * {@code status} and {@code stop} can run as separate commands: the Kafka broker and the Kinesis
 * endpoint both work this way.
 */
final class LocalProcess {
  private LocalProcess() {}

  static void record(Path pidFile, Process process) throws IOException {
    Files.writeString(pidFile, process.pid() + "\n");
  }

  /** The recorded process, if it is still running. */
  static Optional<ProcessHandle> running(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
  }

  /** Stops the recorded process; false when none was running. */
  static boolean stopRecorded(Path pidFile, Duration grace) throws IOException {
    Optional<ProcessHandle> handle = running(pidFile);
    handle.ifPresent(h -> stop(h, grace));
    Files.deleteIfExists(pidFile);
    return handle.isPresent();
  }

  /**
   * Stops a process this JVM started (nothing when {@code process} is null) and removes its pid
   * file: what each launcher's {@code stop()} does.
   */
  static void stopStarted(Process process, Path pidFile, Duration grace) {
    if (process != null) {
      stop(process.toHandle(), grace);
    }
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last five lines of a service's log, indented on new lines, for an error message. */
  static String lastLines(Path log) {
    return lastLines(log, 5);
  }

  /** The last {@code count} lines of a log, indented on new lines, for an error message. */
  static String lastLines(Path log, int count) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - count), lines.size());
      return tail.isEmpty() ? "" : "\n  " + String.join("\n  ", tail);
    } catch (IOException e) {
      return "";
    }
  }

  /** SIGTERM to the process and its children, then a kill after {@code grace}; waits for the exit. */
  static void stop(ProcessHandle handle, Duration grace) {
    handle.descendants().forEach(ProcessHandle::destroy);
    handle.destroy();
    try {
      handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      handle.destroyForcibly();
      handle.onExit().join();
    } catch (InterruptedException e) {
      handle.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
