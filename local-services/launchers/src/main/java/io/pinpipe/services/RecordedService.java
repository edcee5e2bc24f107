package io.pinpipe.services;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A service that runs as one process of its own, on one loopback port, with everything in its data
 * directory: its log and the pid file through which a later command finds it ({@code status},
 * {@code stop}). The Kafka broker, the Kinesis endpoint and S3Mock are such services; each says how
 * its process starts and when it answers.
 */
public abstract class RecordedService implements AutoCloseable {
  /**
   * One such service, described once: {@code name} as error messages call it ("the Kafka broker"),
   * its files in the data directory ({@code <fileStem>.pid} and {@code <fileStem>.log}), how long a
   * stop waits after SIGTERM before it kills, and where its own files are.
   */
  public record Descriptor(String name, String fileStem, Duration stopGrace, Installation installation) {
    String pidFile() {
      return fileStem + ".pid";
    }

    String logFile() {
      return fileStem + ".log";
    }

    /** The service recorded in {@code dataDir}'s pid file, if that process is still running. */
    public Optional<ProcessHandle> running(Path dataDir) throws IOException {
      return LocalProcess.running(dataDir.resolve(pidFile()));
    }

    /** Stops the service recorded in {@code dataDir} (SIGTERM, then a kill after the grace); false when none was running. */
    public boolean stopRecorded(Path dataDir) throws IOException {
      return LocalProcess.stopRecorded(dataDir.resolve(pidFile()), stopGrace);
    }
  }

  private final Descriptor service;
  private final Path dataDir;
  private final int port;
  private Process process;

  protected RecordedService(Descriptor service, Path dataDir, int port) {
    this.service = service;
    this.dataDir = dataDir;
    this.port = port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The service's own output (stdout and stderr of its process). */
  public Path logFile() {
    return dataDir.resolve(service.logFile());
  }

  /** Starts the service's process, its output appended to {@link #logFile()}, and records its pid. */
  protected final Process launch(ProcessBuilder builder) throws IOException {
    process = LocalProcess.start(builder, logFile());
    LocalProcess.record(dataDir.resolve(service.pidFile()), process);
    return process;
  }

  /**
   * Returns once {@code probe} says the service answers; fails with the end of its log if the
   * process exits first, or stops it and fails when {@code timeout} passes.
   */
  protected final void awaitReady(Duration timeout, LocalProcess.Probe probe) throws IOException, InterruptedException {
    LocalProcess.awaitReady(
        service.name(), timeout, 200, Map.of("its process", process), probe, () -> "; see " + logFile() + LocalProcess.lastLines(logFile()), this::close);
  }

  /** Stops the service (SIGTERM, then a kill after the grace period) and waits for it to exit. */
  public void stop() throws InterruptedException {
    LocalProcess.stopStarted(process, dataDir.resolve(service.pidFile()), service.stopGrace());
    process = null;
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
