package io.pinpipe.emulator;

import io.pinpipe.emulator.archive.GenerationProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Prints a progress line every ~2 seconds of a long run: events so far and events per second. */
final class ProgressReporter implements GenerationProgress {
  static final long INTERVAL_NANOS = 2_000_000_000L;
  /** Looking at the clock every event would cost more than the check is worth. */
  private static final int CHECK_EVERY = 1024;

  private final PrintStream err;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private long lastReportNanos;

  ProgressReporter(PrintStream err, LongSupplier nanoClock) {
    this.err = err;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
    this.lastReportNanos = startNanos;
  }

  @Override
  public void eventsWritten(long fresh, long total) {
    if (fresh % CHECK_EVERY != 0 || fresh == total) {
      return;
    }
    long now = nanoClock.getAsLong();
    if (now - lastReportNanos < INTERVAL_NANOS) {
      return;
    }
    lastReportNanos = now;
    err.printf(
        Locale.ROOT,
        "generate: %,d of %,d events (%.0f%%), %,d events/s%n",
        fresh, total, 100.0 * fresh / total, perSecond(fresh, now - startNanos));
  }

  long elapsedNanos() {
    return nanoClock.getAsLong() - startNanos;
  }

  static long perSecond(long events, long nanos) {
    return nanos <= 0 ? 0 : Math.round(events * 1e9 / nanos);
  }
}
