package io.pinpipe.pipelines.iceberg;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How batch writes its cleaned tables: plain Parquet folders, or Iceberg tables (docs/iceberg.md). */
public interface IcebergOptions extends PipelineOptions {

  @Description(
      "Format of the cleaned tables: parquet (a folder of files per table in the run folder) or iceberg"
          + " (tables batch.pin, batch.geo, batch.user in a Hadoop catalog, partitioned by ingestion_date;"
          + " needs --date)")
  @Default.String("parquet")
  String getTableFormat();

  void setTableFormat(String value);

  @Description(
      "With --tableFormat=iceberg: the Hadoop catalog's warehouse, a local folder; default <output>/warehouse")
  String getWarehouse();

  void setWarehouse(String value);
}
