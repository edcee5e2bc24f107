package io.pinpipe.pipelines.metrics;

import io.pinpipe.pipelines.UserError;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * A Prometheus endpoint for the job's metrics on FlinkRunner's embedded cluster (docs/design.md#metrics):
 * Flink's own metrics and the job's Beam counters, served by {@link
 * BoundPrometheusReporter}. Checked by {@link #check} for every job.
 */
public interface PrometheusOptions extends PipelineOptions {
  /** A port, a range or a comma-separated list of them, as Flink's reporters take them. */
  Pattern PORTS = Pattern.compile("\\d{1,5}(-\\d{1,5})?(,\\d{1,5}(-\\d{1,5})?)*");

  @Description(
      "FlinkRunner: serve the job's metrics for Prometheus on this port (or the first free one of a"
          + " range such as 9249-9259) at http://HOST:PORT/metrics")
  String getPrometheusPort();

  void setPrometheusPort(String value);

  @Description("The address the --prometheusPort endpoint listens on")
  @Default.String("127.0.0.1")
  String getPrometheusHost();

  void setPrometheusHost(String value);

  /**
   * Checks the options before the job starts: Flink would log a bad reporter setting and run the
   * job without its endpoint.
   */
  static void check(PipelineOptions options) {
    PrometheusOptions prometheus = options.as(PrometheusOptions.class);
    String port = prometheus.getPrometheusPort();
    if (port == null) {
      return;
    }
    if (!options.getRunner().getSimpleName().equals("FlinkRunner")) {
      throw new UserError(
          "--prometheusPort needs --runner=FlinkRunner (on Spark, use Spark's own metrics system:"
              + " spark.metrics.conf)");
    }
    boolean valid = PORTS.matcher(port).matches();
    if (valid) {
      for (String part : port.split("[,-]")) {
        valid &= Integer.parseInt(part) <= 65_535;
      }
    }
    if (!valid) {
      throw new UserError(
          "--prometheusPort must be a port (0: any free one), a range such as 9249-9259, or a"
              + " list of them; got '" + port + "'");
    }
    if (prometheus.getPrometheusHost() == null || prometheus.getPrometheusHost().isBlank()) {
      throw new UserError("--prometheusHost must name an address, e.g. 127.0.0.1");
    }
  }
}
