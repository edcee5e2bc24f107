package io.pinpipe.pipelines;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * How every job command behaves at the edges: options parsed with a clear message on a mistake,
 * user errors as one line and exit status 2, failures as one line (plus the stack trace, which is a
 * bug report) and exit status 1.
 */
public final class CommandLine {
  private CommandLine() {}

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  /** Signals that {@code --help} was handled. */
  static final class HelpShown extends RuntimeException {
    HelpShown() {
      super(null, null, false, false);
    }
  }

  public static int execute(String command, Runnable job) {
    return execute(command, job, System.err);
  }

  static int execute(String command, Runnable job, PrintStream err) {
    try {
      job.run();
      return OK;
    } catch (HelpShown help) {
      return OK;
    } catch (UserError e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    } catch (RuntimeException e) {
      Throwable root = rootCause(e);
      err.println("error: " + command + " failed: " + root.getClass().getSimpleName() + ": " + root.getMessage());
      e.printStackTrace(err);
      return FAILED;
    }
  }

  /**
   * Parses Beam-style {@code --name=value} options; a mistake becomes a {@link UserError}. The
   * application name (Spark's and Flink's job name) is {@code pinterest-<job>} unless --appName
   * says otherwise: Beam would otherwise name it after the class that called main.
   */
  public static <T extends PipelineOptions> T parseOptions(String job, String[] args, Class<T> options) {
    T parsed = parseOptions(args, options);
    if (Arrays.stream(args).noneMatch(a -> a.startsWith("--appName="))) {
      parsed.as(ApplicationNameOptions.class).setAppName("pinterest-" + job);
    }
    return parsed;
  }

  private static <T extends PipelineOptions> T parseOptions(String[] args, Class<T> options) {
    PipelineOptionsFactory.register(options);
    if (Arrays.asList(args).contains("--help")) {
      PipelineOptionsFactory.printHelp(System.out, options);
      throw new HelpShown();
    }
    try {
      return PipelineOptionsFactory.fromArgs(args).withValidation().as(options);
    } catch (IllegalArgumentException e) {
      throw new UserError(firstLine(e.getMessage()) + " (see --help)");
    }
  }

  /** Runs a step whose IllegalArgumentException means bad user input. */
  public static <T> T userInput(Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid options";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }
}
