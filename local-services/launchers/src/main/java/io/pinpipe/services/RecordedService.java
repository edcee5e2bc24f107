package io.pinpipe.services;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A service that runs as one process of its own, on one loopback port, with everything in its data
 * directory: its log and the pid file through which a later command finds it ({@code status},
 * {@code stop}). The Kafka broker, the Kinesis endpoint and S3Mock are such services; each says how
 * its process starts and when it answers.
 */
public abstract class RecordedService implements AutoCloseable {
  private final String name;
  private final Path dataDir;
  private final int port;
  private final String pidFile;
  private final String logFile;
  private final Duration grace;
  private Process process;

  /**
   * {@code name} as error messages call it ("the Kafka broker"); {@code grace} how long a stop waits
   * after SIGTERM before it kills.
   */
  protected RecordedService(String name, Path dataDir, int port, String pidFile, String logFile, Duration grace) {
    this.name = name;
    this.dataDir = dataDir;
    this.port = port;
    this.pidFile = pidFile;
    this.logFile = logFile;
    this.grace = grace;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The service's own output (stdout and stderr of its process). */
  public Path logFile() {
    return dataDir.resolve(logFile);
  }

  /** Starts the service's process, its output appended to {@link #logFile()}, and records its pid. */
  protected final Process launch(ProcessBuilder builder) throws IOException {
    process = LocalProcess.start(builder, logFile());
    LocalProcess.record(dataDir.resolve(pidFile), process);
    return process;
  }

  /**
   * Returns once {@code probe} says the service answers; fails with the end of its log if the
   * process exits first, or stops it and fails when {@code timeout} passes.
   */
  protected final void awaitReady(Duration timeout, LocalProcess.Probe probe) throws IOException, InterruptedException {
    LocalProcess.awaitReady(
        name, timeout, 200, Map.of("its process", process), probe, () -> "; see " + logFile() + LocalProcess.lastLines(logFile()), this::close);
  }

  /** Stops the service (SIGTERM, then a kill after the grace period) and waits for it to exit. */
  public void stop() throws InterruptedException {
    LocalProcess.stopStarted(process, dataDir.resolve(pidFile), grace);
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
