package io.pinpipe.pipelines.progress;

import io.pinpipe.pipelines.options.FlinkLocalDefaults;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Prints a job's progress line every {@code --progressSeconds} while its pipeline runs, and a last
 * one when it has ended, on standard error (standard output keeps the job's summary). The line is
 * made from the job's Beam counters of one namespace (docs/design.md#metrics):
 *
 * <ul>
 *   <li>DirectRunner and SparkRunner return from {@code run()} at once: the counters come from
 *       {@code PipelineResult.metrics()}, given by {@link #follow} when {@code run()} returns;
 *   <li>FlinkRunner's attached run blocks until the job ends: the counters come from a {@link
 *       CounterTaps tap} on the embedded cluster's metric reporter, opened here before the run.
 * </ul>
 *
 * The last line ({@link #finish}) uses the same source once the pipeline has ended, so it shows the
 * runner's final counts; where the tap saw nothing (--disableMetrics) it falls back to the result's
 * metrics. On a Flink cluster (a remote master, or the user's own Flink configuration) the counters
 * are out of reach while the job runs, so only the last line is printed, from the result. With
 * {@code --quiet} nothing is printed.
 */
public final class JobProgress implements AutoCloseable {
  /** A progress line from the namespace's counters (name to value) and the seconds since the start. */
  public interface Line {
    String of(Map<String, Long> counters, double seconds);
  }

  private final String namespace;
  private final Line line;
  private final PrintStream out;
  private final CounterTaps.Tap tap;
  private final ScheduledExecutorService ticker;
  private final boolean quiet;
  private final long started = System.nanoTime();
  private volatile PipelineResult result;

  private JobProgress(
      String namespace, Line line, PrintStream out, CounterTaps.Tap tap, ScheduledExecutorService ticker, boolean quiet) {
    this.namespace = namespace;
    this.line = line;
    this.out = out;
    this.tap = tap;
    this.ticker = ticker;
    this.quiet = quiet;
  }

  /**
   * Starts printing {@code line} every {@code --progressSeconds}; call before {@code
   * pipeline.run()}, so that a tap is open before FlinkRunner's cluster registers its counters.
   */
  public static JobProgress start(PipelineOptions options, String namespace, Line line, PrintStream out) {
    ProgressOptions.check(options);
    ProgressOptions progress = options.as(ProgressOptions.class);
    if (progress.getQuiet()) {
      return new JobProgress(namespace, line, out, null, null, true);
    }
    boolean flink = options.getRunner().getSimpleName().equals("FlinkRunner");
    if (flink && !FlinkLocalDefaults.reportsCounters(options)) {
      // A Flink cluster's counters live in its task managers: only the last line, from the result.
      return new JobProgress(namespace, line, out, null, null, false);
    }
    CounterTaps.Tap tap = flink ? CounterTaps.open(namespace) : null;
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "progress-lines");
              t.setDaemon(true);
              return t;
            });
    JobProgress started = new JobProgress(namespace, line, out, tap, ticker, false);
    long every = progress.getProgressSeconds();
    ticker.scheduleAtFixedRate(started::tick, every, every, TimeUnit.SECONDS);
    return started;
  }

  /** The pipeline's result, as soon as {@code run()} returned it: its metrics feed the lines. */
  public void follow(PipelineResult result) {
    this.result = result;
  }

  /** The pipeline has ended: stops the lines and prints the last one, from the final counts. */
  public void finish(PipelineResult result) {
    this.result = result;
    if (quiet) {
      return;
    }
    if (ticker != null) {
      stopTicking();
    }
    try {
      print(counters());
    } catch (RuntimeException e) {
      // No final counts from this runner: the job's summary follows anyway.
    }
    close();
  }

  @Override
  public void close() {
    if (ticker != null) {
      stopTicking();
    }
    if (tap != null) {
      tap.close();
    }
  }

  private void tick() {
    try {
      print(counters());
    } catch (RuntimeException e) {
      // A runner that cannot say yet (Spark before its first job) is asked again next time.
    }
  }

  private void print(Map<String, Long> counters) {
    out.println(line.of(counters, (System.nanoTime() - started) / 1e9));
    out.flush();
  }

  private void stopTicking() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Map<String, Long> counters() {
    if (tap != null && tap.sawAny()) {
      return tap.totals();
    }
    PipelineResult r = result;
    return r == null ? Map.of() : fromMetrics(r, namespace);
  }

  /** The namespace's counters in a pipeline's result, summed over steps (attempted: live). */
  static Map<String, Long> fromMetrics(PipelineResult result, String namespace) {
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(namespace)).build())
            .getCounters()) {
      counters.merge(c.getName().getName(), c.getAttempted(), Long::sum);
    }
    return counters;
  }
}
