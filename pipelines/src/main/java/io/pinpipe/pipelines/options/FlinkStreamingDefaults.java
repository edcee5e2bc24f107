package io.pinpipe.pipelines.options;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

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
 *       rate (BENCHMARKS.md, optimisation 10).
 *   <li>Each checkpoint closes the open bundles before its barrier and passes the watermark on
 *       ({@code --finishBundleBeforeCheckpointing}). Without it a checkpoint closes the bundles
 *       without looking at the watermark, and restarts the bundles' time limit: with checkpoints
 *       at least as often as that limit (1,000 ms), no bundle ever closed by time, and a step
 *       receiving fewer than 100 records between two checkpoints passed a watermark on only when
 *       the source's next one (every 200 ms) came before its next record. With the input, the
 *       watermark ticks and the checkpoints all periodic, that stayed so: the crash loop's restored
 *       runs (docs/streaming.md) held the watermark for good and wrote nothing.
 * </ul>
 *
 * Only called with FlinkRunner: the Spark cluster jar does not hold Flink's classes.
 */
public final class FlinkStreamingDefaults {
  /** Elements per bundle unless {@code --maxBundleSize} is given. */
  public static final long MAX_BUNDLE_SIZE = 100;

  private FlinkStreamingDefaults() {}

  public static void applyUnlessSet(PipelineOptions options, String[] args) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (!DirectRunnerDefaults.mentions(args, "maxBundleSize")) {
      flink.setMaxBundleSize(MAX_BUNDLE_SIZE);
    }
    if (!DirectRunnerDefaults.mentions(args, "finishBundleBeforeCheckpointing")) {
      flink.setFinishBundleBeforeCheckpointing(true);
    }
  }
}
