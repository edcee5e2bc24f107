package io.pinpipe.pipelines.streaming;

import io.pinpipe.pipelines.iceberg.IcebergOptions;
import io.pinpipe.pipelines.metrics.PrometheusOptions;
import io.pinpipe.pipelines.options.FlinkCheckpointOptions;
import io.pinpipe.pipelines.options.KafkaOptions;
import io.pinpipe.pipelines.options.OutputOptions;
import io.pinpipe.pipelines.options.S3AccessOptions;
import io.pinpipe.pipelines.options.TopicOptions;
import io.pinpipe.pipelines.progress.ProgressOptions;
import io.pinpipe.transforms.onepass.PackOptions;
import io.pinpipe.transforms.parse.ParseOptions;
import io.pinpipe.transforms.queries.QueryOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * All of streaming's options: the source (Kafka or Kinesis), windowing, assembly, output, the query
 * semantics shared with batch, and FlinkRunner's retained checkpoints. AWS access is batch's {@link
 * S3AccessOptions} (Beam's aws2 options: one region and endpoint for Kinesis and S3, plus
 * path-style addressing; credentials from the AWS SDK's default chain, never options), so {@code s3://} outputs and warehouses are reached as batch
 * reaches them.
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
      "With --tableFormat=iceberg: the least time between two commits of the tables, in seconds of processing"
          + " time: a window is committed when it is written, or, if the last commit was more recent, this long"
          + " after it, with the windows written since (docs/iceberg.md, \"Streaming\")")
  @Default.Long(10)
  long getCommitSeconds();

  void setCommitSeconds(long value);

  @Description("Stop reading after this many seconds (0: run until stopped)")
  @Default.Long(0)
  long getMaxReadSeconds();

  void setMaxReadSeconds(long value);
}
