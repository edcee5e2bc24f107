package io.pinpipe.pipelines.check;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The independent check of the batch pipeline's nine query outputs (the README's "Tests"): the same
 * contract, cleaning and queries written once more in SQL and run by DuckDB, sharing no code with
 * transforms/.
 *
 * <p>DuckDB reads the archived raw files itself ({@code read_text} and the JSON functions of its
 * statically linked {@code json} extension; extension auto-install and auto-load are switched off,
 * so nothing is ever downloaded). {@code clean.sql} parses, coerces, drops what the pipeline would
 * dead-letter, removes exact duplicates and applies the cleaning rules; {@code queries/<output>.sql}
 * computes one output each. Only the CSV formatting ({@link CsvText}) is Java.
 */
public final class DuckDbReference {
  private DuckDbReference() {}

  /** The nine outputs, in the order docs/semantics.md#queries lists them (q3b reads q3a's rows). */
  public static final List<String> OUTPUT_NAMES =
      List.of(
          "top_category_by_country",
          "top_category_by_year",
          "top_user_by_country",
          "top_country_by_user_followers",
          "top_category_by_age_group",
          "median_followers_by_age_group",
          "users_joined_by_year",
          "median_followers_by_join_year",
          "median_followers_by_age_group_and_join_year");

  private static final String RESOURCES = "/io/pinpipe/pipelines/check/";

  /** The query-semantics options (docs/semantics.md#queries), with the pipeline's defaults. */
  public static final class Options {
    private final String ties;
    private final String median;
    private final String userCount;
    private final int postYearFrom;
    private final int postYearTo;
    private final int joinYearFrom;
    private final int joinYearTo;

    private Options(
        String ties, String median, String userCount,
        int postYearFrom, int postYearTo, int joinYearFrom, int joinYearTo) {
      this.ties = oneOf("ties", ties, "all", "first");
      this.median = oneOf("median", median, "exact", "lower");
      this.userCount = oneOf("userCount", userCount, "distinct", "rows");
      this.postYearFrom = postYearFrom;
      this.postYearTo = postYearTo;
      this.joinYearFrom = joinYearFrom;
      this.joinYearTo = joinYearTo;
    }

    public static Options defaults() {
      return new Options("all", "exact", "distinct", 2018, 2022, 2015, 2020);
    }

    public Options ties(String value) {
      return new Options(value, median, userCount, postYearFrom, postYearTo, joinYearFrom, joinYearTo);
    }

    public Options median(String value) {
      return new Options(ties, value, userCount, postYearFrom, postYearTo, joinYearFrom, joinYearTo);
    }

    public Options userCount(String value) {
      return new Options(ties, median, value, postYearFrom, postYearTo, joinYearFrom, joinYearTo);
    }

    public Options postYears(int from, int to) {
      return new Options(ties, median, userCount, from, to, joinYearFrom, joinYearTo);
    }

    public Options joinYears(int from, int to) {
      return new Options(ties, median, userCount, postYearFrom, postYearTo, from, to);
    }

    /** The same options as the batch pipeline's command-line arguments. */
    public List<String> pipelineArgs() {
      List<String> args = new ArrayList<>();
      args.add("--ties=" + ties);
      args.add("--median=" + median);
      args.add("--userCount=" + userCount);
      args.add("--postYearFrom=" + postYearFrom);
      args.add("--postYearTo=" + postYearTo);
      args.add("--joinYearFrom=" + joinYearFrom);
      args.add("--joinYearTo=" + joinYearTo);
      return args;
    }

    @Override
    public String toString() {
      return String.join(" ", pipelineArgs());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Options && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
      return toString().hashCode();
    }

    private static String oneOf(String option, String value, String... allowed) {
      Objects.requireNonNull(value, option);
      for (String a : allowed) {
        if (a.equals(value)) {
          return value;
        }
      }
      throw new IllegalArgumentException("--" + option + " must be one of " + List.of(allowed) + ", got " + value);
    }
  }

  /**
   * Computes the nine outputs over the archive under {@code root}
   * ({@code <root>/topics/<topicPrefix>.<kind>/...}).
   *
   * @return per output name (in {@link #OUTPUT_NAMES} order), the exact CSV text the pipeline must write
   */
  public static Map<String, String> compute(Path root, String topicPrefix, Options options) {
    for (String kind : List.of("pin", "geo", "user")) {
      Path folder = root.resolve("topics").resolve(topicPrefix + "." + kind);
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException("no archived " + kind + " records: " + folder + " is not a directory");
      }
    }
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duckdb.createStatement()) {
      // Everything this check needs is statically linked; never reach for the network.
      sql.execute("SET autoinstall_known_extensions = false");
      sql.execute("SET autoload_known_extensions = false");
      for (String kind : List.of("pin", "geo", "user")) {
        String glob = root.toAbsolutePath().resolve("topics").resolve(topicPrefix + "." + kind) + "/**";
        sql.execute("SET VARIABLE " + kind + "_glob = " + literal(glob));
      }
      sql.execute("SET VARIABLE ties = " + literal(options.ties));
      sql.execute("SET VARIABLE median = " + literal(options.median));
      sql.execute("SET VARIABLE user_count = " + literal(options.userCount));
      sql.execute("SET VARIABLE post_year_from = " + options.postYearFrom);
      sql.execute("SET VARIABLE post_year_to = " + options.postYearTo);
      sql.execute("SET VARIABLE join_year_from = " + options.joinYearFrom);
      sql.execute("SET VARIABLE join_year_to = " + options.joinYearTo);

      for (String statement : SqlScript.load(RESOURCES + "clean.sql")) {
        execute(sql, statement, "clean.sql");
      }
      Map<String, String> outputs = new LinkedHashMap<>();
      for (String output : OUTPUT_NAMES) {
        String script = "queries/" + output + ".sql";
        List<String> statements = SqlScript.load(RESOURCES + script);
        for (String statement : statements.subList(0, statements.size() - 1)) {
          execute(sql, statement, script);
        }
        try (ResultSet rows = sql.executeQuery(statements.get(statements.size() - 1))) {
          outputs.put(output, CsvText.of(rows));
        }
      }
      return outputs;
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB reference failed: " + e.getMessage(), e);
    }
  }

  /**
   * The rows of a table's data files, read by DuckDB's own Parquet reader (statically linked, as
   * the JSON functions), as {@link CsvText} without the table's {@code ingestion_date} column. The
   * files are a table's current snapshot as Iceberg's Java API lists them: DuckDB's Iceberg extension
   * would be downloaded when loaded, which this check never does. No file: no text (an empty result
   * is a table day with no data file).
   */
  public static String rowsOfFiles(List<String> files) {
    if (files.isEmpty()) {
      return "";
    }
    try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = duckdb.createStatement()) {
      sql.execute("SET autoinstall_known_extensions = false");
      sql.execute("SET autoload_known_extensions = false");
      List<String> literals = new ArrayList<>();
      files.forEach(f -> literals.add(literal(f)));
      try (ResultSet rows =
          sql.executeQuery("SELECT * EXCLUDE (ingestion_date) FROM read_parquet([" + String.join(", ", literals) + "])")) {
        return CsvText.of(rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("DuckDB could not read " + files + ": " + e.getMessage(), e);
    }
  }

  private static void execute(Statement sql, String statement, String script) throws SQLException {
    try {
      sql.execute(statement);
    } catch (SQLException e) {
      throw new SQLException(script + ": " + e.getMessage() + "\n in: " + statement, e);
    }
  }

  private static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
