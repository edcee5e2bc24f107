package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertEquals;

import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.junit.Test;

public class FlinkStreamingDefaultsTest {

  private static FlinkPipelineOptions applied(String... args) {
    FlinkPipelineOptions options =
        PipelineOptionsFactory.fromArgs(args).create().as(FlinkPipelineOptions.class);
    FlinkStreamingDefaults.applyUnlessSet(options, GivenFlags.in(args));
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

  /** What {@code flink run} sets up before it calls the job's main: its environment, attached or not (-d). */
  private static FlinkPipelineOptions underFlinkRun(boolean attached, String... args) {
    Configuration cli = new Configuration();
    cli.set(DeploymentOptions.ATTACHED, attached);
    StreamContextEnvironment.setAsContext(
        new DefaultExecutorServiceLoader(), cli, FlinkStreamingDefaultsTest.class.getClassLoader(), false, false);
    try {
      return applied(args);
    } finally {
      StreamContextEnvironment.unsetAsContext();
    }
  }

  @Test
  public void flinkRunDetachedSubmitsDetachedAndOnlyIt() {
    assertEquals(false, underFlinkRun(false, "--runner=FlinkRunner", "--streaming=true").getAttachedMode());
    assertEquals(true, underFlinkRun(true, "--runner=FlinkRunner", "--streaming=true").getAttachedMode());
    // java -jar: no CLI environment, on the embedded cluster or with --flinkMaster.
    assertEquals(true, applied("--runner=FlinkRunner", "--streaming=true").getAttachedMode());
    assertEquals(true, applied("--runner=FlinkRunner", "--streaming=true", "--flinkMaster=127.0.0.1:8081").getAttachedMode());
    // Said on the command line: kept.
    assertEquals(true, underFlinkRun(false, "--runner=FlinkRunner", "--streaming=true", "--attachedMode=true").getAttachedMode());
  }
}
