package io.pinpipe.emulator.post;

import io.pinpipe.emulator.generate.GeneratedPost;
import java.util.Optional;

/** Where the events come from: the generator or the original's database tables. */
public interface PostSource extends AutoCloseable {
  /** The next event, or empty when the source has no more. */
  Optional<GeneratedPost> next() throws Exception;

  /** For the final line: what was read. */
  String describe();

  @Override
  default void close() throws Exception {}
}
