package io.pinpipe.pipelines.options;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * The streaming job's bundle size on FlinkRunner. Beam's Flink operators do not pass a watermark
 * on while a bundle is open. A bundle closed by its size passes the watermark on at once; one
 * closed by its time limit schedules that for later, and the callback finds the next bundle
 * already open when records keep coming, so the watermark waits for a gap in the input. Live at
 * 1,000 events/s, with Beam's streaming default of 1,000 elements a window's pin file was written
 * 7.7-9.0 s after the window's end, with 100 elements 6.0-6.1 s, at no measurable cost to the
 * catch-up rate (BENCHMARKS.md, optimisation 10). Only called with FlinkRunner: the Spark cluster
 * jar does not hold Flink's classes.
 */
public final class FlinkStreamingDefaults {
  /** Elements per bundle unless {@code --maxBundleSize} is given. */
  public static final long MAX_BUNDLE_SIZE = 100;

  private FlinkStreamingDefaults() {}

  public static void applyUnlessSet(PipelineOptions options, String[] args) {
    if (!DirectRunnerDefaults.mentions(args, "maxBundleSize")) {
      options.as(FlinkPipelineOptions.class).setMaxBundleSize(MAX_BUNDLE_SIZE);
    }
  }
}
