package io.pinpipe.contract;

/**
 * The Kinesis streams the emulator posts to and the streaming job reads (docs/design.md#data-contract):
 * {@code streaming-<prefix>-<kind>}, one per kind, as the Kafka topics are {@link
 * ArchiveLayout#topic(String, RecordKind) <prefix>.<kind>}.
 */
public final class KinesisStreams {
  private KinesisStreams() {}

  /** {@code streaming-<prefix>-<kind>}. */
  public static String name(String topicPrefix, RecordKind kind) {
    return "streaming-" + topicPrefix + "-" + kind.id();
  }
}
