package io.pinpipe.emulator.post;

/** Time for pacing and progress, injectable so that tests check schedules without sleeping. */
public interface Clock {
  long nanoTime();

  void sleepNanos(long nanos) throws InterruptedException;

  Clock SYSTEM =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
          java.util.concurrent.TimeUnit.NANOSECONDS.sleep(nanos);
        }
      };
}
