package io.pinpipe.pipelines.iceberg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the streaming tables with Spark 3.5 SQL and Iceberg's Spark runtime (as {@link
 * SparkReadsIcebergTables} reads the batch ones, in a JVM of its own) and writes what it saw, one
 * fact a line, for {@code StreamingIcebergTablesTest} to check:
 *
 * <ul>
 *   <li>{@code count <table> <rows>} for the kinds' and dead-letter tables;
 *   <li>{@code snapshot <table> <id> <commit id> <positions>} for every snapshot of every table,
 *       oldest first ({@code <table>.snapshots}, each after its parent), with its recorded Kafka
 *       ranges;
 *   <li>{@code asof <table> <snapshot id> <origin>} for every row of a kind's or dead-letter table
 *       as of every snapshot ({@code VERSION AS OF}), and {@code now <table> <origin>} as it is;
 *   <li>{@code result <name> <window start millis>,<columns>} for every row of a result table, and
 *       {@code expected <name> ...} for every row of the same result recomputed here with Spark SQL
 *       from the {@code pin}, {@code geo} and {@code user} tables, per window (docs/semantics.md#queries,
 *       with the pipeline's default options: ties all, exact medians, distinct users, post years
 *       2018 to 2022, join years 2015 to 2020). The tables' rows do not say which window post
 *       assembly put them in, so the test hands a file of {@code ind,window start millis}: it
 *       posted each post's records with one Kafka timestamp.
 * </ul>
 *
 * <p>Arguments: the warehouse folder, the windows file, the file to write.
 */
public final class SparkChecksStreamingTables {
  private SparkChecksStreamingTables() {}

  private static final String AGE_GROUP =
      "CASE WHEN age < 18 THEN '<18' WHEN age <= 24 THEN '18-24' WHEN age <= 35 THEN '25-35'"
          + " WHEN age <= 50 THEN '36-50' ELSE '+50' END";

  /** The nine results per window (ws, the window start in millis), in Spark SQL. */
  static Map<String, String> queries() {
    Map<String, String> q = new TreeMap<>();
    q.put(
        "top_category_by_country",
        "WITH counts AS (SELECT ws, country, category, count(*) AS category_count FROM pin_geo"
            + " WHERE country IS NOT NULL AND category IS NOT NULL GROUP BY ws, country, category),"
            + " ranked AS (SELECT *, rank() OVER (PARTITION BY ws, country ORDER BY category_count DESC) AS r FROM counts)"
            + " SELECT ws, country, category, category_count FROM ranked WHERE r = 1");
    q.put(
        "top_category_by_year",
        "WITH counts AS (SELECT ws, CAST(year(geo_timestamp) AS INT) AS post_year, category, count(*) AS category_count"
            + " FROM pin_geo WHERE geo_timestamp IS NOT NULL AND category IS NOT NULL"
            + " AND year(geo_timestamp) BETWEEN 2018 AND 2022 GROUP BY ws, year(geo_timestamp), category),"
            + " ranked AS (SELECT *, rank() OVER (PARTITION BY ws, post_year ORDER BY category_count DESC) AS r FROM counts)"
            + " SELECT ws, post_year, category, category_count FROM ranked WHERE r = 1");
    q.put(
        "top_user_by_country",
        "SELECT ws, country, poster_name, follower_count FROM top_user_by_country_view");
    q.put(
        "top_country_by_user_followers",
        "WITH countries AS (SELECT DISTINCT ws, country, follower_count FROM top_user_by_country_view),"
            + " ranked AS (SELECT *, rank() OVER (PARTITION BY ws ORDER BY follower_count DESC) AS r FROM countries)"
            + " SELECT ws, country, follower_count FROM ranked WHERE r = 1");
    q.put(
        "top_category_by_age_group",
        "WITH counts AS (SELECT ws, " + AGE_GROUP + " AS age_group, category, count(*) AS category_count FROM pin_user"
            + " WHERE age IS NOT NULL AND category IS NOT NULL GROUP BY ws, " + AGE_GROUP + ", category),"
            + " ranked AS (SELECT *, rank() OVER (PARTITION BY ws, age_group ORDER BY category_count DESC) AS r FROM counts)"
            + " SELECT ws, age_group, category, category_count FROM ranked WHERE r = 1");
    q.put(
        "median_followers_by_age_group",
        "SELECT ws, " + AGE_GROUP + " AS age_group, CAST(percentile(follower_count, 0.5) AS DOUBLE) AS median_follower_count"
            + " FROM pin_user WHERE age IS NOT NULL AND follower_count IS NOT NULL GROUP BY ws, " + AGE_GROUP);
    q.put(
        "users_joined_by_year",
        "WITH users AS (SELECT DISTINCT ws, CAST(year(date_joined) AS INT) AS post_year, user_name, age, date_joined"
            + " FROM user_w WHERE date_joined IS NOT NULL AND year(date_joined) BETWEEN 2015 AND 2020)"
            + " SELECT ws, post_year, count(*) AS number_users_joined FROM users GROUP BY ws, post_year");
    q.put(
        "median_followers_by_join_year",
        "SELECT ws, CAST(year(date_joined) AS INT) AS post_year,"
            + " CAST(percentile(follower_count, 0.5) AS DOUBLE) AS median_follower_count FROM pin_user"
            + " WHERE date_joined IS NOT NULL AND follower_count IS NOT NULL AND year(date_joined) BETWEEN 2015 AND 2020"
            + " GROUP BY ws, year(date_joined)");
    q.put(
        "median_followers_by_age_group_and_join_year",
        "SELECT ws, " + AGE_GROUP + " AS age_group, CAST(year(date_joined) AS INT) AS post_year,"
            + " CAST(percentile(follower_count, 0.5) AS DOUBLE) AS median_follower_count FROM pin_user"
            + " WHERE age IS NOT NULL AND date_joined IS NOT NULL AND follower_count IS NOT NULL"
            + " AND year(date_joined) BETWEEN 2015 AND 2020 GROUP BY ws, " + AGE_GROUP + ", year(date_joined)");
    return q;
  }

  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkReadsIcebergTables.session("pinpipe-iceberg-streaming-read", args[0]);
    List<String> lines = new ArrayList<>();
    try {
      for (String name : StreamTables.tableNames()) {
        String table = "pinpipe.streaming." + name;
        List<Long> ids = new ArrayList<>();
        // Oldest first, by following each snapshot's parent (commit times can be equal).
        Map<Long, Row> byParent = new TreeMap<>();
        for (Row s : spark.sql("SELECT snapshot_id, coalesce(parent_id, -1L), summary FROM " + table + ".snapshots").collectAsList()) {
          byParent.put(s.getLong(1), s);
        }
        for (Row s = byParent.get(-1L); s != null; s = byParent.get(s.getLong(0))) {
          Map<String, String> summary = new TreeMap<>(s.<String, String>getJavaMap(2));
          List<String> positions = new ArrayList<>();
          summary.forEach(
              (k, v) -> {
                if (k.startsWith(StreamTables.POSITION_PREFIX)) {
                  positions.add(k + "=" + v);
                }
              });
          long id = s.getLong(0);
          ids.add(id);
          lines.add("snapshot " + name + " " + id + " " + summary.get(StreamTables.COMMIT_ID) + " " + String.join(";", positions));
        }
        if (ids.size() != byParent.size()) {
          throw new IllegalStateException(name + ": snapshots not in one line of parents: " + byParent.keySet());
        }
        if (StreamTables.isResult(name)) {
          for (Row r : spark.sql("SELECT * FROM " + table).collectAsList()) {
            lines.add("result " + name + " " + resultLine(r));
          }
          continue;
        }
        lines.add("count " + name + " " + spark.sql("SELECT count(*) FROM " + table).first().getLong(0));
        for (Row r : spark.sql("SELECT origin FROM " + table).collectAsList()) {
          lines.add("now " + name + " " + r.getString(0));
        }
        for (long id : ids) {
          lines.add("asof " + name + " " + id + " -"); // the snapshot was readable, rows or none
          for (Row r : spark.sql("SELECT origin FROM " + table + " VERSION AS OF " + id).collectAsList()) {
            lines.add("asof " + name + " " + id + " " + r.getString(0));
          }
        }
      }
      spark.read().option("header", "true").schema("ind LONG, ws LONG").csv(args[1]).createOrReplaceTempView("windows");
      for (String kind : List.of("pin", "geo", "user")) {
        spark.sql("SELECT k.*, w.ws FROM pinpipe.streaming." + kind + " k JOIN windows w ON k.ind = w.ind")
            .createOrReplaceTempView(kind + "_w");
      }
      spark.sql(
              "SELECT p.*, g.country, g.`timestamp` AS geo_timestamp FROM pin_w p JOIN geo_w g ON p.ind = g.ind AND p.ws = g.ws")
          .createOrReplaceTempView("pin_geo");
      spark.sql(
              "SELECT p.*, u.user_name, u.age, u.date_joined FROM pin_w p JOIN user_w u ON p.ind = u.ind AND p.ws = u.ws")
          .createOrReplaceTempView("pin_user");
      spark.sql(
              "WITH posters AS (SELECT DISTINCT ws, country, poster_name, follower_count FROM pin_geo"
                  + " WHERE country IS NOT NULL AND poster_name IS NOT NULL AND follower_count IS NOT NULL),"
                  + " ranked AS (SELECT *, rank() OVER (PARTITION BY ws, country ORDER BY follower_count DESC) AS r FROM posters)"
                  + " SELECT ws, country, poster_name, follower_count FROM ranked WHERE r = 1")
          .createOrReplaceTempView("top_user_by_country_view");
      for (Map.Entry<String, String> query : queries().entrySet()) {
        for (Row r : spark.sql(query.getValue()).collectAsList()) {
          List<String> values = new ArrayList<>();
          for (int i = 0; i < r.size(); i++) {
            values.add(String.valueOf(r.get(i)));
          }
          lines.add("expected " + query.getKey() + " " + String.join(",", values));
        }
      }
    } finally {
      spark.stop();
    }
    Files.write(Path.of(args[2]), lines);
  }

  /** A result table's row: its window's start in millis, then the result's columns. */
  private static String resultLine(Row r) {
    List<String> values = new ArrayList<>();
    values.add(Long.toString(((java.sql.Timestamp) r.getAs(StreamTables.WINDOW_START)).getTime()));
    String[] names = r.schema().fieldNames();
    for (int i = 0; i < names.length; i++) {
      if (!names[i].equals(StreamTables.WINDOW_START)
          && !names[i].equals("window_end")
          && !names[i].equals(BatchTables.PARTITION_COLUMN)) {
        values.add(String.valueOf(r.get(i)));
      }
    }
    return String.join(",", values);
  }
}
