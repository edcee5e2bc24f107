package io.pinpipe.emulator;

import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.emulator.post.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs {@code post} in the test's JVM with its output captured, and what the generator sends. */
final class PostRun {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** {@code post <args>}; returns the exit status; {@link #err()} holds what it printed. */
  int post(String... args) {
    out.reset();
    err.reset();
    List<String> all = new ArrayList<>(List.of(args));
    all.add(0, "post");
    return EmulatorMain.run(
        all.toArray(new String[0]),
        Map.of("post", new PostCommand(Clock.SYSTEM, Map.of(), false)),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The first {@code count} events of the generator with {@code seed} and default settings. */
  static List<GeneratedPost> generated(long seed, int count) {
    PostGenerator generator = new PostGenerator(seed, GeneratorSettings.defaults());
    List<GeneratedPost> posts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      posts.add(generator.next());
    }
    return posts;
  }
}
