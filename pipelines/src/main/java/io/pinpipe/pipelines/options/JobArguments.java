package io.pinpipe.pipelines.options;

import io.pinpipe.contract.cli.Suggestions;
import io.pinpipe.pipelines.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.beam.sdk.PipelineRunner;
import org.apache.beam.sdk.runners.PipelineRunnerRegistrar;

/**
 * A job's command line checked and put in the form Beam reads ({@code --name=value}), before Beam
 * sees it: both {@code --name=value} and {@code --name value} are accepted; a yes/no option takes
 * no value after a space ({@code --overwrite} is yes, {@code --overwrite=false} no); an unknown or
 * misspelled option, a value of the wrong kind, an option given twice or a required one missing is
 * a {@link UserError} that names the option (with a "did you mean" for a slip), never a Java name.
 */
public final class JobArguments {
  private final List<String> normalized;

  private JobArguments(List<String> normalized) {
    this.normalized = normalized;
  }

  /** {@code --name=value} (or {@code --name} for a yes/no option) for each option given. */
  public String[] normalized() {
    return normalized.toArray(new String[0]);
  }

  public static JobArguments check(String[] args, OptionCatalog catalog) {
    List<String> normalized = new ArrayList<>();
    Set<String> given = new HashSet<>();
    String bareYesNo = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new UserError(stray(arg, bareYesNo));
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      OptionCatalog.Option option =
          catalog.find(name)
              .orElseThrow(
                  () -> new UserError("unknown option --" + name + Suggestions.didYouMean(name, catalog.names(), "--")));
      if (!given.add(name) && !option.isRepeatable()) {
        throw new UserError("--" + name + " given twice");
      }
      bareYesNo = null;
      if (eq < 0 && option.isYesNo()) {
        normalized.add("--" + name);
        bareYesNo = name;
        continue;
      }
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
        value = args[++i];
      } else {
        throw new UserError("--" + name + " needs a value");
      }
      checkValue(option, value);
      normalized.add("--" + name + "=" + value);
    }
    for (OptionCatalog.Option option : catalog.all()) {
      if (option.isJobs() && option.isRequired() && !given.contains(option.name())) {
        throw new UserError("--" + option.name() + " is required: " + option.description());
      }
    }
    return new JobArguments(normalized);
  }

  private static String stray(String arg, String bareYesNo) {
    if (bareYesNo != null && (arg.equalsIgnoreCase("true") || arg.equalsIgnoreCase("false"))) {
      return "--" + bareYesNo + " takes no value after a space: write --" + bareYesNo + "=" + arg.toLowerCase(Locale.ROOT);
    }
    if (arg.startsWith("-") && arg.length() > 1) {
      return "unknown option " + arg + " (options start with --)";
    }
    return "unexpected argument '" + arg + "' (options look like --name=value or --name value)";
  }

  /** The values Beam would reject with a Java type name: numbers, yes/no, enums and runners. */
  private static void checkValue(OptionCatalog.Option option, String value) {
    Class<?> type = option.type();
    String name = "--" + option.name();
    try {
      if (option.isYesNo()) {
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
          throw new UserError(name + " must be true or false, got '" + value + "'");
        }
      } else if (type == int.class || type == Integer.class) {
        Integer.parseInt(value.strip());
      } else if (type == long.class || type == Long.class) {
        Long.parseLong(value.strip());
      } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
        Double.parseDouble(value.strip());
      } else if (type.isEnum()) {
        Set<String> names =
            Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name()).collect(Collectors.toCollection(TreeSet::new));
        if (!names.contains(value)) {
          throw new UserError(name + " must be one of " + String.join(", ", names) + ", got '" + value + "'");
        }
      } else if (option.name().equals("runner")) {
        checkRunner(value);
      }
    } catch (NumberFormatException e) {
      throw new UserError(
          name + " must be " + (type == double.class || type == Double.class || type == float.class || type == Float.class
              ? "a number" : "a whole number" + (type == int.class || type == Integer.class ? " up to 2147483647" : ""))
              + ", got '" + value + "'");
    }
  }

  /** A runner by its name ({@code FlinkRunner}, {@code flink}), as Beam looks it up, or its class. */
  private static void checkRunner(String value) {
    if (value.contains(".")) {
      return; // a class name: Beam loads it and says so if it cannot
    }
    Set<String> runners = new TreeSet<>();
    Set<String> shortNames = new TreeSet<>();
    String wanted = value.toLowerCase(Locale.ROOT);
    for (PipelineRunnerRegistrar registrar : ServiceLoader.load(PipelineRunnerRegistrar.class)) {
      for (Class<? extends PipelineRunner<?>> runner : registrar.getPipelineRunners()) {
        String lower = runner.getSimpleName().toLowerCase(Locale.ROOT);
        if (lower.equals(wanted) || lower.equals(wanted + "runner")) {
          return;
        }
        if (!runner.getSimpleName().startsWith("Test")) {
          runners.add(runner.getSimpleName()); // the test runners work but are not offered
          shortNames.add(runner.getSimpleName().replaceFirst("Runner$", ""));
        }
      }
    }
    throw new UserError(
        "--runner: no runner '" + value + "'" + Suggestions.didYouMean(value, shortNames, "")
            + "; runners: " + String.join(", ", runners));
  }
}
