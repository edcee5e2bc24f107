package io.pinpipe.emulator.generate;

import java.util.SplittableRandom;

/**
 * Random streams derived from (seed, purpose, key) alone. Every attribute of an event or an
 * account is drawn from its own stream, so nothing depends on what was generated before: the
 * generator keeps no pool of persons and event {@code i} is the same in every run.
 */
final class SeededRandom {
  /** Which decision a stream serves; fixed numbers so that reordering code changes no output. */
  enum Purpose {
    ACCOUNT_CHAIN(1),
    ACCOUNT(2),
    EVENT(3),
    RESEND(4),
    ERROR_ACCOUNT(5);

    final long id;

    Purpose(long id) {
      this.id = id;
    }
  }

  private SeededRandom() {}

  static SplittableRandom of(long seed, Purpose purpose, long key) {
    long stream = mix64(seed * 0x9E3779B97F4A7C15L + purpose.id);
    return new SplittableRandom(mix64(stream ^ mix64(key + 0x632BE59BD9B4E019L)));
  }

  /** SplitMix64's finalizer (Stafford variant 13): a bijection that spreads every input bit. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
