package io.pinpipe.emulator;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/**
 * A command whose arguments picocli binds to a fresh options object {@code O} each run ({@link
 * Cli}): {@code --help} prints the usage and exits 0 before the command sees anything, so each
 * command only says what it does with its options.
 */
abstract class OptionsCommand<O> implements Subcommand {
  private final String name;
  private final String summary;
  private final Supplier<O> newOptions;

  OptionsCommand(String name, String summary, Supplier<O> newOptions) {
    this.name = name;
    this.summary = summary;
    this.newOptions = newOptions;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String summary() {
    return summary;
  }

  @Override
  public final String usage() {
    return Cli.usage(newOptions.get());
  }

  @Override
  public final int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    O options = newOptions.get();
    if (!Cli.parse(options, args, out)) {
      return 0;
    }
    return run(options, out, err);
  }

  /** Runs with the options bound from the command line; {@link Subcommand#run} says what it returns and throws. */
  abstract int run(O options, PrintStream out, PrintStream err) throws Exception;
}
