package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.contract.RecordKind;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * {@code iceberg-maintain}: the batch tables' upkeep (docs/iceberg.md#upkeep-iceberg-maintain), per table in
 * this order: compact the small files of one day's partition ({@code --compactDate}), expire the
 * snapshots older than {@code --expireOlderThan} keeping the newest {@code --retainLast}, remove the
 * orphan files older than {@code --orphanOlderThan}. Each step is skipped unless its option is
 * given; with none, it only lists each table's current snapshot (read-only). Runs on the machine that calls it (no pipeline: each step is one commit per table).
 */
public final class IcebergMaintain {
  /** Below this, a file still being written by a running batch could be taken for an orphan. */
  static final Duration SHORTEST_ORPHAN_AGE = Duration.ofHours(1);

  private static final Map<String, String> OPTIONS = new LinkedHashMap<>();

  static {
    OPTIONS.put("warehouse", "PATH  the tables' folder or s3:// prefix (batch's <output>/warehouse); required");
    OPTIONS.put("namespace", "batch|streaming  whose tables: batch's (default) or the streaming job's");
    OPTIONS.put("catalogUri", "JDBC-URI  the JDBC catalog batch used (--catalogUri); none: the Hadoop catalog in --warehouse");
    OPTIONS.put("catalogName", "NAME  the JDBC catalog's name (default pinpipe)");
    OPTIONS.put("endpoint", "URL  an S3-compatible endpoint, for an s3:// warehouse (as the jobs' --endpoint)");
    OPTIONS.put("awsRegion", "REGION  the S3 region, for an s3:// warehouse (as the jobs' --awsRegion)");
    OPTIONS.put("s3PathStyleAccess", "true|false  path-style S3 addresses, for an s3:// warehouse (default false)");
    OPTIONS.put("compactDate", "YYYY-MM-DD  rewrite that ingestion_date partition's small files into few");
    OPTIONS.put("targetFileMB", "N  a small file is smaller than this; compacted files hold about this much (default 128)");
    OPTIONS.put("expireOlderThan", "AGE  expire snapshots committed longer ago than this, e.g. 7d, 12h, 0s");
    OPTIONS.put("retainLast", "N  keep at least the newest N snapshots whatever their age (default 1, at least 1)");
    OPTIONS.put("orphanOlderThan", "AGE  remove files no snapshot refers to, last written longer ago than this (at least 1h)");
  }

  private IcebergMaintain() {}

  /** A table's current snapshot as a reader sees it: its id, rows and data files, and its days. */
  static String currentSnapshot(Table table) {
    org.apache.iceberg.Snapshot snapshot = table.currentSnapshot();
    if (snapshot == null) {
      return "no snapshot yet";
    }
    Map<String, String> summary = snapshot.summary();
    java.util.SortedSet<String> days = new java.util.TreeSet<>();
    try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.FileScanTask> tasks = table.newScan().planFiles()) {
      // Read from the snapshot's manifests: the partitions its data files are in.
      tasks.forEach(
          task -> {
            Object day = task.file().partition().get(0, Object.class); // a date partition: days since 1970
            days.add(day instanceof Integer ? LocalDate.ofEpochDay((Integer) day).toString() : String.valueOf(day));
          });
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return "current snapshot " + snapshot.snapshotId() + ": " + summary.getOrDefault("total-records", "0") + " rows in "
        + summary.getOrDefault("total-data-files", "0") + " files"
        + (days.isEmpty() ? "" : ", " + BatchTables.PARTITION_COLUMN + " " + String.join(",", days));
  }

  public static int run(String... args) {
    return CommandLine.execute("iceberg-maintain", () -> runOrFail(args, System.out));
  }

  private static void runOrFail(String[] args, PrintStream out) {
    Map<String, String> given = parse(args, out);
    if (given == null) {
      return; // --help
    }
    String warehouse = given.get("warehouse");
    if (warehouse == null) {
      throw new UserError("iceberg-maintain needs --warehouse=<folder or s3:// prefix> (see iceberg-maintain --help)");
    }
    if (given.containsKey("catalogName") && !given.containsKey("catalogUri")) {
      throw new UserError("--catalogName is for --catalogUri");
    }
    String namespace = given.getOrDefault("namespace", BatchTables.NAMESPACE);
    if (!namespace.equals(BatchTables.NAMESPACE) && !namespace.equals(StreamTables.NAMESPACE)) {
      throw new UserError("--namespace must be batch or streaming, got '" + namespace + "'");
    }
    boolean streaming = namespace.equals(StreamTables.NAMESPACE);
    boolean s3 = warehouse.startsWith("s3://");
    for (String option : List.of("endpoint", "awsRegion", "s3PathStyleAccess")) {
      if (given.containsKey(option) && !s3) {
        throw new UserError("--" + option + " is for a warehouse on s3://");
      }
    }
    // The same catalog batch opened for the same options (a JDBC one on S3: docs/iceberg.md#tables-on-s3).
    IcebergCatalog place =
        IcebergCatalog.at(
            warehouse,
            given.get("catalogUri"),
            given.getOrDefault("catalogName", "pinpipe"),
            given.containsKey("endpoint") ? endpoint(given.get("endpoint")) : null,
            given.get("awsRegion"),
            flag("s3PathStyleAccess", given.getOrDefault("s3PathStyleAccess", "false")));
    LocalDate compactDate = given.containsKey("compactDate") ? day(given.get("compactDate")) : null;
    long targetBytes = positive("targetFileMB", given.getOrDefault("targetFileMB", "128")) * 1024L * 1024L;
    Duration expireAge = given.containsKey("expireOlderThan") ? age("expireOlderThan", given.get("expireOlderThan")) : null;
    int retainLast = (int) positive("retainLast", given.getOrDefault("retainLast", "1"));
    Duration orphanAge = given.containsKey("orphanOlderThan") ? age("orphanOlderThan", given.get("orphanOlderThan")) : null;
    if (orphanAge != null && orphanAge.compareTo(SHORTEST_ORPHAN_AGE) < 0) {
      throw new UserError("--orphanOlderThan must be at least 1h: a running batch's files are not committed yet");
    }
    // Without a step the command only lists each table's current snapshot (what quickstart.sh shows).
    boolean listOnly = compactDate == null && expireAge == null && orphanAge == null;
    // The one clock reading of the run: every table's ages are measured from it.
    Instant now = Instant.now();
    out.println("iceberg-maintain: " + place.describe());
    Catalog catalog = place.open();
    try {
      for (String name : BatchTables.tableNames()) {
        TableIdentifier id = streaming ? StreamTables.identifier(name) : BatchTables.identifier(name);
        if (!catalog.tableExists(id)) {
          if (isKind(name)) {
            throw new UserError("no table " + id + " in the " + place.describe());
          }
          // Dead-letter and result tables are created by the first batch run of a version that writes them.
          out.println("  " + id + ": not there (no " + namespace + " run has written it yet)");
          continue;
        }
        Table table = catalog.loadTable(id);
        if (listOnly) {
          out.println("  " + id + ": " + currentSnapshot(table));
          continue;
        }
        if (compactDate != null) {
          TableMaintenance.Compaction c = TableMaintenance.compactDay(table, compactDate, targetBytes);
          out.println(
              "  " + id + ": " + (c.filesWritten == 0
                  ? "ingestion_date=" + compactDate + " has no small files to compact"
                  : "compacted ingestion_date=" + compactDate + ": " + c.filesRead + " files into " + c.filesWritten + " (" + c.rows
                      + " rows) in snapshot " + c.snapshotId));
        }
        if (expireAge != null) {
          int expired = TableMaintenance.expireSnapshots(table, now.minus(expireAge), retainLast);
          out.println("  " + id + ": expired " + expired + " snapshots; " + TableMaintenance.count(table.snapshots()) + " left");
        }
        if (orphanAge != null) {
          List<String> removed = TableMaintenance.removeOrphans(table, now.minus(orphanAge));
          out.println("  " + id + ": removed " + removed.size() + " orphan files");
          for (String path : removed) {
            out.println("    " + path);
          }
        }
      }
    } finally {
      IcebergCatalog.close(catalog);
    }
  }

  private static boolean isKind(String table) {
    for (RecordKind kind : RecordKind.values()) {
      if (kind.id().equals(table)) {
        return true;
      }
    }
    return false;
  }

  /** {@code --name=value} pairs, each name known and given once; null after printing --help. */
  private static Map<String, String> parse(String[] args, PrintStream out) {
    Map<String, String> given = new LinkedHashMap<>();
    for (String arg : args) {
      if (arg.equals("--help") || arg.equals("-h")) {
        out.println("usage: iceberg-maintain --warehouse=PATH [--catalogUri=JDBC-URI] [--endpoint=URL ...]"
            + " [--compactDate=YYYY-MM-DD] [--expireOlderThan=AGE [--retainLast=N]] [--orphanOlderThan=AGE]");
        out.println();
        out.println("Upkeep of the Iceberg tables of batch or streaming (the kinds', their dead letters', the results'),"
            + " local or on s3:// (docs/iceberg.md). Without a step (--compactDate, --expireOlderThan,"
            + " --orphanOlderThan) it changes nothing and lists each table's current snapshot: id, rows, files, days.");
        out.println("The JDBC catalog's user and password come from " + IcebergCatalog.USER_VARIABLE + " and "
            + IcebergCatalog.PASSWORD_VARIABLE + ". AGE is a number and d, h, m or s.");
        out.println();
        OPTIONS.forEach((name, text) -> out.printf("  --%-16s %s%n", name, text));
        return null;
      }
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new UserError("iceberg-maintain takes --name=value options, got '" + arg + "' (see iceberg-maintain --help)");
      }
      String name = arg.substring(2, eq);
      if (!OPTIONS.containsKey(name)) {
        throw new UserError("iceberg-maintain has no option --" + name + " (see iceberg-maintain --help)");
      }
      if (given.put(name, arg.substring(eq + 1)) != null) {
        throw new UserError("--" + name + " is given twice");
      }
    }
    return given;
  }

  private static URI endpoint(String text) {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() != null && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // Below.
    }
    throw new UserError("--endpoint must be a URL such as http://127.0.0.1:9090, got '" + text + "'");
  }

  private static boolean flag(String name, String text) {
    if (text.equals("true") || text.equals("false")) {
      return Boolean.parseBoolean(text);
    }
    throw new UserError("--" + name + " must be true or false, got '" + text + "'");
  }

  private static LocalDate day(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new UserError("--compactDate must be a day YYYY-MM-DD, got '" + text + "'");
    }
  }

  private static long positive(String name, String text) {
    try {
      long n = Long.parseLong(text);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Below.
    }
    throw new UserError("--" + name + " must be a whole number of at least 1, got '" + text + "'");
  }

  /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 0s}. */
  static Duration age(String name, String text) {
    Set<Character> units = Set.of('d', 'h', 'm', 's');
    if (text.length() >= 2 && units.contains(text.charAt(text.length() - 1))) {
      try {
        long n = Long.parseLong(text.substring(0, text.length() - 1));
        if (n >= 0) {
          switch (text.charAt(text.length() - 1)) {
            case 'd':
              return Duration.ofDays(n);
            case 'h':
              return Duration.ofHours(n);
            case 'm':
              return Duration.ofMinutes(n);
            default:
              return Duration.ofSeconds(n);
          }
        }
      } catch (NumberFormatException e) {
        // Below.
      }
    }
    throw new UserError("--" + name + " must be an age such as 7d, 12h, 30m or 0s, got '" + text + "'");
  }
}
