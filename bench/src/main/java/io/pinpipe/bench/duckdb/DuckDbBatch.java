package io.pinpipe.bench.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The harness's DuckDB engine: the Beam {@code batch} job's work done by DuckDB, in-process
 * through its JDBC driver, as one SQL script ({@code resources/io/pinpipe/bench/duckdb/batch.sql},
 * which says what it does and what it leaves out). This class only prepares the output folders,
 * sets the engine's threads and the script's variables, and runs the script.
 *
 * <p>Usage: {@code DuckDbBatch --input=<archive root> --output=<dir> [--threads=2]
 * [--topicPrefix=pinterest]}. Reads {@code <input>/topics/<prefix>.<kind>/**}{@code /*.json};
 * replaces {@code <output>} and writes {@code results/<name>.csv} (the same bytes as the batch
 * job's) and the cleaned tables as {@code tables/<kind>/part-00000-of-00001.parquet}. Prints one
 * line {@code duckdb run: <seconds> s} to stdout, timed from connecting to the last file written.
 *
 * <p>DuckDB works in native memory outside the Java heap (its default limit, 80% of the machine's
 * memory, is left as it is), and everything it needs (JSON, Parquet, ICU time zones) is linked
 * into the driver: extension auto-install and auto-load are switched off, so nothing is downloaded.
 */
public final class DuckDbBatch {
  private DuckDbBatch() {}

  private static final List<String> KINDS = List.of("pin", "geo", "user");
  private static final String SCRIPT = "/io/pinpipe/bench/duckdb/batch.sql";

  public static void main(String[] args) throws IOException, SQLException {
    Map<String, String> options = parse(args);
    Path input = Paths.get(require(options, "input")).toAbsolutePath();
    Path output = Paths.get(require(options, "output")).toAbsolutePath();
    String prefix = options.getOrDefault("topicPrefix", "pinterest");
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    for (String kind : KINDS) {
      Path folder = input.resolve("topics").resolve(prefix + "." + kind);
      if (!Files.isDirectory(folder)) {
        fail("no archived " + kind + " records: " + folder + " is not a directory");
      }
    }
    String script = script();

    // Replacing the previous output is not part of the job, and DuckDB's COPY creates no folders.
    deleteRecursively(output);
    Files.createDirectories(output.resolve("results"));
    for (String kind : KINDS) {
      Files.createDirectories(output.resolve("tables").resolve(kind));
    }

    long start = System.nanoTime();
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duckdb.createStatement()) {
      sql.execute("SET autoinstall_known_extensions = false");
      sql.execute("SET autoload_known_extensions = false");
      sql.execute("SET threads = " + threads);
      sql.execute("SET VARIABLE input = " + literal(input.toString()));
      sql.execute("SET VARIABLE output = " + literal(output.toString()));
      sql.execute("SET VARIABLE topic_prefix = " + literal(prefix));
      // The whole script in one call: the driver runs its statements in order.
      sql.execute(script);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.println(String.format(Locale.ROOT, "duckdb run: %.1f s", seconds));
  }

  private static String script() {
    try (InputStream in = DuckDbBatch.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + SCRIPT);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--")) {
        fail("unexpected argument " + arg);
      }
      int eq = arg.indexOf('=');
      String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
      if (!List.of("input", "output", "threads", "topicPrefix").contains(name)) {
        fail("unknown option --" + name);
      }
      options.put(name, eq < 0 ? "" : arg.substring(eq + 1));
    }
    return options;
  }

  private static String require(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null || value.isEmpty()) {
      fail("--" + name + " is required");
    }
    return value;
  }

  private static void fail(String message) {
    System.err.println("DuckDbBatch: " + message);
    System.exit(2);
  }
}
