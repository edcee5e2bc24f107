package io.pinpipe.bench.sparksql;

import io.pinpipe.transforms.results.QueryOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The native Spark SQL baseline of the Beam {@code batch} job: the same cleaning (docs/semantics.md#cleaning-per-kind)
 * and the same nine results (default options), written as a Spark engineer would write the job
 * with DataFrames and Spark SQL only: no UDFs, no functions over records, explicit schemas for
 * {@code from_json}. The SQL is in {@code resources/io/pinpipe/bench/sparksql/}, one file per
 * stage and per output; it ports the pipelines module's independent DuckDB check
 * ({@code check/clean.sql}, {@code check/queries/*.sql}). The outputs' names and columns are the
 * job's own contract ({@code QueryOutput}). It computes the default query semantics only ({@code
 * --ties=all --median=exact --userCount=distinct}, the default year ranges), the ones the
 * benchmarks compare (BENCHMARKS.md).
 *
 * <p>Usage: {@code SparkSqlBaseline --input=<archive root> --output=<dir> [--master=local[2]]
 * [--topicPrefix=pinterest] [--repeat=1] [--counts]}. Reads
 * {@code <input>/topics/<prefix>.<kind>/**}; replaces {@code <output>} and writes
 * {@code results/<name>.csv} (the same bytes as the batch job's) and the cleaned tables as Parquet
 * under {@code tables/<kind>/} with Spark's writer. Each of the {@code --repeat} runs (same
 * session, so later runs are warm) prints one line {@code spark-sql run <i>: <seconds> s} to
 * stdout, timed from reading to the last file written; {@code --counts} also prints the cleaned
 * row counts to stderr (extra jobs inside the timed run: for checks, not for timing).
 *
 * <p>The nine results are small aggregates (at most a few hundred rows): each is collected to the
 * driver and its CSV text written there with {@link CsvText}, which gives exactly the job's bytes
 * (one file, header, row order, number format) without Spark's CSV writer's part files. The
 * cleaned tables, the large data, never leave the executors.
 */
public final class SparkSqlBaseline {
  private SparkSqlBaseline() {}

  private static final List<String> KINDS = List.of("pin", "geo", "user");
  private static final String SQL = "/io/pinpipe/bench/sparksql/";

  /**
   * Shuffle partitions: 4, twice the two cores of the default master, so that a skewed partition
   * still leaves the other core work. Measured on 100,000 events, local[2], three warm runs each
   * (shared machine, indicative): 2, 4 and 8 are within noise (cold 32-45 s, warm 15-20 s); Spark's
   * default 200 makes the cold run about 100 s, as every map task writes 200 blocks for data that
   * is a few tens of MB.
   */
  static final int SHUFFLE_PARTITIONS = 4;

  public static void main(String[] args) throws IOException {
    Map<String, String> options = parse(args);
    Path input = Paths.get(require(options, "input"));
    Path output = Paths.get(require(options, "output"));
    String master = options.getOrDefault("master", "local[2]");
    String prefix = options.getOrDefault("topicPrefix", "pinterest");
    int repeat = Integer.parseInt(options.getOrDefault("repeat", "1"));
    boolean counts = options.containsKey("counts");
    for (String kind : KINDS) {
      Path folder = topic(input, prefix, kind);
      if (!Files.isDirectory(folder)) {
        fail("no archived " + kind + " records: " + folder + " is not a directory");
      }
    }

    SparkSession.Builder builder = SparkSession.builder();
    if (master.startsWith("local") && System.getenv("SPARK_LOCAL_IP") == null) {
      // A local master serves this machine only (as the jobs' LoopbackDefaults do).
      builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    SparkSession spark =
        builder
            .appName("pinterest-spark-sql-baseline")
            .master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", String.valueOf(SHUFFLE_PARTITIONS))
            // The contract's datetimes are UTC; year() and the local date-time casts follow this.
            .config("spark.sql.session.timeZone", "UTC")
            // As the job writes them (docs/semantics.md#clean-schemas):
            // int64 microseconds, not Spark's legacy INT96.
            .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
            .getOrCreate();
    try {
      for (int run = 1; run <= repeat; run++) {
        // Replacing the previous output is not part of the job: the clock starts at the reading.
        deleteRecursively(output);
        long start = System.nanoTime();
        runOnce(spark, input, output, prefix, counts);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println(String.format(Locale.ROOT, "spark-sql run %d: %.1f s", run, seconds));
      }
    } finally {
      spark.stop();
    }
  }

  private static void runOnce(SparkSession spark, Path input, Path output, String prefix, boolean counts)
      throws IOException {
    int parallelism = spark.sparkContext().defaultParallelism();
    Map<String, Dataset<Row>> cleaned = new LinkedHashMap<>();
    List<Dataset<Row>> cached = new ArrayList<>();
    for (String kind : KINDS) {
      // One row per file: the split into records depends on the whole file (records.sql).
      Dataset<Row> files =
          spark.read()
              .option("wholetext", "true")
              .option("recursiveFileLookup", "true")
              .text(topic(input, prefix, kind).toString());
      // As the batch job: a kind without any file is an error, not empty results.
      if (files.inputFiles().length == 0) {
        throw new IllegalArgumentException("no archived " + kind + " records: no files under " + topic(input, prefix, kind));
      }
      files.createOrReplaceTempView("raw_files_" + kind);
      // Only the number of read partitions (planning, no data): fewer than the cores, and the
      // lines are spread over the cores before parsing (records.sql).
      String repartition =
          files.rdd().getNumPartitions() < parallelism
              ? "/*+ REPARTITION(" + parallelism + ", line) */"
              : "";
      spark.sql(sql("records.sql").replace("@kind@", kind).replace("@repartition@", repartition))
          .createOrReplaceTempView("raw_" + kind);
      spark.sql(sql("parse_" + kind + ".sql")).createOrReplaceTempView("parsed_" + kind);
      // Cached: written as Parquet, then read by several queries; parsing is the costly part.
      Dataset<Row> clean = spark.sql(sql("clean_" + kind + ".sql")).cache();
      clean.createOrReplaceTempView(kind + "_clean");
      cleaned.put(kind, clean);
      cached.add(clean);
    }
    ExecutorService writers = Executors.newFixedThreadPool(KINDS.size());
    try {
      // The three tables are written by concurrent jobs: a topic's files are read, and its
      // lines split, by one task per file, so one kind alone would leave a core idle.
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      for (Map.Entry<String, Dataset<Row>> table : cleaned.entrySet()) {
        String path = output.resolve("tables").resolve(table.getKey()).toString();
        writes.add(CompletableFuture.runAsync(() -> table.getValue().write().parquet(path), writers));
      }
      CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
      // Each join feeds three or four queries: cached, narrowed to the columns they read.
      for (String join : List.of("pin_geo", "pin_user")) {
        Dataset<Row> joined = spark.sql(sql(join + ".sql")).cache();
        joined.createOrReplaceTempView(join);
        cached.add(joined);
      }

      Path results = Files.createDirectories(output.resolve("results"));
      // The nine outputs of the job's contract, in its order (q3b reads q3a's rows): the same
      // file names, and columns checked against it before a row is read.
      for (QueryOutput query : QueryOutput.values()) {
        String name = query.outputName();
        Dataset<Row> result = spark.sql(sql("queries/" + name + ".sql"));
        if (!List.of(result.schema().fieldNames()).equals(query.schema().getFieldNames())) {
          throw new IllegalStateException(
              "queries/" + name + ".sql returns columns " + List.of(result.schema().fieldNames())
                  + ", the job's contract " + query.schema().getFieldNames());
        }
        List<Row> rows = result.collectAsList();
        // q3b reads q3a's rows: hand them over as they are rather than computing q3a again.
        spark.createDataFrame(rows, result.schema()).createOrReplaceTempView(name);
        Files.writeString(results.resolve(name + ".csv"), CsvText.of(result.schema(), rows), StandardCharsets.UTF_8);
      }
      if (counts) {
        for (Map.Entry<String, Dataset<Row>> table : cleaned.entrySet()) {
          System.err.println("cleaned " + table.getKey() + ": " + table.getValue().count());
        }
      }
    } finally {
      // Every run starts from the files again: repeated runs measure a warm JVM, not a warm cache.
      writers.shutdown();
      cached.forEach(Dataset::unpersist);
    }
  }

  private static Path topic(Path root, String prefix, String kind) {
    return root.resolve("topics").resolve(prefix + "." + kind);
  }

  private static String sql(String resource) {
    try (InputStream in = SparkSqlBaseline.class.getResourceAsStream(SQL + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + SQL + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
      if (!List.of("input", "output", "master", "topicPrefix", "repeat", "counts").contains(name)) {
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
    System.err.println("SparkSqlBaseline: " + message);
    System.exit(2);
  }
}
