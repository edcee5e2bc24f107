package io.pinpipe.emulator.post;

/** What every sink counts: records sent, acknowledged by the far side, failed, and the first failure. */
abstract class CountingSink implements PostSink {
  private long sent;
  private long acknowledged;
  private long failed;
  private String firstFailure;

  void countSent(long n) {
    sent += n;
  }

  void countAcknowledged(long n) {
    acknowledged += n;
  }

  void countFailed(long n, String message) {
    failed += n;
    if (firstFailure == null) {
      firstFailure = message;
    }
  }

  @Override
  public long recordsSent() {
    return sent;
  }

  @Override
  public long recordsAcknowledged() {
    return acknowledged;
  }

  @Override
  public long recordsFailed() {
    return failed;
  }

  @Override
  public String firstFailure() {
    return firstFailure;
  }
}
