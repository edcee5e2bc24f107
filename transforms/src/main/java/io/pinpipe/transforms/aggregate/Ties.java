package io.pinpipe.transforms.aggregate;

/**
 * How a "top" combiner treats several rows that share the maximal value ({@link TopWithTiesFn},
 * {@link TopCountPerGroup}); the queries take it from {@code --ties}.
 */
public enum Ties {
  /** Every row with the maximal value appears (SQL {@code rank() = 1}). */
  ALL,
  /**
   * One row per group: the smallest by the output's sort order (SQL {@code row_number() = 1}).
   */
  FIRST
}
