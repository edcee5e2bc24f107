package io.pinpipe.pipelines.options;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The streaming job's bundles on FlinkRunner. Beam's Flink operators ({@code DoFnOperator} in 2.62)
 * do not pass a watermark on while a bundle is open, and look at it again only when a later
 * watermark arrives between bundles, when a bundle closes by its size, or in a callback after one
 * closes by its time limit. Two defaults follow:
 *
 * <ul>
 *   <li>Bundles close after 100 elements ({@code --maxBundleSize}). A bundle closed by its time limit
 *       schedules the watermark for later, and the callback finds the next bundle already open when
 *       records keep coming, so the watermark waits for a gap in the input. Live at 1,000 events/s,
 *       with Beam's streaming default of 1,000 elements a window's pin file was written 7.7-9.0 s
 *       after the window's end, with 100 elements 6.0-6.1 s, at no measurable cost to the catch-up
 *       rate (BENCHMARKS.md#10-streaming-bundles-closed-by-size-so-watermarks-keep-up-with-a-steady-stream).
 *   <li>Each checkpoint closes the open bundles before its barrier and passes the watermark on
 *       ({@code --finishBundleBeforeCheckpointing}). Without it a checkpoint closes the bundles
 *       without looking at the watermark, and restarts the bundles' time limit: with checkpoints
 *       at least as often as that limit (1,000 ms), no bundle ever closed by time, and a step
 *       receiving fewer than 100 records between two checkpoints passed a watermark on only when
 *       the source's next one (every 200 ms) came before its next record. With the input, the
 *       watermark ticks and the checkpoints all periodic, that stayed so: the crash loop's restored
 *       runs (docs/streaming.md#watermarks-on-flinkrunner) held the watermark for good and wrote nothing.
 * </ul>
 *
 * <p>Under {@code flink run -d} (detached) the job is submitted detached ({@code --attachedMode=false}):
 * Beam's attached submission asks the cluster for the job's result, which a detached submission
 * refuses ("Job was submitted in detached mode"), so the CLI printed an error and exited 1 while
 * the job ran on. {@link #detached} then lets the job return once it is submitted.
 *
 * Only called with FlinkRunner: the Spark cluster jar does not hold Flink's classes.
 */
public final class FlinkStreamingDefaults {
  /** Elements per bundle unless {@code --maxBundleSize} is given. */
  public static final long MAX_BUNDLE_SIZE = 100;

  private FlinkStreamingDefaults() {}

  public static void applyUnlessSet(PipelineOptions options, GivenFlags given) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!given.gave("maxBundleSize")) {
      flink.setMaxBundleSize(MAX_BUNDLE_SIZE);
    }
    if (!given.gave("finishBundleBeforeCheckpointing")) {
      flink.setFinishBundleBeforeCheckpointing(true);
    }
    if (!given.gave("attachedMode") && underDetachedFlinkRun(flink)) {
      flink.setAttachedMode(false);
    }
  }

  /** Submitted detached: the job returns once the cluster has it, and runs there until cancelled. */
  public static boolean detached(PipelineOptions options) {
    return !options.as(FlinkPipelineOptions.class).getAttachedMode();
  }

  /**
   * True under {@code flink run -d}: the CLI's context environment, configured detached. Only with
   * the default master ({@code [auto]}), the one that takes the CLI's environment.
   */
  static boolean underDetachedFlinkRun(FlinkPipelineOptions flink) {
    if (!FlinkPipelineOptions.AUTO.equals(flink.getFlinkMaster())) {
      return false;
    }
    StreamExecutionEnvironment environment = StreamExecutionEnvironment.getExecutionEnvironment();
    return environment instanceof StreamContextEnvironment
        && !environment.getConfiguration().get(DeploymentOptions.ATTACHED);
  }
}
