package io.pinpipe.pipelines.options;

import java.util.HashSet;
import java.util.Set;

/**
 * Which options a command line gave, by name, in either form ({@code --name=value} or {@code --name
 * value}): the one way to ask whether the user chose a setting, so that a default is applied only
 * where they did not. A value after a space never starts with {@code --} ({@link JobArguments}
 * refuses that), so every {@code --} word names an option. Read from the raw arguments, it also
 * works before they are checked ({@link CredentialOptions}).
 */
public final class GivenFlags {
  private final Set<String> names;

  private GivenFlags(Set<String> names) {
    this.names = names;
  }

  public static GivenFlags in(String... args) {
    Set<String> names = new HashSet<>();
    for (String arg : args) {
      if (arg.startsWith("--") && arg.length() > 2) {
        int eq = arg.indexOf('=');
        names.add(eq < 0 ? arg.substring(2) : arg.substring(2, eq));
      }
    }
    return new GivenFlags(names);
  }

  /** Whether the command line gave {@code --name}, with or without a value. */
  public boolean gave(String name) {
    return names.contains(name);
  }
}
