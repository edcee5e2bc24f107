package io.pinpipe.pipelines.iceberg;

import io.pinpipe.contract.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the batch tables with Spark 3.5 SQL and Iceberg's Spark runtime, as a user's {@code
 * spark-sql --packages iceberg-spark-runtime-3.5_2.12} session would, and writes what it saw to a
 * file: each row as {@link RowText}, its ingestion_date, and the count of snapshots. Run in a JVM
 * of its own (BatchIcebergTablesTest): the runtime bundles Iceberg's classes built against its
 * shaded Parquet, which cannot share a class path with the job's iceberg-parquet.
 *
 * <p>Arguments: the warehouse folder, the file to write.
 */
public final class SparkReadsIcebergTables {
  private SparkReadsIcebergTables() {}

  /**
   * A one-thread Spark session on loopback, in UTC, whose catalog {@code pinpipe} is the Hadoop
   * catalog in {@code warehouse}: what the tests' Spark readers share.
   */
  static SparkSession session(String appName, String warehouse) {
    return SparkSession.builder()
        .master("local[1]")
        .appName(appName)
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.catalog.pinpipe", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.pinpipe.type", "hadoop")
        .config("spark.sql.catalog.pinpipe.warehouse", warehouse)
        .getOrCreate();
  }

  public static void main(String[] args) throws Exception {
    SparkSession spark = session("pinpipe-iceberg-read", args[0]);
    List<String> lines = new ArrayList<>();
    try {
      for (RecordKind kind : RecordKind.values()) {
        String table = "pinpipe.batch." + kind.id();
        for (Row row : spark.sql("SELECT * FROM " + table).collectAsList()) {
          lines.add("row " + kind.id() + " " + row.getAs(BatchTables.PARTITION_COLUMN) + " " + RowText.of(kind, row::get));
        }
        lines.add("snapshots " + kind.id() + " " + spark.sql("SELECT count(*) FROM " + table + ".snapshots").first().getLong(0));
      }
    } finally {
      spark.stop();
    }
    Files.write(Path.of(args[1]), lines);
  }
}
