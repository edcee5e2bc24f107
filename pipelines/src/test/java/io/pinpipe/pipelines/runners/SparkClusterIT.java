package io.pinpipe.pipelines.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.services.ListeningSockets;
import io.pinpipe.services.SparkStandalone;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.batch.BatchPipeline;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.Rule;
import org.junit.rules.TemporaryFolder;

/**
 * The cluster jar submitted to a real Spark standalone cluster: a master and a worker started from
 * the SPARK_HOME that local-services/spark-home assembles from Maven Central, {@code batch}
 * submitted with a {@code spark://} master through {@code bin/spark-submit-job} (spark-submit's
 * entry point, client mode). The application must finish on the master, its tasks must have run on
 * an executor the worker launched with the Java 17 flags, and its output must equal DirectRunner's.
 * Every process of it (master, worker, executor, the driver and its UI) listens on loopback only.
 * Runs in {@code mvn verify}, after the jars are packaged.
 */
public class SparkClusterIT {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void batchOnAStandaloneClusterRunsOnItsExecutorAndMatchesDirectRunner() throws Exception {
    Path archive = RunnerFixture.writeArchive(tmp.newFolder("archive").toPath());
    Path direct = tmp.getRoot().toPath().resolve("direct");
    assertEquals(CommandLine.OK, BatchPipeline.run("--tableFormat=parquet", "--input=" + archive, "--output=" + direct));

    Path moduleDir = Path.of("").toAbsolutePath();
    Path clusterJar = moduleDir.resolve("target/pinterest-pipelines-spark.jar");
    assertTrue("the cluster jar is built by `mvn package`: " + clusterJar, Files.isRegularFile(clusterJar));
    Path onCluster = tmp.getRoot().toPath().resolve("cluster");

    try (ListeningSockets.Watch sockets = ListeningSockets.watch(Duration.ofMillis(250));
        SparkStandalone spark =
            SparkStandalone.onFreePorts(tmp.newFolder("spark").toPath(), Optional.empty())
                .start(2, "2g", Duration.ofSeconds(90))) {
      Path log = tmp.getRoot().toPath().resolve("spark-submit.log");
      ProcessBuilder submit =
          new ProcessBuilder(
              moduleDir.resolveSibling("bin").resolve("spark-submit-job").toString(),
              "--master", spark.masterUrl(),
              "--deploy-mode", "client",
              "--executor-memory", "1g",
              "--",
              "batch", "--input=" + archive, "--output=" + onCluster, "--tableFormat=parquet");
      submit.environment().putAll(spark.environment());
      submit.environment().put("PINPIPE_SPARK_JAR", clusterJar.toString());
      submit.environment().put("SPARK_DRIVER_MEMORY", "1g");
      submit.redirectErrorStream(true).redirectOutput(log.toFile());
      Process process = submit.start();
      boolean exited = process.waitFor(6, TimeUnit.MINUTES);
      if (!exited) {
        process.destroyForcibly();
      }
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue("spark-submit did not finish in 6 minutes:\n" + output, exited);
      assertEquals("spark-submit failed:\n" + output, 0, process.exitValue());
      assertTrue(output, output.contains("batch finished in") && output.contains("on SparkRunner"));

      // The master ran it as a cluster application, to the end, on the worker's cores.
      JsonNode state = spark.masterState();
      assertEquals(state.toString(), 0, state.path("activeapps").size());
      JsonNode app = state.path("completedapps").get(0);
      assertEquals(state.toString(), 1, state.path("completedapps").size());
      assertEquals("pinterest-batch", app.path("name").asText());
      assertEquals("FINISHED", app.path("state").asText());

      // The worker launched an executor for it, with the flags Java 17 needs.
      String appId = app.path("id").asText();
      Path executorLog = spark.workDir().resolve(appId).resolve("0").resolve("stderr");
      assertTrue("no executor of " + appId + " under " + spark.workDir(), Files.isRegularFile(executorLog));
      String executor = Files.readString(executorLog, StandardCharsets.UTF_8);
      assertTrue(executor, executor.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"));
      assertTrue(executor, executor.contains("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED"));
      // The jobs' code was shipped to it: the executor fetched the cluster jar from the driver.
      assertTrue(Files.isRegularFile(executorLog.resolveSibling("pinterest-pipelines-spark.jar")));

      // Master, worker, executor and driver (with its UI) listened on loopback only.
      BatchOnEveryRunnerTest.assertServersOnLoopbackOnly("the Spark standalone cluster and the submitted job", sockets);
    }

    RunnerFixture.assertSameOutput("SparkRunner on a standalone cluster", direct, onCluster);
  }
}
