package io.pinpipe.emulator;

import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.emulator.post.Clock;
import io.pinpipe.emulator.post.OriginalTablesLoader;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code load-db}: rebuilds the original's source database (its three tables) from the generator,
 * so that {@code post --source jdbc} reads events the way the original emulator did.
 */
final class LoadDbCommand extends OptionsCommand<LoadDbCommand.Options> {
  /** The options of {@code load-db}, bound by picocli ({@link Cli}). */
  @Command(
      name = "load-db",
      customSynopsis = "usage: " + Cli.JAR + " load-db [options]%n",
      description = {
        "Creates the original's three tables in a MySQL/MariaDB database and fills them with",
        "generated events, one row per event in each, aligned by row number."
      })
  static final class Options {
    @ArgGroup(validate = false, heading = "%nDatabase:%n")
    Target database = new Target();

    @ArgGroup(validate = false, heading = "%nEvents:%n")
    Events events = new Events();

    @Option(names = "--help", description = "show this help")
    boolean help;
  }

  static final class Target {
    @Option(names = "--jdbcUrl", paramLabel = "URL", description = "the database (default: ${DEFAULT-VALUE})")
    String jdbcUrl = Database.DEFAULT_URL;

    @Option(names = "--user", paramLabel = "U", description = "database user (default: ${DEFAULT-VALUE}); the password only from $" + Database.PASSWORD_ENV)
    String user = Database.DEFAULT_USER;

    @Option(names = "--batchSize", paramLabel = "N", description = "rows per insert batch (default: ${DEFAULT-VALUE})")
    long batchSize = 1000;

    @Option(names = "--overwrite", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
        description = "drop and recreate the tables if they exist (default: false)")
    boolean overwrite;
  }

  static final class Events {
    @Option(names = "--count", paramLabel = "N", description = "events (default: ${DEFAULT-VALUE})")
    long count = GenerateCommand.DEFAULT_COUNT;

    @Option(names = "--seed", paramLabel = "S", description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed = GenerateCommand.DEFAULT_SEED;

    @Option(names = "--firstIndex", paramLabel = "I", description = "row number of the first event (default: ${DEFAULT-VALUE})")
    long firstIndex = 1;
  }

  private final Clock clock;
  private final Map<String, String> env;

  LoadDbCommand() {
    this(Clock.SYSTEM, System.getenv());
  }

  LoadDbCommand(Clock clock, Map<String, String> env) {
    super(
        "load-db",
        "create and fill the original's tables (pinterest_data, geolocation_data, user_data)",
        Options::new);
    this.clock = clock;
    this.env = env;
  }

  @Override
  int run(Options options, PrintStream out, PrintStream err) throws Exception {
    long count = Cli.inRange(options.events.count, "--count", 1, Integer.MAX_VALUE);
    long seed = options.events.seed;
    // The original's row numbers are INT columns.
    long firstIndex = Cli.inRange(options.events.firstIndex, "--firstIndex", 0, Integer.MAX_VALUE - count);
    int batchSize = (int) Cli.inRange(options.database.batchSize, "--batchSize", 1, 100_000);
    String url = options.database.jdbcUrl;

    long started = clock.nanoTime();
    try (Connection db = Database.connect(url, options.database.user, env)) {
      OriginalTablesLoader loader = new OriginalTablesLoader(db);
      String existing = loader.existingRows();
      if (existing != null) {
        if (!options.database.overwrite) {
          throw new UsageException(existing + " (use --overwrite to drop and recreate the tables)");
        }
      }
      PostGenerator generator = new PostGenerator(seed, GeneratorSettings.defaults().withFirstIndex(firstIndex));
      loader.load(generator, count, batchSize, existing != null, (done) -> {
        err.printf(Locale.ROOT, "load-db: %,d of %,d events%n", done, count);
      });
    }
    double seconds = (clock.nanoTime() - started) / 1e9;
    err.printf(
        Locale.ROOT,
        "load-db: wrote %,d events into pinterest_data, geolocation_data and user_data at %s in %.1f s%n",
        count, url, seconds);
    return 0;
  }
}
