package io.pinpipe.emulator.post;

import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when slept on (or advanced), recording every sleep. */
final class FakeClock implements Clock {
  long now;
  final List<Long> sleeps = new ArrayList<>();

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void sleepNanos(long nanos) {
    sleeps.add(nanos);
    now += nanos;
  }
}
