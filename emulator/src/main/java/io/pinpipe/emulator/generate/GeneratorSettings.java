package io.pinpipe.emulator.generate;

import java.io.Serializable;
import java.util.Objects;

/** Knobs of the synthetic generator beyond its seed; immutable, built from {@link #defaults()}. */
public final class GeneratorSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double duplicateRate;
  private final long firstIndex;

  private GeneratorSettings(double duplicateRate, long firstIndex) {
    if (!(duplicateRate >= 0 && duplicateRate < 1)) {
      throw new IllegalArgumentException("duplicate rate must be in [0, 1), got " + duplicateRate);
    }
    if (firstIndex < 0) {
      throw new IllegalArgumentException("first index must be >= 0, got " + firstIndex);
    }
    this.duplicateRate = duplicateRate;
    this.firstIndex = firstIndex;
  }

  /** No resent events; row numbers start at 1. */
  public static GeneratorSettings defaults() {
    return new GeneratorSettings(0, 1);
  }

  /**
   * The share of events sent a second time, identically and a few events later, as an
   * at-least-once delivery would: a pipeline must count them once.
   */
  public GeneratorSettings withDuplicateRate(double rate) {
    return new GeneratorSettings(rate, firstIndex);
  }

  /**
   * The row number of the first event. Event {@code i} is the same whatever the first index, so a
   * run starting at 1,001 continues a run of 1,000 events from 1.
   */
  public GeneratorSettings withFirstIndex(long index) {
    return new GeneratorSettings(duplicateRate, index);
  }

  public double duplicateRate() {
    return duplicateRate;
  }

  public long firstIndex() {
    return firstIndex;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneratorSettings
        && ((GeneratorSettings) o).duplicateRate == duplicateRate
        && ((GeneratorSettings) o).firstIndex == firstIndex;
  }

  @Override
  public int hashCode() {
    return Objects.hash(duplicateRate, firstIndex);
  }

  @Override
  public String toString() {
    return "GeneratorSettings{duplicateRate=" + duplicateRate + ", firstIndex=" + firstIndex + "}";
  }
}
