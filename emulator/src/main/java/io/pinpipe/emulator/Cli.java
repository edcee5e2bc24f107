package io.pinpipe.emulator;

import io.pinpipe.contract.cli.Suggestions;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * How every emulator command reads its options: picocli binds {@code --name=value} and {@code
 * --name value} to an annotated options object and renders the grouped help; this class puts
 * picocli's errors in the user's words (one line, the option named, a "did you mean" for a
 * misspelling, no Java names) as a {@link UsageException}. A yes/no option takes no value after a
 * space: {@code --overwrite} means yes, and no is written {@code --overwrite=false}.
 */
final class Cli {
  static final String JAR = "java -jar pinterest-emulator.jar";
  /** The help's closing lines, the same for every command. */
  static final String FOOTER =
      "%nOptions are written --name=value or --name value; a yes/no option alone means yes"
          + " (--overwrite), no is --overwrite=false.%n"
          + "Exit status: 0 done; 1 failed, also when a configured endpoint (Kafka, Kinesis, a"
          + " gateway, the database) cannot be reached; 2 a mistake in the command line.%n";

  private Cli() {}

  /**
   * Binds {@code args} to {@code options} (a picocli {@code @Command} object); prints the help
   * to {@code out} and returns false on {@code --help}.
   */
  static boolean parse(Object options, List<String> args, PrintStream out) throws UsageException {
    CommandLine line = commandLine(options);
    if (args.contains("--help")) {
      out.print(line.getUsageMessage());
      return false;
    }
    List<String> normalized = yesNoWithoutSpaceValues(line, args);
    refuseRepeats(line, normalized);
    try {
      line.parseArgs(normalized.toArray(new String[0]));
      return true;
    } catch (ParameterException e) {
      throw new UsageException(inUsersWords(e, line, normalized));
    }
  }

  /** The command's help, as {@code --help} prints it. */
  static String usage(Object options) {
    return commandLine(options).getUsageMessage();
  }

  private static CommandLine commandLine(Object options) {
    CommandLine line = new CommandLine(options);
    line.setOverwrittenOptionsAllowed(false);
    line.setAbbreviatedOptionsAllowed(false);
    line.setPosixClusteredShortOptionsAllowed(false);
    line.setUsageHelpWidth(100);
    line.setUsageHelpLongOptionsMaxWidth(30);
    line.getCommandSpec()
        .usageMessage()
        .sortOptions(false)
        .synopsisHeading("")
        .descriptionHeading("")
        .optionListHeading("%n")
        .footer(FOOTER);
    return line;
  }

  /**
   * {@code --overwrite} becomes {@code --overwrite=true}, so that picocli never takes the next
   * argument as its value: {@code --overwrite false} is then refused with a hint, not read as no.
   */
  private static List<String> yesNoWithoutSpaceValues(CommandLine line, List<String> args) {
    List<String> normalized = new ArrayList<>(args.size());
    for (String arg : args) {
      OptionSpec option = arg.contains("=") ? null : line.getCommandSpec().findOption(arg);
      normalized.add(option != null && isYesNo(option) ? arg + "=true" : arg);
    }
    return normalized;
  }

  /**
   * An option given twice is a mistake, not "the last one wins" (picocli would take the last
   * within an option group without a word).
   */
  private static void refuseRepeats(CommandLine line, List<String> args) throws UsageException {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        continue;
      }
      String name = arg.split("=", 2)[0];
      OptionSpec option = line.getCommandSpec().findOption(name);
      if (option == null) {
        continue;
      }
      if (!seen.add(name)) {
        throw new UsageException(name + " given twice");
      }
      if (!arg.contains("=")) {
        i++; // its value follows
      }
    }
  }

  private static boolean isYesNo(ArgSpec spec) {
    return spec.type() == boolean.class || spec.type() == Boolean.class;
  }

  private static String inUsersWords(ParameterException e, CommandLine line, List<String> args) {
    if (e instanceof CommandLine.UnmatchedArgumentException) {
      return unmatched(((CommandLine.UnmatchedArgumentException) e).getUnmatched().get(0), line, args);
    }
    if (e instanceof CommandLine.OverwrittenOptionException) {
      return name(((CommandLine.OverwrittenOptionException) e).getOverwritten()) + " given twice";
    }
    if (e instanceof CommandLine.MissingParameterException) {
      List<ArgSpec> missing = ((CommandLine.MissingParameterException) e).getMissing();
      if (!missing.isEmpty() && missing.get(0).isOption()) {
        return name(missing.get(0)) + " needs a value";
      }
    }
    ArgSpec spec = e.getArgSpec();
    if (spec != null && spec.isOption() && e.getValue() != null) {
      String must =
          e.getCause() instanceof CommandLine.TypeConversionException && spec.converters().length > 0
              ? e.getCause().getMessage()
              : "must be " + expected(spec.type());
      return name(spec) + " " + must + ", got '" + e.getValue() + "'";
    }
    return e.getMessage();
  }

  private static String unmatched(String arg, CommandLine line, List<String> args) {
    List<String> names =
        line.getCommandSpec().options().stream()
            .map(OptionSpec::longestName)
            .filter(n -> n.startsWith("--"))
            .map(n -> n.substring(2))
            .collect(Collectors.toList());
    if (arg.startsWith("--")) {
      String name = arg.substring(2).split("=", 2)[0];
      return "unknown option --" + name + Suggestions.didYouMean(name, names, "--");
    }
    if (arg.startsWith("-") && arg.length() > 1) {
      return "unknown option " + arg + " (options start with --)";
    }
    int at = args.indexOf(arg);
    if (at > 0 && args.get(at - 1).endsWith("=true") && !isValued(line, args.get(at - 1))
        && (arg.equalsIgnoreCase("true") || arg.equalsIgnoreCase("false"))) {
      String option = args.get(at - 1).substring(0, args.get(at - 1).length() - "=true".length());
      return option + " takes no value after a space: write " + option + "=" + arg.toLowerCase(Locale.ROOT);
    }
    return "unexpected argument '" + arg + "' (options look like --name=value or --name value)";
  }

  private static boolean isValued(CommandLine line, String arg) {
    OptionSpec option = line.getCommandSpec().findOption(arg.split("=", 2)[0]);
    return option == null || !isYesNo(option);
  }

  private static String name(ArgSpec spec) {
    return spec.isOption() ? ((OptionSpec) spec).longestName() : spec.paramLabel();
  }

  private static String expected(Class<?> type) {
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (isYesNo(type)) {
      return "true or false";
    }
    return "a valid value";
  }

  private static boolean isYesNo(Class<?> type) {
    return type == boolean.class || type == Boolean.class;
  }

  /** Fails unless the option was given (and not empty). */
  static String required(String value, String option) throws UsageException {
    if (value == null || value.isEmpty()) {
      throw new UsageException(option + " is required");
    }
    return value;
  }

  /** Fails unless {@code min <= value <= max}. */
  static long inRange(long value, String option, long min, long max) throws UsageException {
    if (value < min || value > max) {
      throw new UsageException(
          option + " must be " + (max == Long.MAX_VALUE ? "at least " + min : "in " + min + ".." + max)
              + ", got " + value);
    }
    return value;
  }

  /** Fails unless {@code min <= value < maxExclusive}. */
  static double inRange(double value, String option, double min, double maxExclusive) throws UsageException {
    if (!(value >= min && value < maxExclusive)) {
      throw new UsageException(
          option + " must be at least " + plain(min) + " and below " + plain(maxExclusive) + ", got " + plain(value));
    }
    return value;
  }

  private static String plain(double d) {
    return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, or plain seconds, as nanoseconds. */
  static final class DurationNanos implements CommandLine.ITypeConverter<Long> {
    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Override
    public Long convert(String text) {
      java.util.regex.Matcher m = DURATION.matcher(text.strip());
      if (!m.matches()) {
        throw new CommandLine.TypeConversionException(
            "must look like 500ms, 30s, 5m or 2h");
      }
      long nanosPerUnit =
          switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
          };
      long n;
      try {
        n = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        n = Long.MAX_VALUE;
      }
      if (n == 0 || n > Long.MAX_VALUE / nanosPerUnit) {
        throw new CommandLine.TypeConversionException(
            "must be positive and below 100 years");
      }
      return n * nanosPerUnit;
    }
  }
}
