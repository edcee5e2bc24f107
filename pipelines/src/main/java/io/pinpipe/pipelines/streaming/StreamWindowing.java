package io.pinpipe.pipelines.streaming;

import java.io.Serializable;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Never;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.joda.time.Duration;

/**
 * The streaming job's windows and triggers, passed into the shared transforms (the mobile-gaming
 * example's pattern). Two strategies over the same windows:
 *
 * <ul>
 *   <li><b>Tables</b> are appends: a window's clean records are written when the watermark passes
 *       its end, optionally early every {@code earlyFiring} of processing time, and again for each
 *       late record within the allowed lateness. Panes discard what they fired, so every record is
 *       appended once per arrival.
 *   <li><b>Results</b> fire once per window, when it can no longer change: at its end plus the
 *       allowed lateness ({@link Never#ever()} fires only when the window expires). The queries
 *       chain aggregations (join, count, top), and Beam cannot retract an earlier pane's rows
 *       from a later stage, so speculative or repeated result panes would count records twice.
 * </ul>
 */
public final class StreamWindowing implements Serializable {
  private final Duration size;
  private final Duration earlyFiring;
  private final Duration allowedLateness;

  private StreamWindowing(Duration size, Duration earlyFiring, Duration allowedLateness) {
    if (size.isShorterThan(Duration.ZERO)
        || earlyFiring.isShorterThan(Duration.ZERO)
        || allowedLateness.isShorterThan(Duration.ZERO)) {
      throw new IllegalArgumentException(
          "window, early firing and allowed lateness must not be negative");
    }
    this.size = size;
    this.earlyFiring = earlyFiring;
    this.allowedLateness = allowedLateness;
  }

  /** Fixed windows of {@code size}, or one global window when {@code size} is zero. */
  public static StreamWindowing of(Duration size, Duration earlyFiring, Duration allowedLateness) {
    return new StreamWindowing(size, earlyFiring, allowedLateness);
  }

  public static StreamWindowing fromOptions(WindowOptions options) {
    return of(
        Duration.standardSeconds(options.getWindowSeconds()),
        Duration.standardSeconds(options.getEarlyFiringSeconds()),
        Duration.standardSeconds(options.getAllowedLatenessSeconds()));
  }

  /** How long after a window's end its last (late) pane may still be written. */
  public Duration allowedLateness() {
    return allowedLateness;
  }

  public boolean isGlobal() {
    return size.equals(Duration.ZERO);
  }

  /**
   * True when tables and results fire the same single pane per window, so one cleaning serves
   * both: no early firings and no late data.
   */
  public boolean tablesFireOnceAtWindowEnd() {
    return earlyFiring.equals(Duration.ZERO) && (allowedLateness.equals(Duration.ZERO) || isGlobal());
  }

  private Trigger tablesTriggerOf() {
    AfterWatermark.AfterWatermarkEarlyAndLate trigger =
        AfterWatermark.pastEndOfWindow().withLateFirings(AfterPane.elementCountAtLeast(1));
    if (!earlyFiring.equals(Duration.ZERO)) {
      trigger =
          trigger.withEarlyFirings(
              AfterProcessingTime.pastFirstElementInPane().plusDelayOf(earlyFiring));
    }
    return trigger;
  }

  /**
   * Appends: on time, early and late panes, each holding only what arrived since the last; for
   * elements already in their windows ({@link #forResults()} assigned them), so it changes when
   * they fire, not which window they are in.
   */
  public <T> Window<T> tablesTrigger() {
    return Window.<T>configure()
        .triggering(tablesTriggerOf())
        .withAllowedLateness(allowedLateness)
        .discardingFiredPanes();
  }

  /** One final pane per window, at its end plus the allowed lateness. */
  public <T> Window<T> forResults() {
    return Window.<T>into(windowFn())
        .triggering(Never.ever())
        .withAllowedLateness(allowedLateness)
        .discardingFiredPanes();
  }

  @SuppressWarnings("unchecked")
  private WindowFn<Object, ? extends BoundedWindow> windowFn() {
    return isGlobal() ? new GlobalWindows() : (WindowFn) FixedWindows.of(size);
  }

  @Override
  public String toString() {
    return (isGlobal() ? "one global window" : "fixed " + size.getStandardSeconds() + " s windows")
        + (earlyFiring.equals(Duration.ZERO) ? "" : ", early tables every " + earlyFiring.getStandardSeconds() + " s")
        + ", allowed lateness " + allowedLateness.getStandardSeconds() + " s";
  }
}
