package io.pinpipe.pipelines.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.io.layout.Paths;
import io.pinpipe.pipelines.progress.ProgressOptions;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.contract.RecordKind;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The streaming job's progress: a line on standard error for every window whose results were
 * written, found by looking for new summary files in the output every {@code --progressSeconds}
 * (so it works alike on every runner, a cluster's too, and says only what is on disk), e.g.
 *
 * <pre>
 * streaming: window 2026-12-01T10:00:00Z/2026-12-01T10:01:00Z written; read/cleaned/dead-lettered/duplicates: pin 600/590/0/10, geo 600/590/0/10, user 600/590/0/10; posts 590 complete, 0 incomplete
 * </pre>
 *
 * Windows already in the output when the job started (a restart appends) are not shown again.
 */
final class WindowLines implements AutoCloseable {
  private final OutputLayout output;
  private final StreamWindowing windowing;
  private final PrintStream out;
  private final Set<String> seen = new HashSet<>();
  private final ScheduledExecutorService ticker;

  private WindowLines(OutputLayout output, StreamWindowing windowing, PrintStream out, boolean quiet) {
    this.output = output;
    this.windowing = windowing;
    this.out = out;
    this.ticker =
        quiet
            ? null
            : Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "window-lines");
                  t.setDaemon(true);
                  return t;
                });
  }

  /** Starts looking; call before the pipeline runs. */
  static WindowLines start(ProgressOptions options, OutputLayout output, StreamWindowing windowing, PrintStream out) {
    ProgressOptions.check(options);
    WindowLines lines = new WindowLines(output, windowing, out, options.getQuiet());
    if (lines.ticker != null) {
      lines.seen.addAll(lines.summaries());
      long every = options.getProgressSeconds();
      lines.ticker.scheduleWithFixedDelay(lines::scanQuietly, every, every, TimeUnit.SECONDS);
    }
    return lines;
  }

  /** The pipeline has ended: one last look, so that every window written has its line. */
  void finish() {
    if (ticker != null) {
      close();
      scan();
    }
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      try {
        ticker.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void scanQuietly() {
    try {
      scan();
    } catch (RuntimeException e) {
      // A file being replaced or a listing that failed: the next look sees it.
    }
  }

  private synchronized void scan() {
    for (String path : summaries()) {
      if (!seen.contains(path)) {
        out.println(line(RunSummary.parse(StreamingConsole.read(path))));
        out.flush();
        seen.add(path);
      }
    }
  }

  private List<String> summaries() {
    return windowing.isGlobal()
        ? StreamingConsole.matches(output.summaryJson())
        : StreamingConsole.matches(Paths.join(output.summaryDir(), "summary-*.json"));
  }

  static String line(JsonNode summary) {
    StringBuilder s = new StringBuilder("streaming: ");
    if (summary.has("window_start")) {
      s.append("window ").append(summary.path("window_start").asText()).append('/')
          .append(summary.path("window_end").asText()).append(" written");
    } else {
      s.append("results written (one global window)");
    }
    s.append("; read/cleaned/dead-lettered/duplicates:");
    String separator = " ";
    for (RecordKind kind : RecordKind.values()) {
      JsonNode k = summary.path("kinds").path(kind.id());
      s.append(separator).append(String.format(
          Locale.ROOT, "%s %,d/%,d/%,d/%,d", kind.id(), k.path("read").asLong(), k.path("cleaned").asLong(),
          k.path("dead_lettered").asLong(), k.path("duplicates").asLong()));
      separator = ", ";
    }
    JsonNode posts = summary.path("posts");
    if (!posts.isMissingNode()) {
      s.append(String.format(Locale.ROOT, "; posts %,d complete, %,d incomplete",
          posts.path("complete").asLong(), posts.path("incomplete").asLong()));
    }
    return s.toString();
  }
}
