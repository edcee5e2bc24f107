package io.pinpipe.pipelines.options;

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

  public static void applyUnlessSet(PipelineOptions options, GivenFlags given) {
    DirectOptions direct = options.as(DirectOptions.class);
    if (!given.gave("enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!given.gave("enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (!given.gave("blockOnRun")) {
      direct.setBlockOnRun(false);
    }
  }
}
