package io.pinpipe.pipelines.archive;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.metrics.PrometheusOptions;
import io.pinpipe.pipelines.options.AdoptOutputOptions;
import io.pinpipe.pipelines.options.DirectRunnerDefaults;
import io.pinpipe.pipelines.options.GivenFlags;
import io.pinpipe.pipelines.options.KafkaOptions;
import io.pinpipe.pipelines.options.S3AccessOptions;
import io.pinpipe.pipelines.options.TopicOptions;
import io.pinpipe.pipelines.progress.ProgressOptions;
import io.pinpipe.transforms.parse.ParseOptions;
import java.util.Objects;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/**
 * Options of the archive job: which cluster and topics, where the raw lake is (a directory or
 * s3://, see {@link S3AccessOptions}), how files are cut. Checked and completed in one step,
 * {@link #validate}.
 */
public interface ArchiveOptions
    extends KafkaOptions,
        TopicOptions,
        S3AccessOptions,
        ParseOptions,
        AdoptOutputOptions,
        ProgressOptions,
        PrometheusOptions {
  /**
   * The consumer group the archive commits its next offsets to (--groupId), for monitoring its lag:
   * what is archived is what the archive's own range records say, not the group.
   */
  String DEFAULT_GROUP_ID = "pinterest-archive";

  @Description("Root of the raw archive: a local directory or s3://bucket/prefix (any Beam filesystem URL)")
  @Validation.Required
  String getOutput();

  void setOutput(String value);


  @Description("A new file every N offsets of a partition (per run: changing it never rewrites what is archived)")
  @Default.Long(100_000)
  long getMaxRecordsPerFile();

  void setMaxRecordsPerFile(long value);


  @Description(
      "Add a dt=<YYYY-MM-DD> folder (UTC day of the Kafka record timestamp) above partition=, so"
          + " `batch --date` can read one ingestion day")
  @Default.Boolean(true)
  boolean getDailyFolders();

  void setDailyFolders(boolean value);

  @Description(
      "Go on when Kafka's retention removed offsets before they were archived: record the gap in the"
          + " archive (ranges/) and exit 0. Without it the run archives what it can, reports the gap"
          + " and exits 3")
  @Default.Boolean(false)
  boolean getAllowGaps();

  void setAllowGaps(boolean value);

  @Description("Keep archiving: start a new bounded run every --intervalSeconds until stopped")
  @Default.Boolean(false)
  boolean getContinuous();

  void setContinuous(boolean value);

  @Description("In --continuous mode, seconds to wait after one run before planning the next")
  @Default.Integer(60)
  int getIntervalSeconds();

  void setIntervalSeconds(int value);

  /**
   * The archive's one validate step, run by {@link CommandLine#parseOptions} (after the progress
   * and metrics checks every job gets) before the job touches anything: every check that needs
   * only the options (--startFrom among them), then the job's defaults and the runner's where the
   * command line did not choose. Who owns the output and what Kafka holds are the job's to find out.
   */
  static void validate(ArchiveOptions options, GivenFlags given) {
    if (options.getMaxRecordsPerFile() < 1 || options.getMaxRecordBytes() < 1 || options.getIntervalSeconds() < 1) {
      throw new UserError("--maxRecordsPerFile, --maxRecordBytes and --intervalSeconds must be at least 1");
    }
    CommandLine.userInput(() -> startPosition(options));
    if (options.getGroupId() == null) {
      options.setGroupId(DEFAULT_GROUP_ID);
    }
    DirectRunnerDefaults.applyUnlessSet(options, given);
    S3AccessOptions.apply(options, given);
  }

  /** Where a run starts reading a partition the archive does not hold yet: --startFrom, earliest unless given. */
  static StartPosition startPosition(ArchiveOptions options) {
    return StartPosition.parse(Objects.requireNonNullElse(options.getStartFrom(), "earliest"), true);
  }
}
