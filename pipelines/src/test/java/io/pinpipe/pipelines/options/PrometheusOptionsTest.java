package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.metrics.PrometheusOptions;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.Test;

/**
 * --prometheusPort: checked before the job starts (Flink would run without a reporter it cannot
 * start), and written into the embedded cluster's configuration with its host, 127.0.0.1 unless
 * given; refused where the job does not configure Flink itself.
 */
public class PrometheusOptionsTest {
  private static PipelineOptions options(String... args) {
    PipelineOptionsFactory.register(PrometheusOptions.class);
    return PipelineOptionsFactory.fromArgs(args).create();
  }

  private static String refusal(PipelineOptions options) {
    return assertThrows(UserError.class, () -> {
      PrometheusOptions.check(options);
      FlinkLocalDefaults.applyUnlessSet(options, Map.of());
    }).getMessage();
  }

  @Test
  public void theEmbeddedClustersReporterIsBoundToLoopbackUnlessAHostIsGiven() {
    PipelineOptions options = options("--runner=FlinkRunner", "--prometheusPort=9249-9259");
    PrometheusOptions.check(options);
    FlinkLocalDefaults.applyUnlessSet(options, Map.of());
    Configuration loaded = GlobalConfiguration.loadConfiguration(options.as(FlinkPipelineOptions.class).getFlinkConfDir());
    assertEquals("127.0.0.1", loaded.getString("metrics.reporter.prometheus.host", null));
    assertEquals("9249-9259", loaded.getString("metrics.reporter.prometheus.port", null));
    assertEquals(
        "io.pinpipe.pipelines.metrics.BoundPrometheusReporterFactory",
        loaded.getString("metrics.reporter.prometheus.factory.class", null));
    assertEquals("127.0.0.1", loaded.getString("rest.bind-address", null));

    PipelineOptions ipv6 = options("--runner=FlinkRunner", "--prometheusPort=0", "--prometheusHost=::1");
    FlinkLocalDefaults.applyUnlessSet(ipv6, Map.of());
    String dir = ipv6.as(FlinkPipelineOptions.class).getFlinkConfDir();
    assertEquals("::1", GlobalConfiguration.loadConfiguration(dir).getString("metrics.reporter.prometheus.host", null));
    assertNotEquals(options.as(FlinkPipelineOptions.class).getFlinkConfDir(), dir);
  }

  @Test
  public void withoutAPortOnlyTheProgressReporterIsConfigured() {
    PipelineOptions options = options("--runner=FlinkRunner");
    FlinkLocalDefaults.applyUnlessSet(options, Map.of());
    Configuration loaded = GlobalConfiguration.loadConfiguration(options.as(FlinkPipelineOptions.class).getFlinkConfDir());
    assertEquals(null, loaded.getString("metrics.reporter.prometheus.factory.class", null));
    assertEquals(
        "io.pinpipe.pipelines.progress.FlinkCountersReporterFactory",
        loaded.getString("metrics.reporter.pinpipe_progress.factory.class", null));
  }

  @Test
  public void refusesThePortOffFlinkMalformedOrBesideAnOwnFlinkConfiguration() {
    assertEquals(
        "--prometheusPort needs --runner=FlinkRunner (on Spark, use Spark's own metrics system: spark.metrics.conf)",
        refusal(options("--prometheusPort=9249")));
    for (String port : new String[] {"abc", "70000", "9249-", "-1"}) {
      assertEquals(
          "--prometheusPort must be a port (0: any free one), a range such as 9249-9259, or a list of them; got '"
              + port + "'",
          refusal(options("--runner=FlinkRunner", "--prometheusPort=" + port)));
    }
    assertEquals(
        "--prometheusPort configures FlinkRunner's embedded cluster; with your own Flink configuration"
            + " (--flinkConfDir or FLINK_CONF_DIR) add a Prometheus reporter to that configuration instead"
            + " (metrics.reporter.<name>.factory.class)",
        refusal(options("--runner=FlinkRunner", "--prometheusPort=9249", "--flinkConfDir=/etc/flink")));
    assertEquals(
        "--prometheusPort configures FlinkRunner's embedded cluster; on a Flink cluster add a Prometheus"
            + " reporter to that configuration instead (metrics.reporter.<name>.factory.class)",
        refusal(options("--runner=FlinkRunner", "--prometheusPort=9249", "--flinkMaster=jm:8081")));
  }
}
