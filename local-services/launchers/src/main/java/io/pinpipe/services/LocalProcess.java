package io.pinpipe.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one process launcher every local service uses: how its process starts (output appended to a
 * log), how the caller waits until it answers, and how it stops; where its files are is its {@link
 * Installation}. A service may be recorded by a pid file in its data directory, so that {@code
 * start}, {@code status} and {@code stop} can run as separate commands: the Kafka broker and the
 * Kinesis endpoint work this way.
 */
public final class LocalProcess {
  private LocalProcess() {}

  /** Whether a service answers yet; an exception means "not yet", as false does. */
  @FunctionalInterface
  interface Probe {
    boolean ready() throws Exception;
  }

  /** {@code builder}'s process, its output and errors appended to {@code log}. */
  static Process start(ProcessBuilder builder, Path log) throws IOException {
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    return builder.start();
  }

  /** The {@code java} of the JVM running this one: a service's JVM runs on the same Java. */
  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** A command line that starts with {@link #javaBinary()} and {@code jvmFlags}; the caller adds the rest. */
  static List<String> javaCommand(String... jvmFlags) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(Arrays.asList(jvmFlags));
    return command;
  }

  /**
   * Polls {@code probe} every {@code pollMillis} until it says ready. Fails with an {@link
   * IOException} naming the {@code service} and ending with {@code logTails} when one of {@code
   * processes} (by name) exits first, or, after {@code onTimeout} ran (to stop what started), when
   * {@code timeout} passes.
   */
  static void awaitReady(
      String service,
      Duration timeout,
      long pollMillis,
      Map<String, Process> processes,
      Probe probe,
      Supplier<String> logTails,
      Runnable onTimeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (probe.ready()) {
          return;
        }
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception notYet) {
        // Not answering yet: listeners open before the service is ready.
      }
      for (Map.Entry<String, Process> p : processes.entrySet()) {
        if (!p.getValue().isAlive()) {
          throw new IOException(
              service + ": " + p.getKey() + " exited with status " + p.getValue().exitValue() + " while starting"
                  + logTails.get());
        }
      }
      if (System.nanoTime() > deadline) {
        onTimeout.run();
        throw new IOException(service + " did not become ready within " + timeout.toSeconds() + " s" + logTails.get());
      }
      Thread.sleep(pollMillis);
    }
  }

  /** {@code dir} when it holds a file whose name starts with {@code prefix}; else an IllegalStateException. */
  static Path requireFileStartingWith(Path dir, String prefix, String what) {
    try (var files = Files.list(dir)) {
      if (files.noneMatch(f -> f.getFileName().toString().startsWith(prefix))) {
        throw new IllegalStateException(dir + " holds no " + what);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + dir, e);
    }
    return dir.toAbsolutePath();
  }

  /** {@code --add-opens=<module>/<package>=ALL-UNNAMED} for each package: what Spark's and Flink's JVMs need on Java 17. */
  static List<String> addOpens(String module, String... packages) {
    return Arrays.stream(packages).map(p -> "--add-opens=" + module + "/" + p + "=ALL-UNNAMED").toList();
  }

  /** A port nothing listens on now, on the loopback interface. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True when something accepts TCP connections on the loopback port. */
  public static boolean accepting(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Records {@code process} in {@code pidFile}: its pid and, where the system tells it, its start
   * time, so that a later look-up does not take another process that got the same pid (after a
   * crash or a reboot) for this one.
   */
  static void record(Path pidFile, Process process) throws IOException {
    Optional<java.time.Instant> started = process.toHandle().info().startInstant();
    Files.writeString(pidFile, process.pid() + started.map(s -> " " + s.toEpochMilli()).orElse("") + "\n");
  }

  /**
   * The recorded process, if it is still running: the pid is alive and, when the file has a start
   * time, started then (another process with a reused pid is not ours, and is never stopped).
   */
  static Optional<ProcessHandle> running(Path pidFile) throws IOException {
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    String[] recorded = Files.readString(pidFile).trim().split(" ");
    long pid = Long.parseLong(recorded[0]);
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                recorded.length < 2
                    || h.info().startInstant().map(s -> s.toEpochMilli() == Long.parseLong(recorded[1])).orElse(false));
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
