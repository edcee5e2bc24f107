package io.pinpipe.emulator.post;

import static org.junit.Assert.assertEquals;

import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.GeneratorSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.Test;

/** Rate, count, duration and stop, on an injected clock: exact schedules, no real time. */
public class PacingTest {
  /** A sink that takes {@code costNanos} of the fake clock per event and remembers the times. */
  private static class TimedSink implements PostSink {
    final FakeClock clock;
    final long costNanos;
    final List<Long> sentAt = new ArrayList<>();

    TimedSink(FakeClock clock, long costNanos) {
      this.clock = clock;
      this.costNanos = costNanos;
    }

    @Override public void send(GeneratedPost post) { sentAt.add(clock.now); clock.now += costNanos; }
    @Override public void flush() {}
    @Override public long recordsSent() { return 3L * sentAt.size(); }
    @Override public long recordsAcknowledged() { return recordsSent(); }
    @Override public long recordsFailed() { return 0; }
    @Override public String firstFailure() { return null; }
    @Override public String describe() { return "timed"; }
    @Override public void close() {}
  }

  private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

  private Poster poster(FakeClock clock) {
    return new Poster(clock, new PrintStream(progress, true, StandardCharsets.UTF_8));
  }

  private static GeneratorSource events(long count) {
    return new GeneratorSource(1, GeneratorSettings.defaults(), count);
  }

  @Test
  public void rateSpacesEventsOnAnAbsoluteSchedule() throws Exception {
    FakeClock clock = new FakeClock();
    TimedSink sink = new TimedSink(clock, 30_000_000); // 30 ms per event at 4 events/s
    Poster.Result result = poster(clock).run(events(5), sink, 4, Long.MAX_VALUE, Long.MAX_VALUE, new AtomicBoolean());
    assertEquals(List.of(0L, 250_000_000L, 500_000_000L, 750_000_000L, 1_000_000_000L), sink.sentAt);
    // Each wait is the rest of the 250 ms slot after the 30 ms send.
    assertEquals(List.of(220_000_000L, 220_000_000L, 220_000_000L, 220_000_000L), clock.sleeps);
    assertEquals(Poster.Ending.SOURCE_ENDED, result.ending());
    assertEquals(5, result.events());
  }

  @Test
  public void aSlowSinkIsCaughtUpNotDriftedFrom() throws Exception {
    FakeClock clock = new FakeClock();
    TimedSink sink = new TimedSink(clock, 600_000_000); // slower than the 500 ms slot at 2/s
    poster(clock).run(events(3), sink, 2, Long.MAX_VALUE, Long.MAX_VALUE, new AtomicBoolean());
    assertEquals(List.of(0L, 600_000_000L, 1_200_000_000L), sink.sentAt);
    assertEquals(List.of(), clock.sleeps);
  }

  @Test
  public void durationStopsAtTheFirstEventDueAfterIt() throws Exception {
    FakeClock clock = new FakeClock();
    TimedSink sink = new TimedSink(clock, 0);
    Poster.Result result =
        poster(clock).run(events(1_000), sink, 10, Long.MAX_VALUE, 1_000_000_000L, new AtomicBoolean());
    assertEquals(10, result.events()); // due at 0, 0.1, ..., 0.9 s; the 11th is due at 1.0 s
    assertEquals(Poster.Ending.DURATION_REACHED, result.ending());
  }

  @Test
  public void countEndsTheRunAndRateZeroNeverWaits() throws Exception {
    FakeClock clock = new FakeClock();
    TimedSink sink = new TimedSink(clock, 1_000);
    Poster.Result result = poster(clock).run(events(100), sink, 0, 7, Long.MAX_VALUE, new AtomicBoolean());
    assertEquals(7, result.events());
    assertEquals(Poster.Ending.COUNT_REACHED, result.ending());
    assertEquals(List.of(), clock.sleeps);
  }

  @Test
  public void stopFlagEndsTheRunAndProgressLinesComeEveryTwoSeconds() throws Exception {
    FakeClock clock = new FakeClock();
    AtomicBoolean stop = new AtomicBoolean();
    PostSink sink =
        new TimedSink(clock, 500_000_000) {
          @Override
          public void send(GeneratedPost post) {
            super.send(post);
            if (sentAt.size() == 9) {
              stop.set(true); // as the Ctrl-C hook does
            }
          }
        };
    Poster.Result result = poster(clock).run(events(100), sink, 0, Long.MAX_VALUE, Long.MAX_VALUE, stop);
    assertEquals(Poster.Ending.STOPPED, result.ending());
    assertEquals(9, result.events());
    assertEquals(
        "post: 4 events (12 records) sent, 2 events/s, 0 errors\n"
            + "post: 8 events (24 records) sent, 2 events/s, 0 errors\n",
        progress.toString(StandardCharsets.UTF_8));
  }
}
