package io.pinpipe.pipelines.streaming;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.iceberg.IcebergOptions;
import io.pinpipe.pipelines.metrics.PrometheusOptions;
import io.pinpipe.pipelines.options.CleanAndQueryOptions;
import io.pinpipe.pipelines.options.DirectRunnerDefaults;
import io.pinpipe.pipelines.options.FlinkCheckpointOptions;
import io.pinpipe.pipelines.options.FlinkCheckpoints;
import io.pinpipe.pipelines.options.FlinkStreamingDefaults;
import io.pinpipe.pipelines.options.GivenFlags;
import io.pinpipe.pipelines.options.KafkaOptions;
import io.pinpipe.pipelines.options.OutputOptions;
import io.pinpipe.pipelines.options.S3AccessOptions;
import io.pinpipe.pipelines.options.TopicOptions;
import io.pinpipe.pipelines.progress.ProgressOptions;
import io.pinpipe.transforms.onepass.PackOptions;
import io.pinpipe.transforms.parse.ParseOptions;
import io.pinpipe.transforms.queries.QueryOptions;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * All of streaming's options: the source (Kafka or Kinesis), windowing, assembly, output, the query
 * semantics shared with batch, and FlinkRunner's retained checkpoints. AWS access is batch's {@link
 * S3AccessOptions} (Beam's aws2 options: one region and endpoint for Kinesis and S3, plus
 * path-style addressing; credentials from the AWS SDK's default chain, never options), so {@code s3://} outputs and warehouses are reached as batch
 * reaches them. Checked and completed in one step, {@link #validate}.
 */
public interface StreamingOptions
    extends TopicOptions,
        KafkaOptions,
        S3AccessOptions,
        OutputOptions,
        QueryOptions,
        PackOptions,
        ParseOptions,
        WindowOptions,
        ProgressOptions,
        PrometheusOptions,
        FlinkCheckpointOptions,
        IcebergOptions {
  /** The Kafka consumer group a restarted job resumes from (--groupId). */
  String DEFAULT_GROUP_ID = "pinterest-streaming";


  @Description("Where events come from: kafka (--bootstrapServers) or kinesis (--awsRegion, --endpoint)")
  String getSource();

  void setSource(String value);


  @Description(
      "Stop after this many records from each topic or stream (0: run until stopped). With a bound"
          + " the job ends by itself and every window fires: for replays, tests and benchmarks")
  @Default.Long(0)
  long getMaxRecordsPerStream();

  void setMaxRecordsPerStream(long value);

  @Description(
      "With --tableFormat=iceberg: commit the tables every this many seconds of processing time, each commit"
          + " holding the windows written since (docs/iceberg.md, \"Streaming\")")
  @Default.Long(10)
  long getCommitSeconds();

  void setCommitSeconds(long value);

  @Description("Stop reading after this many seconds (0: run until stopped)")
  @Default.Long(0)
  long getMaxReadSeconds();

  void setMaxReadSeconds(long value);

  /** With a bound (--maxRecordsPerStream or --maxReadSeconds) the job ends by itself; else it runs until stopped. */
  static boolean endsByItself(StreamingOptions options) {
    return options.getMaxRecordsPerStream() > 0 || options.getMaxReadSeconds() > 0;
  }

  /**
   * Streaming's one validate step, run by {@link CommandLine#parseOptions} (after the progress and
   * metrics checks every job gets) before the job touches anything: every check that needs only
   * the options (the small interfaces' own, streaming's across them, and the query settings, pack
   * limits and windowing parsed once), then the job's defaults and the runners' where the command
   * line did not choose. Checks that need the outside world (the topics exist, a Kinesis endpoint
   * answers, the checkpoints under --flinkCheckpointDir, who owns the output) are the job's, made
   * once it reaches them.
   */
  static void validate(StreamingOptions options, GivenFlags given) {
    FlinkCheckpointOptions.check(options);
    CleanAndQueryOptions.checkRecordsAndTables(options);
    if (options.getAssemblyWaitSeconds() < 0) {
      throw new UserError("--assemblyWaitSeconds must not be negative");
    }
    if (options.getWindowSeconds() == 0 && !endsByItself(options)) {
      throw new UserError(
          "--windowSeconds=0 (one global window) writes results only when the input ends: give"
              + " --maxRecordsPerStream or --maxReadSeconds too");
    }
    if (IcebergOptions.icebergTables(options)) {
      checkIcebergTables(options);
    }
    String source = options.getSource();
    if (source == null) {
      throw new UserError("--source is required: kafka or kinesis");
    }
    if (!source.equals("kafka") && !source.equals("kinesis")) {
      throw new UserError("--source must be kafka or kinesis, got '" + source + "'");
    }
    if (source.equals("kinesis") && options.getBootstrapServers() != null) {
      throw new UserError("--bootstrapServers applies to --source=kafka, not kinesis");
    }
    CleanAndQueryOptions.querySettings(options);
    CleanAndQueryOptions.packLimits(options);
    CommandLine.userInput(() -> StreamWindowing.fromOptions(options));

    if (options.getGroupId() == null) {
      options.setGroupId(DEFAULT_GROUP_ID);
    }
    DirectRunnerDefaults.applyUnlessSet(options, given);
    if (options.getRunner().getSimpleName().equals("FlinkRunner")) {
      FlinkStreamingDefaults.applyUnlessSet(options, given);
      FlinkCheckpoints.intervalUnlessSet(options, given);
    }
    // DirectRunner's run() would block until an unbounded job ends; the job must get the handle
    // back to cancel it on Ctrl-C.
    options.as(DirectOptions.class).setBlockOnRun(false);
    // Flink and Spark pick their streaming mode from this, even for a bounded replay: windows,
    // triggers and the assembly's timers then behave as they do on a live stream.
    options.as(org.apache.beam.sdk.options.StreamingOptions.class).setStreaming(true);
    S3AccessOptions.apply(options, given);
  }

  /** What Iceberg tables need of the other options (docs/iceberg.md#streaming). */
  private static void checkIcebergTables(StreamingOptions options) {
    String startFrom = options.getStartFrom();
    if (startFrom != null && !"earliest".equals(startFrom)) {
      if ("kinesis".equals(options.getSource())) {
        // Positions are ordinals counted from each shard's first record in the stream: a read that
        // starts anywhere else could not number them (docs/iceberg.md#streaming-from-kinesis).
        throw new UserError(
            "--startFrom=" + startFrom + " with --source=kinesis and Iceberg tables: the tables number each shard's records"
                + " from the stream's trim horizon, so the job always reads from there (docs/iceberg.md); leave out"
                + " --startFrom (earliest) or give --tableFormat=parquet");
      }
      if ("kafka".equals(options.getSource()) && !"latest".equals(startFrom)) {
        throw new UserError(
            "--startFrom=" + startFrom + " with Iceberg tables: it says where fresh tables start, earliest (the default)"
                + " or latest (the partitions' end offsets when the job starts); a restart resumes from the tables'"
                + " positions; give --tableFormat=parquet to start from the group's offsets or an instant");
      }
    }
    if (options.getRestoreFromLatestCheckpoint()) {
      // Kafka: Beam 2.62's restored read adds a second reader from the group's offsets
      // (docs/streaming.md#what-a-restart-reads-again), and both copies above the tables' positions would be written.
      // Kinesis: not tried. Either way a start without it resumes exactly once from the tables.
      throw new UserError(
          "--restoreFromLatestCheckpoint does not apply with Iceberg tables, the default (from Kafka it would write records"
              + " twice: Beam 2.62's restored Kafka read, docs/streaming.md); start without it: the job resumes exactly"
              + " once from the tables' positions (or give --tableFormat=parquet for plain files, restored at least once)");
    }
    if (options.getCommitSeconds() < 1) {
      throw new UserError("--commitSeconds must be at least 1");
    }
  }
}
