package io.pinpipe.emulator;

import io.pinpipe.contract.cli.FailureDetail;
import io.pinpipe.contract.cli.Suggestions;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code pinterest-emulator.jar}: {@code <command> [options]}. Each command is a
 * {@link Subcommand}; adding one (post, load-db) is one more entry in {@link #commands()}.
 * Mistakes in the command line end with one "error: ..." line and status 2, other failures
 * (an endpoint that cannot be reached included) with one such line and status 1, never with a
 * stack trace on the console: an unexpected one is written to a file the line names.
 */
public final class EmulatorMain {
  static final int USAGE_ERROR = 2;
  static final int FAILURE = 1;

  private EmulatorMain() {}

  public static void main(String[] args) {
    // The Kafka client logs every connection attempt at INFO; the commands report progress
    // themselves. Set here rather than in a simplelogger.properties, which would clash with the
    // pipelines' own when both are on one classpath.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    // Its warnings while a topic is auto-created are expected; failures still reach our counts.
    if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
      System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
    }
    int status = run(args, System.out, System.err);
    System.out.flush();
    System.err.flush();
    if (status != 0) {
      System.exit(status);
    }
  }

  static Map<String, Subcommand> commands() {
    Map<String, Subcommand> commands = new LinkedHashMap<>();
    for (Subcommand c : List.<Subcommand>of(
        new GenerateCommand(), new PostCommand(), new LoadDbCommand(), new KafkaCommand(), new KinesisCommand())) {
      commands.put(c.name(), c);
    }
    return commands;
  }

  /** Runs one command line with the process's streams and returns its exit status, never exiting. */
  public static int execute(String... args) {
    return run(args, System.out, System.err);
  }

  /** Runs one command line and returns its exit status; testable without exiting the JVM. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, commands(), out, err);
  }

  static int run(String[] args, Map<String, Subcommand> commands, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println("error: no command given (try --help)");
      return USAGE_ERROR;
    }
    String name = args[0];
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      out.print(usage(commands));
      return 0;
    }
    Subcommand command = commands.get(name);
    if (command == null) {
      err.println(
          "error: unknown command '" + name + "'"
              + Suggestions.didYouMean(name, commands.keySet(), "")
              + " (commands: " + String.join(", ", commands.keySet()) + "; try --help)");
      return USAGE_ERROR;
    }
    try {
      return command.run(Arrays.asList(args).subList(1, args.length), out, err);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return USAGE_ERROR;
    } catch (Exception e) {
      err.println(
          expected(e)
              ? "error: " + describe(e)
              : "error: " + name + " failed: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                  + FailureDetail.saved(name, e));
      return FAILURE;
    }
  }

  static String usage(Map<String, Subcommand> commands) {
    StringBuilder s =
        new StringBuilder("usage: java -jar pinterest-emulator.jar <command> [options]\n\n");
    s.append("commands:\n");
    for (Subcommand c : commands.values()) {
      s.append(String.format("  %-10s %s%n", c.name(), c.summary()));
    }
    s.append("\n'<command> --help' shows a command's options, grouped by task, with their defaults.\n");
    s.append("Exit status: 0 done; 1 failed, also when a configured endpoint cannot be reached;\n");
    s.append("2 a mistake in the command line.\n");
    return s.toString();
  }

  /**
   * Failures whose message says all there is (a file, a connection, the database, a service, a
   * state the commands describe in words): anything else (a null pointer, say) is a bug, and its
   * stack trace is kept.
   */
  private static boolean expected(Exception e) {
    boolean described =
        e instanceof java.io.IOException
            || e instanceof java.io.UncheckedIOException
            || e instanceof java.sql.SQLException
            || e instanceof org.apache.kafka.common.KafkaException
            || e instanceof software.amazon.awssdk.core.exception.SdkException
            || e.getClass() == IllegalStateException.class
            || e.getClass() == IllegalArgumentException.class;
    return described && e.getMessage() != null;
  }

  /** NIO exceptions often carry only a path as their message; say what went wrong with it. */
  private static String describe(Exception e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied: " + ((FileSystemException) e).getFile();
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory: " + ((FileSystemException) e).getFile();
    }
    if (e instanceof FileSystemException) {
      FileSystemException f = (FileSystemException) e;
      return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName());
    }
    String message = e.getMessage();
    return message != null ? message : e.getClass().getSimpleName();
  }
}
