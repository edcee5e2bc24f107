package io.pinpipe.pipelines.options;

import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * DirectRunner checks, on every element, that DoFns do not mutate their inputs and that every
 * element survives its coder. Those checks are for tests (TestPipeline keeps them on); on a real run
 * of this job they cost about a third of the time, so they are off unless asked for. Its {@code
 * run()} returns at once (as Spark's does), so that the job can print progress while the pipeline
 * runs; the job then waits for it, which fails as {@code run()} would have.
 */
public final class DirectRunnerDefaults {
  private DirectRunnerDefaults() {}

  public static void applyUnlessSet(PipelineOptions options, String[] args) {
    DirectOptions direct = options.as(DirectOptions.class);
    if (!mentions(args, "enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!mentions(args, "enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!mentions(args, "blockOnRun")) {
      direct.setBlockOnRun(false);
    }
  }

  /** Whether the command line gives {@code --option} (with or without a value). */
  static boolean mentions(String[] args, String option) {
    return Arrays.stream(args).anyMatch(a -> a.startsWith("--" + option));
  }
}
