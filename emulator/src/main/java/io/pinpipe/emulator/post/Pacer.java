package io.pinpipe.emulator.post;

/**
 * Spaces events at a fixed rate: event n (from 0) is released at {@code start + n / rate}. The
 * schedule is absolute, so a slow send is caught up rather than the rate drifting down; a rate of
 * 0 means as fast as the sink takes them.
 */
public final class Pacer {
  private final Clock clock;
  private final double eventsPerSecond;
  private final long start;

  public Pacer(Clock clock, double eventsPerSecond) {
    if (eventsPerSecond < 0) {
      throw new IllegalArgumentException("rate must be >= 0, got " + eventsPerSecond);
    }
    this.clock = clock;
    this.eventsPerSecond = eventsPerSecond;
    this.start = clock.nanoTime();
  }

  /** Waits until event {@code n} is due. */
  public void awaitTurn(long n) throws InterruptedException {
    if (eventsPerSecond == 0) {
      return;
    }
    long due = start + (long) Math.ceil(n * 1e9 / eventsPerSecond);
    long wait = due - clock.nanoTime();
    if (wait > 0) {
      clock.sleepNanos(wait);
    }
  }

  public long elapsedNanos() {
    return clock.nanoTime() - start;
  }
}
