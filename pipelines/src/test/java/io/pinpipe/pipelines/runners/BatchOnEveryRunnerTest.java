package io.pinpipe.pipelines.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.pinpipe.emulator.services.ListeningSockets;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.batch.BatchPipeline;
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
 */
public class BatchOnEveryRunnerTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path archive;
  private static Path direct;

  @BeforeClass
  public static void runOnDirectRunner() throws Exception {
    archive = RunnerFixture.writeArchive(TMP.newFolder("archive").toPath());
    direct = TMP.getRoot().toPath().resolve("direct");
    assertEquals(CommandLine.OK, BatchPipeline.run("--input=" + archive, "--output=" + direct));
  }

  @Test
  public void testSparkRunnerWritesWhatDirectRunnerWrites() throws Exception {
    Path spark = TMP.getRoot().toPath().resolve("spark");
    try (ListeningSockets.Watch sockets = ListeningSockets.watch()) {
      assertEquals(CommandLine.OK, BatchPipeline.run(
          "--input=" + archive, "--output=" + spark, "--runner=SparkRunner", "--sparkMaster=local[2]"));
      assertServersOnLoopbackOnly("SparkRunner local[2]", sockets);
    }
    RunnerFixture.assertSameOutput("SparkRunner", direct, spark);
  }

  @Test
  public void testFlinkRunnerWritesWhatDirectRunnerWrites() throws Exception {
    Path flink = TMP.getRoot().toPath().resolve("flink");
    try (ListeningSockets.Watch sockets = ListeningSockets.watch()) {
      assertEquals(CommandLine.OK, BatchPipeline.run(
          "--input=" + archive, "--output=" + flink, "--runner=FlinkRunner", "--parallelism=2"));
      assertServersOnLoopbackOnly("FlinkRunner's embedded cluster", sockets);
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
