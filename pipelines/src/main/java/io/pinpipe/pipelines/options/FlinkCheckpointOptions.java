package io.pinpipe.pipelines.options;

import io.pinpipe.pipelines.UserError;
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

  /**
   * Checks the two options before the job touches anything: they are FlinkRunner's, and a restore
   * needs the directory to restore from. What the directory holds is looked at later ({@link
   * FlinkCheckpoints#apply}).
   */
  static void check(FlinkCheckpointOptions options) {
    boolean flink = options.getRunner().getSimpleName().equals("FlinkRunner");
    if (!flink && (options.getFlinkCheckpointDir() != null || options.getRestoreFromLatestCheckpoint())) {
      throw new UserError("--flinkCheckpointDir and --restoreFromLatestCheckpoint apply to --runner=FlinkRunner");
    }
    if (flink && options.getFlinkCheckpointDir() == null && options.getRestoreFromLatestCheckpoint()) {
      throw new UserError("--restoreFromLatestCheckpoint needs --flinkCheckpointDir, the directory the job keeps its checkpoints in");
    }
  }
}
