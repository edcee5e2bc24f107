package io.pinpipe.pipelines;

import io.pinpipe.contract.cli.FailureDetail;
import io.pinpipe.pipelines.metrics.PrometheusOptions;
import io.pinpipe.pipelines.progress.ProgressOptions;
import io.pinpipe.pipelines.options.CredentialOptions;
import io.pinpipe.pipelines.options.GivenFlags;
import io.pinpipe.pipelines.options.JobArguments;
import io.pinpipe.pipelines.options.JobHelp;
import io.pinpipe.pipelines.options.LoopbackDefaults;
import io.pinpipe.pipelines.options.OptionCatalog;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * How every job command behaves at the edges: options checked and parsed with a clear message on a
 * mistake ({@link JobArguments}), {@code --help} grouped by task ({@link JobHelp}); user errors as
 * one line and exit status 2; an endpoint that cannot be reached ({@link EndpointError}) as one line
 * and exit status 1; data that no longer exists to be copied ({@link DataGaps}) as one line and exit
 * status 3; any other failure as one line naming the file that holds its stack trace (a bug report),
 * exit status 1; a fatal error (out of memory) ends the process at once, status 1.
 */
public final class CommandLine {
  private CommandLine() {}

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int GAPS = 3;

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
    } catch (EndpointError e) {
      err.println("error: " + e.getMessage());
      return FAILED;
    } catch (DataGaps e) {
      err.println("error: " + e.getMessage());
      return GAPS;
    } catch (RuntimeException | Error e) {
      Throwable root = rootCause(e);
      String line = "error: " + command + " failed: " + root.getClass().getSimpleName() + ": " + root.getMessage();
      if (isFatal(e)) {
        err.println(line);
        halt(command, err);
      }
      err.println(line + FailureDetail.saved(command, e));
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
   * A job's options, parsed ({@link #parseOptions(String, String[], Class)}), checked for what every
   * job has (the progress lines and the Prometheus port), and then put through the job's one
   * validate step ({@code BatchOptions.validate} and the like): its checks across
   * options, which throw {@link UserError}s, and its defaults where the command line did not choose
   * ({@link GivenFlags}). A local Spark or Flink cluster then listens on loopback only, unless the
   * user configures otherwise ({@link LoopbackDefaults}): every job gets that here, so that none can
   * forget it.
   */
  public static <T extends PipelineOptions> T parseOptions(
      String job, String[] args, Class<T> options, BiConsumer<T, GivenFlags> validate) {
    T parsed = parseOptions(job, args, options);
    ProgressOptions.check(parsed);
    PrometheusOptions.check(parsed);
    validate.accept(parsed, GivenFlags.in(args));
    LoopbackDefaults.applyUnlessSet(parsed);
    return parsed;
  }

  /**
   * Checks and parses a job's options ({@code --name=value} or {@code --name value}); a mistake
   * becomes a {@link UserError}, {@code --help} prints the job's grouped help. The application
   * name (Spark's and Flink's job name) is {@code pinterest-<job>} unless --appName says otherwise:
   * Beam would otherwise name it after the class that called main.
   */
  static <T extends PipelineOptions> T parseOptions(String job, String[] args, Class<T> options) {
    CredentialOptions.refuse(args);
    OptionCatalog catalog = OptionCatalog.of(options);
    // Its own scan, not GivenFlags: the value matters (--help=all shows every option).
    Optional<String> help = Arrays.stream(args).filter(a -> a.equals("--help") || a.startsWith("--help=")).findFirst();
    if (help.isPresent()) {
      System.out.print(JobHelp.of(job).orElseThrow().render(catalog, help.get().equals("--help=all")));
      throw new HelpShown();
    }
    JobArguments checked = JobArguments.check(args, catalog);
    T parsed;
    try {
      parsed = PipelineOptionsFactory.fromArgs(checked.normalized()).withValidation().as(options);
    } catch (IllegalArgumentException e) {
      throw new UserError(firstLine(e.getMessage()) + " (see " + job + " --help)");
    }
    if (!GivenFlags.in(args).gave("appName")) {
      parsed.as(ApplicationNameOptions.class).setAppName("pinterest-" + job);
    }
    return parsed;
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
