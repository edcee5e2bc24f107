package io.pinpipe.pipelines.options;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.beam.runners.spark.SparkCommonPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Spark with a local master ({@code --sparkMaster=local[N]}, Beam's default {@code local[4]})
 * runs in the job's JVM. By default Spark opens its web UI on every interface (port 4040) and its
 * driver RPC and block manager on the machine's network address, so anyone who can reach the
 * machine can reach the job. For a local master this sets, unless already given:
 *
 * <ul>
 *   <li>{@code spark.driver.bindAddress} and {@code spark.driver.host} to 127.0.0.1, unless
 *       {@code SPARK_LOCAL_IP} names the address to use;
 *   <li>{@code spark.ui.enabled} to false. Ask for the UI with {@code -Dspark.ui.enabled=true};
 *       Spark binds it to {@code SPARK_LOCAL_IP}, else to every interface, so set
 *       {@code SPARK_LOCAL_IP=127.0.0.1} with it.
 * </ul>
 *
 * <p>They are set as JVM system properties, which Beam's SparkRunner reads when it creates the
 * SparkContext ({@code new SparkConf()}); a property already set (by {@code -D} or {@code
 * spark-submit --conf}) is the user's choice and stays. Under {@code spark-submit} the master is
 * the {@code spark.master} property, which wins over {@code --sparkMaster} in Beam too; a cluster
 * master gets none of this (its executors must reach the driver), and any property set here for an
 * earlier local run in the same JVM is cleared again.
 */
public final class SparkLocalDefaults {
  static final Map<String, String> UI_OFF = Map.of("spark.ui.enabled", "false");
  static final Map<String, String> DRIVER_ON_LOOPBACK =
      Map.of(
          "spark.driver.bindAddress", LoopbackDefaults.LOOPBACK,
          "spark.driver.host", LoopbackDefaults.LOOPBACK);

  /** The properties this class set (not the user), so that a cluster run can drop them. */
  private static final Set<String> SET_HERE = new HashSet<>();

  private SparkLocalDefaults() {}

  public static synchronized void applyUnlessSet(PipelineOptions options, Map<String, String> env) {
    String master =
        System.getProperty("spark.master", options.as(SparkCommonPipelineOptions.class).getSparkMaster());
    if (!isLocal(master)) {
      SET_HERE.forEach(System::clearProperty);
      SET_HERE.clear();
      return;
    }
    UI_OFF.forEach(SparkLocalDefaults::setUnlessGiven);
    if (isBlank(env.get("SPARK_LOCAL_IP"))) {
      DRIVER_ON_LOOPBACK.forEach(SparkLocalDefaults::setUnlessGiven);
    }
  }

  /** {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}, {@code local-cluster[...]}. */
  static boolean isLocal(String master) {
    return master != null && master.trim().startsWith("local");
  }

  private static void setUnlessGiven(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
      SET_HERE.add(property);
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
