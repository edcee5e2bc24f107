package io.pinpipe.emulator.generate;

/** The three record kinds of one posting event (docs/semantics.md), named as their topics end. */
public enum RecordKind {
  PIN("pin"),
  GEO("geo"),
  USER("user");

  private final String topicSuffix;

  RecordKind(String topicSuffix) {
    this.topicSuffix = topicSuffix;
  }

  /** {@code pin}, {@code geo} or {@code user}: the topic is {@code <prefix>.<suffix>}. */
  public String topicSuffix() {
    return topicSuffix;
  }
}
