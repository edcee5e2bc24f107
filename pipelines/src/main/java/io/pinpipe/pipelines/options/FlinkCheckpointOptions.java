package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Checkpoints on FlinkRunner that outlive the job, and restoring from the newest of them. */
public interface FlinkCheckpointOptions extends PipelineOptions {
  @Description(
      "FlinkRunner: keep the job's checkpoints under this local directory (Flink's filesystem state"
          + " backend, <dir>/<job id>/chk-<n>), retained when the job is cancelled or killed; a"
          + " checkpoint every --checkpointingInterval, 60000 ms unless given")
  String getFlinkCheckpointDir();

  void setFlinkCheckpointDir(String value);

  @Description(
      "FlinkRunner: start from the newest retained checkpoint under --flinkCheckpointDir (its read"
          + " positions and open windows) instead of the group's committed offsets")
  @Default.Boolean(false)
  boolean getRestoreFromLatestCheckpoint();

  void setRestoreFromLatestCheckpoint(boolean value);
}
