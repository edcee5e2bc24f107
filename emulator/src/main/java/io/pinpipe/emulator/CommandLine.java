package io.pinpipe.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Options of one subcommand: {@code --name=value} or {@code --name value} for valued options,
 * {@code --name} for flags. Anything else, an unknown name or a repeated option is a {@link
 * UsageException}.
 */
final class CommandLine {
  private final Map<String, String> values = new LinkedHashMap<>();

  private CommandLine() {}

  static CommandLine parse(List<String> args, Set<String> valued, Set<String> flags)
      throws UsageException {
    CommandLine line = new CommandLine();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UsageException("unexpected argument '" + arg + "' (options look like --name=value)");
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      String value;
      if (flags.contains(name)) {
        if (eq >= 0) {
          throw new UsageException("--" + name + " takes no value");
        }
        value = "true";
      } else if (valued.contains(name)) {
        if (eq >= 0) {
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
          value = args.get(++i);
        } else {
          throw new UsageException("--" + name + " needs a value");
        }
      } else {
        throw new UsageException("unknown option --" + name);
      }
      if (line.values.put(name, value) != null) {
        throw new UsageException("--" + name + " given twice");
      }
    }
    return line;
  }

  boolean flag(String name) {
    return values.containsKey(name);
  }

  String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }

  String required(String name) throws UsageException {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new UsageException("--" + name + " is required");
    }
    return value;
  }

  long longValue(String name, long defaultValue, long min, long max) throws UsageException {
    String text = values.get(name);
    if (text == null) {
      return defaultValue;
    }
    long value;
    try {
      value = Long.parseLong(text.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a whole number, got '" + text + "'");
    }
    if (value < min || value > max) {
      throw new UsageException(
          "--" + name + " must be " + range(min, max) + ", got " + value);
    }
    return value;
  }

  double doubleValue(String name, double defaultValue, double min, double maxExclusive)
      throws UsageException {
    String text = values.get(name);
    if (text == null) {
      return defaultValue;
    }
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " must be a number, got '" + text + "'");
    }
    if (!(value >= min && value < maxExclusive)) {
      throw new UsageException(
          "--" + name + " must be in [" + min + ", " + maxExclusive + "), got " + text);
    }
    return value;
  }

  private static String range(long min, long max) {
    if (max == Long.MAX_VALUE) {
      return "at least " + min;
    }
    return "in " + min + ".." + max;
  }
}
