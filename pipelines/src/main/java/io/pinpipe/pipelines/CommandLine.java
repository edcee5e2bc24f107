package io.pinpipe.pipelines;

import io.pinpipe.pipelines.options.LoopbackDefaults;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * How every job command behaves at the edges: options parsed with a clear message on a mistake,
 * user errors as one line and exit status 2, failures as one line (plus the stack trace, which is a
 * bug report) and exit status 1; a fatal error (out of memory) ends the process at once, status 1.
 */
public final class CommandLine {
  private CommandLine() {}

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  private static final AtomicBoolean fatalHandlerInstalled = new AtomicBoolean();

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
    haltOnFatalErrorsInAnyThread(command, err);
    try {
      job.run();
      return OK;
    } catch (HelpShown help) {
      return OK;
    } catch (UserError e) {
      err.println("error: " + e.getMessage());
      return USAGE;
    } catch (RuntimeException | Error e) {
      Throwable root = rootCause(e);
      err.println("error: " + command + " failed: " + root.getClass().getSimpleName() + ": " + root.getMessage());
      e.printStackTrace(err);
      if (isFatal(e)) {
        halt(command, err);
      }
      return FAILED;
    }
  }

  /**
   * Ends the process at once on a fatal error (out of memory, a JVM error), in the job's thread or
   * any other. A runner's own threads (Flink's mini cluster, Kafka clients) are not daemons and may
   * be wedged by the same error, so a normal exit could wait for them forever: a job that ran out of
   * heap used to hang instead of exiting.
   */
  private static void haltOnFatalErrorsInAnyThread(String command, PrintStream err) {
    if (!fatalHandlerInstalled.compareAndSet(false, true)) {
      return;
    }
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (isFatal(e)) {
            try {
              err.println("error: " + command + " failed in thread " + thread.getName() + ": " + e);
            } finally {
              halt(command, err);
            }
          } else if (previous != null) {
            previous.uncaughtException(thread, e);
          } else {
            err.println("Exception in thread \"" + thread.getName() + "\" " + e);
            e.printStackTrace(err);
          }
        });
  }

  /** True when {@code e} or a cause is a {@link VirtualMachineError} such as an OutOfMemoryError. */
  static boolean isFatal(Throwable e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth++ < 100; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof VirtualMachineError) {
        return true;
      }
    }
    return false;
  }

  private static void halt(String command, PrintStream err) {
    try {
      err.println(
          "error: " + command + " stops now after a fatal error; for out of memory, give the JVM more"
              + " heap (java -Xmx<size> -jar ...)");
      err.flush();
      System.out.flush();
    } finally {
      // Even when printing fails for want of memory.
      Runtime.getRuntime().halt(FAILED);
    }
  }

  /**
   * Parses Beam-style {@code --name=value} options; a mistake becomes a {@link UserError}. The
   * application name (Spark's and Flink's job name) is {@code pinterest-<job>} unless --appName
   * says otherwise: Beam would otherwise name it after the class that called main. A local Spark
   * or Flink cluster listens on loopback only, unless the user configures otherwise ({@link
   * LoopbackDefaults}): every job gets that here, so that none can forget it.
   */
  public static <T extends PipelineOptions> T parseOptions(String job, String[] args, Class<T> options) {
    T parsed = parseOptions(args, options);
    if (Arrays.stream(args).noneMatch(a -> a.startsWith("--appName="))) {
      parsed.as(ApplicationNameOptions.class).setAppName("pinterest-" + job);
    }
    LoopbackDefaults.applyUnlessSet(parsed);
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
    for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 100; depth++) {
      root = root.getCause();
    }
    return root;
  }
}
