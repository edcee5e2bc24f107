package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class RunnerDefaultsTest {

  private static PipelineOptions applied(String... args) {
    PipelineOptions options = PipelineOptionsFactory.fromArgs(args).create();
    RunnerDefaults.applyUnlessSet(options, args);
    return options;
  }

  @Test
  public void directRunnerChecksAreOffUnlessAskedFor() {
    DirectOptions defaults = applied("--runner=DirectRunner").as(DirectOptions.class);
    assertFalse(defaults.isEnforceImmutability());
    assertFalse(defaults.isEnforceEncodability());

    DirectOptions asked =
        applied("--runner=DirectRunner", "--enforceImmutability=true", "--enforceEncodability=true")
            .as(DirectOptions.class);
    assertTrue(asked.isEnforceImmutability());
    assertTrue(asked.isEnforceEncodability());
  }

  @Test
  public void flinkRunnerCopiesFastUnlessToldOtherwise() {
    assertTrue(applied("--runner=FlinkRunner").as(FlinkPipelineOptions.class).getFasterCopy());
    assertFalse(
        applied("--runner=FlinkRunner", "--fasterCopy=false").as(FlinkPipelineOptions.class).getFasterCopy());
  }

  @Test
  public void otherRunnersKeepFlinksDefault() {
    assertFalse(applied("--runner=DirectRunner").as(FlinkPipelineOptions.class).getFasterCopy());
  }
}
