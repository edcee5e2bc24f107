package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Local Spark and Flink clusters are configured onto loopback, and the Spark UI off, unless the
 * user configured them; cluster masters are left alone. (That the servers really listen there is
 * BatchOnEveryRunnerTest's check of the sockets.)
 */
public class LoopbackDefaultsTest {
  private static final List<String> SPARK =
      List.of("spark.master", "spark.ui.enabled", "spark.driver.host", "spark.driver.bindAddress");
  private final Map<String, String> saved = new HashMap<>();

  @Before
  public void clearSparkProperties() {
    for (String p : SPARK) {
      saved.put(p, System.getProperty(p));
      System.clearProperty(p);
    }
  }

  @After
  public void restoreSparkProperties() {
    // Through a cluster run, so that SparkLocalDefaults forgets what it set.
    SparkLocalDefaults.applyUnlessSet(spark("--sparkMaster=spark://127.0.0.1:7077"), Map.of());
    saved.forEach((p, v) -> {
      if (v == null) {
        System.clearProperty(p);
      } else {
        System.setProperty(p, v);
      }
    });
  }

  private static PipelineOptions spark(String... args) {
    List<String> all = new java.util.ArrayList<>(List.of("--runner=SparkRunner"));
    all.addAll(List.of(args));
    return PipelineOptionsFactory.fromArgs(all.toArray(new String[0])).create();
  }

  @Test
  public void aLocalSparkMasterListensOnLoopbackWithoutItsUi() {
    for (String master : List.of("local[2]", "local", "local[*]")) {
      SparkLocalDefaults.applyUnlessSet(spark("--sparkMaster=" + master), Map.of());
      assertEquals(master, "false", System.getProperty("spark.ui.enabled"));
      assertEquals(master, "127.0.0.1", System.getProperty("spark.driver.host"));
      assertEquals(master, "127.0.0.1", System.getProperty("spark.driver.bindAddress"));
    }
  }

  @Test
  public void beamsDefaultSparkMasterAlsoGetsLoopbackAndNoUi() {
    LoopbackDefaults.applyUnlessSet(spark());
    assertEquals("false", System.getProperty("spark.ui.enabled"));
    if (System.getenv("SPARK_LOCAL_IP") == null) {
      assertEquals("127.0.0.1", System.getProperty("spark.driver.bindAddress"));
    }
  }

  @Test
  public void sparkPropertiesTheUserSetAreKeptAndOnlyTheRestDefaulted() {
    System.setProperty("spark.ui.enabled", "true");
    System.setProperty("spark.driver.host", "10.1.2.3");
    SparkLocalDefaults.applyUnlessSet(spark("--sparkMaster=local[2]"), Map.of());
    assertEquals("true", System.getProperty("spark.ui.enabled"));
    assertEquals("10.1.2.3", System.getProperty("spark.driver.host"));
    assertEquals("127.0.0.1", System.getProperty("spark.driver.bindAddress"));
  }

  @Test
  public void sparkLocalIpLeavesTheDriversAddressToSparkAndStillTurnsTheUiOff() {
    SparkLocalDefaults.applyUnlessSet(spark("--sparkMaster=local[2]"), Map.of("SPARK_LOCAL_IP", "127.0.0.2"));
    assertNull(System.getProperty("spark.driver.host"));
    assertNull(System.getProperty("spark.driver.bindAddress"));
    assertEquals("false", System.getProperty("spark.ui.enabled"));
  }

  @Test
  public void aClusterOrSparkSubmitMasterIsLeftAloneAndClearsEarlierLocalSettings() {
    SparkLocalDefaults.applyUnlessSet(spark("--sparkMaster=local[2]"), Map.of());
    SparkLocalDefaults.applyUnlessSet(spark("--sparkMaster=spark://spark-master:7077"), Map.of());
    for (String p : SPARK) {
      assertNull(p, System.getProperty(p));
    }
    // spark-submit's master (a system property) wins over --sparkMaster, as it does in Beam.
    System.setProperty("spark.master", "yarn");
    SparkLocalDefaults.applyUnlessSet(spark("--sparkMaster=local[2]"), Map.of());
    assertNull(System.getProperty("spark.driver.host"));
    assertNull(System.getProperty("spark.ui.enabled"));
  }

  @Test
  public void flinksEmbeddedClusterBindsJobAndTaskManagersAndRestToLoopback() throws Exception {
    for (String master : List.of("[auto]", "[local]")) {
      FlinkPipelineOptions options =
          PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=" + master).as(FlinkPipelineOptions.class);
      FlinkLocalDefaults.applyUnlessSet(options, Map.of());
      Path config = Path.of(options.getFlinkConfDir()).resolve("config.yaml");
      String yaml = Files.readString(config);
      for (String key : List.of("jobmanager.bind-host", "taskmanager.bind-host", "rest.bind-address")) {
        assertTrue(yaml, yaml.contains(key + ": 127.0.0.1\n"));
      }
      // What Beam loads from it.
      org.apache.flink.configuration.Configuration loaded =
          org.apache.flink.configuration.GlobalConfiguration.loadConfiguration(options.getFlinkConfDir());
      assertEquals("127.0.0.1", loaded.getString("jobmanager.bind-host", null));
    }
  }

  @Test
  public void aUsersFlinkConfigurationOrARemoteMasterGetsNoGeneratedConfiguration() {
    FlinkPipelineOptions given =
        PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkConfDir=/etc/flink").as(FlinkPipelineOptions.class);
    FlinkLocalDefaults.applyUnlessSet(given, Map.of());
    assertEquals("/etc/flink", given.getFlinkConfDir());

    FlinkPipelineOptions env = PipelineOptionsFactory.fromArgs("--runner=FlinkRunner").as(FlinkPipelineOptions.class);
    FlinkLocalDefaults.applyUnlessSet(env, Map.of("FLINK_CONF_DIR", "/opt/flink/conf"));
    assertNull(env.getFlinkConfDir());

    FlinkPipelineOptions remote =
        PipelineOptionsFactory.fromArgs("--runner=FlinkRunner", "--flinkMaster=flink-jm:8081").as(FlinkPipelineOptions.class);
    FlinkLocalDefaults.applyUnlessSet(remote, Map.of());
    assertNull(remote.getFlinkConfDir());
  }
}
