package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.UserError;
import java.util.Objects;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How batch writes its cleaned tables: plain Parquet folders, or Iceberg tables (docs/iceberg.md). */
public interface IcebergOptions extends PipelineOptions {

  /** No default here: {@link #icebergTables} gives it (iceberg, for both jobs; JobHelp shows it). */
  @Description(
      "Format of the cleaned tables: iceberg (tables <namespace>.pin, .geo, .user, .<kind>_dead_letters and the"
          + " nine results in a Hadoop or JDBC catalog, partitioned by ingestion_date; namespace batch: --date's"
          + " day, each record's dt= folder, or from Kafka each record's arrival day; namespace streaming: Kafka"
          + " or Kinesis input, fixed windows or one global window, exactly once across restarts (Kinesis:"
          + " each stream read again from its trim horizon, each shard resumed after the tables' anchor),"
          + " docs/iceberg.md) or parquet (a folder of files per table)")
  String getTableFormat();

  void setTableFormat(String value);

  @Description(
      "With --tableFormat=iceberg: the tables' folder, default <output>/warehouse: a local folder, or s3:// with"
          + " --catalogUri only (files through Iceberg's S3FileIO, with --endpoint, --awsRegion, --s3PathStyleAccess)."
          + " Without --catalogUri it is also the catalog (a Hadoop catalog)")
  String getWarehouse();

  void setWarehouse(String value);

  @Description(
      "With --tableFormat=iceberg: a JDBC catalog's database, e.g. jdbc:postgresql://host:5432/db, instead of"
          + " the Hadoop catalog; user and password from PINPIPE_CATALOG_USER and PINPIPE_CATALOG_PASSWORD (or the"
          + " driver's own places); its driver on the class path (docs/iceberg.md)")
  String getCatalogUri();

  void setCatalogUri(String value);

  @Description("With --catalogUri: the catalog's name in that database (one database can hold many catalogs)")
  @Default.String("pinpipe")
  String getCatalogName();

  void setCatalogName(String value);

  /** Checks the format and that the Iceberg options come with it, before the job touches anything. */
  static void check(IcebergOptions options) {
    String format = Objects.requireNonNullElse(options.getTableFormat(), "iceberg");
    if ("parquet".equals(format)) {
      if (options.getWarehouse() != null || options.getCatalogUri() != null) {
        throw new UserError("--warehouse and --catalogUri are for --tableFormat=iceberg");
      }
    } else if (!"iceberg".equals(format)) {
      throw new UserError("--tableFormat must be iceberg or parquet, got '" + format + "'");
    }
  }

  /** Whether the tables are Iceberg's: unless --tableFormat=parquet (docs/iceberg.md); {@link #check}ed. */
  static boolean icebergTables(IcebergOptions options) {
    return !"parquet".equals(options.getTableFormat());
  }
}
