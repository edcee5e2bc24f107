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

/**
 * Runs the emulator's commands in the test's JVM as a user runs them, their output captured (each
 * run's alone), and says what the generator sends.
 */
final class EmulatorRun {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** {@code <args>} with every command; returns the exit status; {@link #out()} and {@link #err()} hold what it printed. */
  int run(String... args) {
    out.reset();
    err.reset();
    return EmulatorMain.run(
        args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

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

  String out() {
    return out.toString(StandardCharsets.UTF_8);
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
