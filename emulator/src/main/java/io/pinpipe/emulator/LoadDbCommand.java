package io.pinpipe.emulator;

import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.emulator.post.Clock;
import io.pinpipe.emulator.post.OriginalTablesLoader;
import java.io.PrintStream;
import java.sql.Connection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code load-db}: rebuilds the original's source database (its three tables) from the generator,
 * so that {@code post --source jdbc} reads events the way the original emulator did.
 */
final class LoadDbCommand implements Subcommand {
  private static final Set<String> VALUED = Set.of("count", "seed", "firstIndex", "jdbcUrl", "user", "batchSize");
  private static final Set<String> FLAGS = Set.of("overwrite", "help");

  private final Clock clock;
  private final Map<String, String> env;

  LoadDbCommand() {
    this(Clock.SYSTEM, System.getenv());
  }

  LoadDbCommand(Clock clock, Map<String, String> env) {
    this.clock = clock;
    this.env = env;
  }

  @Override
  public String name() {
    return "load-db";
  }

  @Override
  public String summary() {
    return "create and fill the original's tables (pinterest_data, geolocation_data, user_data)";
  }

  @Override
  public String usage() {
    return String.join(
        "\n",
        "usage: java -jar pinterest-emulator.jar load-db [options]",
        "",
        "Creates the original's three tables in a MySQL/MariaDB database and fills them with",
        "generated events, one row per event in each, aligned by row number.",
        "",
        "  --jdbcUrl URL     (default " + Database.DEFAULT_URL + ")",
        "  --user U          (default root); the password is read from $" + Database.PASSWORD_ENV,
        "  --count N         events (default " + GenerateCommand.DEFAULT_COUNT + ")",
        "  --seed S          generator seed (default " + GenerateCommand.DEFAULT_SEED + ")",
        "  --firstIndex I    row number of the first event (default 1)",
        "  --batchSize N     rows per insert batch (default 1000)",
        "  --overwrite       drop and recreate the tables if they exist",
        "  --help            show this help",
        "");
  }

  @Override
  public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    CommandLine line = CommandLine.parse(args, VALUED, FLAGS);
    if (line.flag("help")) {
      out.print(usage());
      return 0;
    }
    long count = line.longValue("count", GenerateCommand.DEFAULT_COUNT, 1, Integer.MAX_VALUE);
    long seed = line.longValue("seed", GenerateCommand.DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
    // The original's row numbers are INT columns.
    long firstIndex = line.longValue("firstIndex", 1, 0, Integer.MAX_VALUE - count);
    int batchSize = (int) line.longValue("batchSize", 1000, 1, 100_000);
    String url = line.string("jdbcUrl", Database.DEFAULT_URL);

    long started = clock.nanoTime();
    try (Connection db = Database.connect(url, line.string("user", Database.DEFAULT_USER), env)) {
      OriginalTablesLoader loader = new OriginalTablesLoader(db);
      String existing = loader.existingRows();
      if (existing != null) {
        if (!line.flag("overwrite")) {
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
