package io.pinpipe.emulator.archive;

/** Told how far a generation run is, after every event written; must be cheap. */
@FunctionalInterface
public interface GenerationProgress {
  GenerationProgress NONE = (fresh, total) -> {};

  /** {@code fresh} of {@code total} distinct events have been written (resends not counted). */
  void eventsWritten(long fresh, long total);
}
