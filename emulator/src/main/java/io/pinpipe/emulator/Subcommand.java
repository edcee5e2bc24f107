package io.pinpipe.emulator;

import java.io.PrintStream;
import java.util.List;

/** One verb of {@code pinterest-emulator.jar} (generate, and later post, load-db). */
interface Subcommand {
  String name();

  /** One line for the command list of {@code --help}. */
  String summary();

  /** The options this command takes, for {@code <command> --help}. */
  String usage();

  /**
   * Runs with the arguments after the command name.
   *
   * @return the exit status
   * @throws UsageException for a mistake in the arguments (exit status 2)
   * @throws Exception for anything else that stops the run (exit status 1)
   */
  int run(List<String> args, PrintStream out, PrintStream err) throws Exception;
}
