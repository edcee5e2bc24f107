package io.pinpipe.emulator;

import io.pinpipe.services.LocalProcess;
import io.pinpipe.services.RecordedService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code kafka} and {@code kinesis} share: the start|stop|status action, the checks before a
 * start, the stop, and a status whose exit code is 0 when the service runs and answers, 3 otherwise
 * (like LSB). Their messages differ only in the command's name, the service's noun and how its
 * address is written, so they are written here once.
 */
final class LocalServiceControl {
  /** A start, which only the command knows how to do. */
  interface Start {
    int run() throws Exception;
  }

  /** The port a status checks: read only once the service is found running. */
  interface StatusPort {
    int port() throws IOException;
  }

  private final String command;
  private final String noun;
  private final String article;
  private final String addressPrefix;
  private final RecordedService.Descriptor service;

  /**
   * @param command the command's name, which starts every message ("kafka")
   * @param article "a" or "an", as {@code noun} needs it
   * @param noun what the service is called in messages ("broker")
   * @param addressPrefix what stands before the port in a status ("127.0.0.1:")
   */
  LocalServiceControl(
      String command, String article, String noun, String addressPrefix, RecordedService.Descriptor service) {
    this.command = command;
    this.article = article;
    this.noun = noun;
    this.addressPrefix = addressPrefix;
    this.service = service;
  }

  /** The action given, or a usage error naming the three. */
  String requireAction(String action) throws UsageException {
    if (action == null) {
      throw new UsageException(command + " needs an action: start, stop or status");
    }
    return action;
  }

  /** Runs {@code action}: {@code start} through the command, {@code stop} and {@code status} here. */
  int run(String action, Path dataDir, Start start, StatusPort statusPort, PrintStream out) throws Exception {
    switch (action) {
      case "start":
        return start.run();
      case "stop":
        return stop(dataDir, out);
      case "status":
        return status(dataDir, statusPort, out);
      default:
        throw new UsageException("unknown " + command + " action '" + action + "' (start, stop or status)");
    }
  }

  /** Refuses a second start on the same data directory, or on a port something already listens on. */
  void refuseBusy(Path dataDir, int... ports) throws IOException {
    if (service.running(dataDir).isPresent()) {
      throw new IOException(article + " " + noun + " is already running on " + dataDir + " (stop it first)");
    }
    for (int port : ports) {
      if (LocalProcess.accepting(port)) {
        throw new IOException("port " + port + " on 127.0.0.1 is already in use");
      }
    }
  }

  private int stop(Path dataDir, PrintStream out) throws IOException {
    out.println(
        service.stopRecorded(dataDir)
            ? command + ": " + noun + " stopped (" + dataDir + ")"
            : command + ": no " + noun + " running on " + dataDir);
    return 0;
  }

  private int status(Path dataDir, StatusPort statusPort, PrintStream out) throws IOException {
    Optional<ProcessHandle> process = service.running(dataDir);
    if (process.isEmpty()) {
      out.println(command + ": not running (" + dataDir + ")");
      return 3;
    }
    int port = statusPort.port();
    boolean accepting = LocalProcess.accepting(port);
    out.println(
        command + ": running, pid " + process.get().pid() + ", "
            + (accepting ? "accepting connections on " + addressPrefix + port : "port " + port + " not answering"));
    return accepting ? 0 : 3;
  }
}
