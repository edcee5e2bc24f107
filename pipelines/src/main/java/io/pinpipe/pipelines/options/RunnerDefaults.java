package io.pinpipe.pipelines.options;

import java.util.Arrays;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Runner settings for throughput that the runners do not default to; each applies unless the
 * command line sets it. BENCHMARKS.md has the before/after figures.
 *
 * <ul>
 *   <li>DirectRunner checks, on every element, that DoFns do not mutate their inputs and that every
 *       element survives its coder. Those checks are for tests (TestPipeline keeps them on); on a
 *       real run of these jobs they cost about a third of the time, so they are off.
 *   <li>FlinkRunner deep-copies every element between chained operators (an encode and a decode)
 *       unless {@code --fasterCopy}; our DoFns never mutate their inputs (the DirectRunner tests
 *       enforce it), so the copies are pure cost.
 * </ul>
 */
public final class RunnerDefaults {
  private RunnerDefaults() {}

  public static void applyUnlessSet(PipelineOptions options, String[] args) {
    DirectOptions direct = options.as(DirectOptions.class);
    if (!mentions(args, "enforceImmutability")) {
      direct.setEnforceImmutability(false);
    }
    if (!mentions(args, "enforceEncodability")) {
      direct.setEnforceEncodability(false);
    }
    if (options.getRunner().getSimpleName().equals("FlinkRunner") && !mentions(args, "fasterCopy")) {
      FlinkDefaults.fasterCopy(options);
    }
  }

  /** Loaded only on FlinkRunner: the cluster jar for spark-submit has no Flink classes. */
  private static final class FlinkDefaults {
    static void fasterCopy(PipelineOptions options) {
      options.as(FlinkPipelineOptions.class).setFasterCopy(true);
    }
  }

  private static boolean mentions(String[] args, String option) {
    return Arrays.stream(args).anyMatch(a -> a.startsWith("--" + option));
  }
}
