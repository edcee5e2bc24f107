package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertEquals;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class FlinkStreamingDefaultsTest {

  private static FlinkPipelineOptions applied(String... args) {
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(args).create().as(FlinkPipelineOptions.class);
    FlinkStreamingDefaults.applyUnlessSet(options, args);
    return options;
  }

  @Test
  public void bundlesCloseAfterAHundredElementsUnlessToldOtherwise() {
    assertEquals(100L, (long) applied("--runner=FlinkRunner", "--streaming=true").getMaxBundleSize());
  }

  @Test
  public void aBundleSizeAskedForIsKept() {
    assertEquals(
        1000L,
        (long) applied("--runner=FlinkRunner", "--streaming=true", "--maxBundleSize=1000").getMaxBundleSize());
  }

  @Test
  public void checkpointsCloseTheBundlesAndPassTheWatermarkOnUnlessToldOtherwise() {
    assertEquals(true, applied("--runner=FlinkRunner", "--streaming=true").getFinishBundleBeforeCheckpointing());
    assertEquals(
        false,
        applied("--runner=FlinkRunner", "--streaming=true", "--finishBundleBeforeCheckpointing=false")
            .getFinishBundleBeforeCheckpointing());
  }
}
