package io.pinpipe.pipelines.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.pinpipe.services.ListeningSockets;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.ProgressCapture;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.progress.CounterTaps;
import io.pinpipe.pipelines.progress.ProgressLines;
import io.pinpipe.transforms.quality.JobCounters;
import java.nio.file.Path;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The batch job on SparkRunner (local[2]) and FlinkRunner (an embedded cluster, parallelism 2)
 * writes exactly what it writes on DirectRunner for the same input: the nine result files, dead
 * letters and counts, and Parquet tables that round-trip to the same rows (the README's "Tests": Hadoop
 * comes from our own dependency, not from the runner). The cluster runs are {@code SparkClusterIT}.
 * While each runs, the local cluster's servers must listen on loopback only (LoopbackDefaults).
 * Each run prints progress lines every second (--progressSeconds=1, each runner's way: docs/design.md#metrics);
 * the last one must show the counts of its summary.json.
 */
public class BatchOnEveryRunnerTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path archive;
  private static Path direct;

  @BeforeClass
  public static void runOnDirectRunner() throws Exception {
    archive = RunnerFixture.writeArchive(TMP.newFolder("archive").toPath());
    direct = TMP.getRoot().toPath().resolve("direct");
    ProgressCapture.Run run =
        ProgressCapture.run("batch: ", () -> BatchPipeline.run("--tableFormat=parquet", "--input=" + archive, "--output=" + direct, "--progressSeconds=1"));
    assertEquals(CommandLine.OK, run.status());
    ProgressCapture.assertLineEqualsSummary(run.last(), direct.resolve("summary.json"));
  }

  @Test
  public void sparkRunnerWritesWhatDirectRunnerWritesWithServersOnLoopback() throws Exception {
    Path spark = TMP.getRoot().toPath().resolve("spark");
    try (ListeningSockets.Watch sockets = ListeningSockets.watch()) {
      ProgressCapture.Run run = ProgressCapture.run("batch: ", () -> BatchPipeline.run(
          "--tableFormat=parquet", "--input=" + archive, "--output=" + spark, "--runner=SparkRunner", "--sparkMaster=local[2]", "--progressSeconds=1"));
      assertEquals(CommandLine.OK, run.status());
      assertServersOnLoopbackOnly("SparkRunner local[2]", sockets);
      ProgressCapture.assertLineEqualsSummary(run.last(), spark.resolve("summary.json"));
    }
    RunnerFixture.assertSameOutput("SparkRunner", direct, spark);
  }

  @Test
  public void flinkRunnerWritesWhatDirectRunnerWritesWithServersOnLoopback() throws Exception {
    Path flink = TMP.getRoot().toPath().resolve("flink");
    try (ListeningSockets.Watch sockets = ListeningSockets.watch();
        CounterTaps.Tap tap = CounterTaps.open(JobCounters.NAMESPACE)) {
      ProgressCapture.Run run = ProgressCapture.run("batch: ", () -> BatchPipeline.run(
          "--tableFormat=parquet", "--input=" + archive, "--output=" + flink, "--runner=FlinkRunner", "--parallelism=2", "--progressSeconds=1"));
      assertEquals(CommandLine.OK, run.status());
      assertServersOnLoopbackOnly("FlinkRunner's embedded cluster", sockets);
      // From the embedded cluster's reporter: FlinkRunner's run() returns only when the job ended.
      ProgressCapture.assertLineEqualsSummary(run.last(), flink.resolve("summary.json"));
      // What that reporter handed over, read here too: the job's counters, as Flink had them.
      ProgressCapture.assertLineEqualsSummary(ProgressLines.batch(tap.totals(), 0), flink.resolve("summary.json"));
    }
    RunnerFixture.assertSameOutput("FlinkRunner", direct, flink);
  }

  /**
   * The local cluster's servers (Spark's driver RPC and block manager, Flink's blob server, ...)
   * were seen while the job ran, so the check had something to check, and all were on loopback.
   */
  static void assertServersOnLoopbackOnly(String run, ListeningSockets.Watch sockets) {
    if (ListeningSockets.supported()) {
      assertFalse(run + ": no listening socket was seen while it ran", sockets.seen().isEmpty());
    }
    sockets.assertLoopbackOnly(run);
  }
}
