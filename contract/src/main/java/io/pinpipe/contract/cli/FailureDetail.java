package io.pinpipe.contract.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the detail of an unexpected failure goes: its stack trace, written to a file in the
 * temporary directory, so that the console shows one line that names the file (a stack trace is
 * a bug report, not something a user reads). Both jars end failures this way.
 */
public final class FailureDetail {
  private FailureDetail() {}

  /**
   * Writes {@code failure}'s stack trace to a new {@code pinterest-<command>-*.log} and returns
   * the error line's tail: {@code "; stack trace in <file>"}, or the trace itself when no file
   * can be written (a full disk must not hide the failure).
   */
  public static String saved(String command, Throwable failure) {
    StringWriter trace = new StringWriter();
    failure.printStackTrace(new PrintWriter(trace));
    try {
      Path file = Files.createTempFile("pinterest-" + command + "-", ".log");
      Files.writeString(file, trace.toString(), StandardCharsets.UTF_8);
      return "; stack trace in " + file;
    } catch (IOException | RuntimeException e) {
      return System.lineSeparator() + trace;
    }
  }
}
