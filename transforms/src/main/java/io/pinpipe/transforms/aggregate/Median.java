package io.pinpipe.transforms.aggregate;

/** How a median is taken ({@link MedianFn}); the queries take it from {@code --median}. */
public enum Median {
  /** Exact and interpolated: the mean of the two middle values for an even count. */
  EXACT,
  /** The value at 1-based rank ceil(n/2) of the sorted values (the lower middle value). */
  LOWER
}
