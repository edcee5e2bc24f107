package io.pinpipe.emulator.post;

import io.pinpipe.emulator.generate.GeneratedPost;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The emulator's loop: take an event from the source, wait for its turn, hand it to the sink;
 * until the source ends, {@code maxEvents} are sent, {@code maxNanos} have passed, or {@code stop}
 * is set (Ctrl-C). Prints a progress line every {@link #PROGRESS_INTERVAL_NANOS}.
 */
public final class Poster {
  static final long PROGRESS_INTERVAL_NANOS = 2_000_000_000L;

  public enum Ending {
    SOURCE_ENDED,
    COUNT_REACHED,
    DURATION_REACHED,
    STOPPED
  }

  /** What a run did. */
  public record Result(long events, long elapsedNanos, Ending ending) {}

  private final Clock clock;
  private final PrintStream progress;

  public Poster(Clock clock, PrintStream progress) {
    this.clock = clock;
    this.progress = progress;
  }

  public Result run(
      PostSource source, PostSink sink, double eventsPerSecond, long maxEvents, long maxNanos, AtomicBoolean stop)
      throws Exception {
    Pacer pacer = new Pacer(clock, eventsPerSecond);
    long events = 0;
    long lastReport = clock.nanoTime();
    Ending ending;
    while (true) {
      if (stop.get()) {
        ending = Ending.STOPPED;
        break;
      }
      if (events >= maxEvents) {
        ending = Ending.COUNT_REACHED;
        break;
      }
      // Take the event first, so that a run whose source has ended does not wait out a slot.
      Optional<GeneratedPost> post = source.next();
      if (post.isEmpty()) {
        ending = Ending.SOURCE_ENDED;
        break;
      }
      pacer.awaitTurn(events);
      if (pacer.elapsedNanos() >= maxNanos) {
        ending = Ending.DURATION_REACHED;
        break;
      }
      sink.send(post.get());
      events++;
      long now = clock.nanoTime();
      if (now - lastReport >= PROGRESS_INTERVAL_NANOS) {
        lastReport = now;
        progress.printf(
            Locale.ROOT,
            "post: %,d events (%,d records) sent, %,d events/s, %,d errors%n",
            events, sink.recordsSent(), perSecond(events, pacer.elapsedNanos()), sink.recordsFailed());
      }
    }
    sink.flush();
    return new Result(events, pacer.elapsedNanos(), ending);
  }

  public static long perSecond(long events, long nanos) {
    return nanos <= 0 ? 0 : Math.round(events * 1e9 / nanos);
  }
}
