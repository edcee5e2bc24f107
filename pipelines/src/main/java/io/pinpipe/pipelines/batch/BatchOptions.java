package io.pinpipe.pipelines.batch;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.iceberg.IcebergOptions;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.metrics.PrometheusOptions;
import io.pinpipe.pipelines.options.ArchiveInputOptions;
import io.pinpipe.pipelines.options.CleanAndQueryOptions;
import io.pinpipe.pipelines.options.DirectRunnerDefaults;
import io.pinpipe.pipelines.options.GivenFlags;
import io.pinpipe.pipelines.options.KafkaOptions;
import io.pinpipe.pipelines.options.OutputOptions;
import io.pinpipe.pipelines.options.S3AccessOptions;
import io.pinpipe.pipelines.options.SparkShuffleDefaults;
import io.pinpipe.pipelines.progress.ProgressOptions;
import io.pinpipe.transforms.onepass.PackOptions;
import io.pinpipe.transforms.parse.ParseOptions;
import io.pinpipe.transforms.queries.QueryOptions;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Objects;

/**
 * All of batch's options, composed from the small interfaces each part of the job reads: input
 * (archive or Kafka), output, S3 access, the query semantics, progress and metrics, the tables.
 * Beside the job rather than in {@code options/}: it is batch's alone, as {@code StreamingOptions}
 * and {@code ArchiveOptions} are their jobs'.
 */
public interface BatchOptions
    extends ArchiveInputOptions,
        KafkaOptions,
        OutputOptions,
        S3AccessOptions,
        QueryOptions,
        ParseOptions,
        PackOptions,
        ProgressOptions,
        PrometheusOptions,
        IcebergOptions {

  /**
   * Batch's one validate step, run by {@link CommandLine#parseOptions} (after the progress and
   * metrics checks every job gets) before the job touches anything: every check that needs only
   * the options (the small interfaces' own, batch's across them, and the query settings and pack
   * limits parsed once), then the runners' defaults where the command line did not choose. Checks
   * that need the input or the output (the archive's days, Kafka's offsets, who owns the output)
   * are the job's, made once it reaches them.
   */
  static void validate(BatchOptions options, GivenFlags given) {
    CleanAndQueryOptions.checkRecordsAndTables(options);
    boolean iceberg = IcebergOptions.icebergTables(options);
    if (iceberg && options.getDate() != null) {
      try {
        // The table's date column: a real day, not only the YYYY-MM-DD shape the archive asks for.
        LocalDate.parse(options.getDate());
      } catch (DateTimeParseException e) {
        throw new UserError("--date must be a day YYYY-MM-DD, got '" + options.getDate() + "'");
      }
    }
    boolean archive = options.getInput() != null;
    boolean kafka = options.getBootstrapServers() != null;
    if (archive == kafka) {
      throw new UserError(
          "give either --input (the raw archive) or --bootstrapServers (read Kafka directly), "
              + (archive ? "not both" : "one of them is required"));
    }
    if (archive && options.getStartFrom() != null) {
      throw new UserError("--startFrom applies to Kafka input (--bootstrapServers), not to --input");
    }
    if (kafka) {
      if (options.getDate() != null) {
        throw new UserError("--date selects an archive day; with Kafka input use --startFrom=<instant>");
      }
      CommandLine.userInput(() -> startPosition(options));
      String start = Objects.requireNonNullElse(options.getStartFrom(), "earliest");
      if (iceberg && !"earliest".equals(start)) {
        // A run from Kafka replaces each arrival day it read with what it read of it
        // (docs/iceberg.md#runs-from-kafka): only right if it read every record of those days.
        throw new UserError(
            "--startFrom=" + start + " with Iceberg tables: a run from Kafka replaces each day it read, so it reads"
                + " the whole log (--startFrom=earliest, the default); give --tableFormat=parquet to read part of it");
      }
    }
    CleanAndQueryOptions.querySettings(options);
    CleanAndQueryOptions.packLimits(options);
    DirectRunnerDefaults.applyUnlessSet(options, given);
    SparkShuffleDefaults.applyUnlessSet(options, given);
    S3AccessOptions.apply(options, given);
  }

  /** Where a run from Kafka starts reading: --startFrom, earliest unless given. */
  static StartPosition startPosition(BatchOptions options) {
    return StartPosition.parse(Objects.requireNonNullElse(options.getStartFrom(), "earliest"), false);
  }
}
