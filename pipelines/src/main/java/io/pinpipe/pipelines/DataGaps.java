package io.pinpipe.pipelines;

/**
 * A run did everything it could, but some data it should have copied no longer exists (offsets
 * Kafka's retention removed before the archive held them). The command prints its message as one
 * line and exits with status 3 ({@link CommandLine#GAPS}), so a scheduler tells it from a failure.
 */
public final class DataGaps extends RuntimeException {
  public DataGaps(String message) {
    super(message);
  }
}
