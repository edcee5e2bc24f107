package io.pinpipe.pipelines.streaming;

import java.util.concurrent.TimeUnit;

/**
 * Posts at a steady rate on a thread of its own while a live job runs, until stopped: {@code post}
 * is called with 1, 2, 3, ... {@code perSecond} times a second. A post that fails ends the posting,
 * and {@link #stop()} throws its exception.
 */
final class PacedPosting implements AutoCloseable {
  /** Posts the {@code n}th event (its records). */
  @FunctionalInterface
  interface Post {
    void post(int n) throws Exception;
  }

  private final Thread thread;
  private volatile boolean stopping;
  private volatile Exception failure;

  PacedPosting(String threadName, int perSecond, Post post) {
    thread = new Thread(() -> run(perSecond, post), threadName);
    thread.start();
  }

  private void run(int perSecond, Post post) {
    try {
      long next = System.nanoTime();
      for (int n = 1; !stopping; n++) {
        post.post(n);
        next += TimeUnit.SECONDS.toNanos(1) / perSecond;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait)); // pacing the posts, not waiting on a condition
        }
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  /** Stops posting and waits for the last post; throws what made a post fail, if one did. */
  void stop() throws Exception {
    close();
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join();
  }
}
