package io.pinpipe.emulator.post;

import io.pinpipe.emulator.generate.GeneratedPost;

/**
 * Where events go: Kafka, a Kafka REST proxy, or the archived layout on disk. A sink counts what
 * it sent, what the far side acknowledged and what failed; a failure is counted and reported,
 * never dropped silently.
 */
public interface PostSink extends AutoCloseable {
  /** Sends one event's pin, geo and user record, in that order. */
  void send(GeneratedPost post) throws Exception;

  /** Waits until everything sent so far is acknowledged or failed. */
  void flush() throws Exception;

  long recordsSent();

  long recordsAcknowledged();

  long recordsFailed();

  /** The first failure's message, if any failed. */
  String firstFailure();

  /** For the final line: where the records went. */
  String describe();

  @Override
  void close() throws Exception;
}
