package io.pinpipe.emulator.post;

import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.PostGenerator;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The synthetic generator as a source: {@code count} distinct events and the resends the settings
 * ask for, in exactly the order {@code generate} writes them (so the files sink reproduces its
 * archive); without a count it never ends.
 */
public final class GeneratorSource implements PostSource {
  private final PostGenerator generator;
  private final long count;
  private Deque<GeneratedPost> drained;

  /** @param count distinct events, or {@code Long.MAX_VALUE} for no end */
  public GeneratorSource(long seed, GeneratorSettings settings, long count) {
    this.generator = new PostGenerator(seed, settings);
    this.count = count;
  }

  @Override
  public Optional<GeneratedPost> next() {
    if (generator.freshCount() < count) {
      return Optional.of(generator.next());
    }
    if (drained == null) {
      drained = new ArrayDeque<>(generator.drainResends());
    }
    return Optional.ofNullable(drained.poll());
  }

  @Override
  public String describe() {
    return "the generator (" + generator.freshCount() + " distinct events, " + generator.resentCount() + " resent)";
  }
}
