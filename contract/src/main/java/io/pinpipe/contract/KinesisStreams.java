package io.pinpipe.contract;

/**
 * The Kinesis streams the emulator posts to and the streaming job reads (docs/design.md#data-contract):
 * {@code streaming-<prefix>-<kind>}, one per kind, as the Kafka topics are {@code <prefix>.<kind>}
 * ({@link ArchiveLayout#topic(String, RecordKind)}).
 */
public final class KinesisStreams {
  private KinesisStreams() {}

  /** {@code streaming-<prefix>-<kind>}. */
  public static String name(String topicPrefix, RecordKind kind) {
    return name(topicPrefix, kind.id());
  }

  /** The three streams in one phrase for people, {@code streaming-<prefix>-{pin,geo,user}}. */
  public static String allNames(String topicPrefix) {
    return name(topicPrefix, "{pin,geo,user}");
  }

  private static String name(String topicPrefix, String kind) {
    return "streaming-" + topicPrefix + "-" + kind;
  }
}
