package io.pinpipe.pipelines.io.kafka;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Where a bounded read begins in each partition: the consumer group's committed offsets (the
 * archive job, resuming), the earliest offsets still in the log, or the first offset whose record
 * timestamp is at or after a time.
 */
public record StartPosition(Kind kind, Optional<Instant> time) {
  public enum Kind {
    COMMITTED,
    EARLIEST,
    TIMESTAMP
  }

  public static StartPosition committed() {
    return new StartPosition(Kind.COMMITTED, Optional.empty());
  }

  public static StartPosition earliest() {
    return new StartPosition(Kind.EARLIEST, Optional.empty());
  }

  public static StartPosition at(Instant time) {
    return new StartPosition(Kind.TIMESTAMP, Optional.of(time));
  }

  /** {@code committed}, {@code earliest} or an ISO-8601 instant such as 2026-11-23T00:00:00Z. */
  public static StartPosition parse(String text, boolean committedAllowed) {
    if (text.equals("earliest")) {
      return earliest();
    }
    if (text.equals("committed") && committedAllowed) {
      return committed();
    }
    try {
      return at(Instant.parse(text));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "--startFrom must be " + (committedAllowed ? "committed, " : "") + "earliest or an"
              + " ISO-8601 instant like 2026-11-23T00:00:00Z, got '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return kind == Kind.TIMESTAMP ? time.get().toString() : kind.name().toLowerCase();
  }
}
