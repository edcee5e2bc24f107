package io.pinpipe.pipelines.metrics;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.util.NetUtils;

/**
 * Creates {@link BoundPrometheusReporter}s from a Flink reporter configuration ({@code host},
 * {@code port}: a port or a range such as 9249-9259); found by Flink through META-INF/services.
 */
public final class BoundPrometheusReporterFactory implements MetricReporterFactory {
  static final String HOST = "host";
  static final String PORT = "port";

  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    String host = properties.getProperty(HOST, "127.0.0.1");
    String ports = properties.getProperty(PORT, "9249");
    return new BoundPrometheusReporter(host, NetUtils.getPortRangeFromString(ports), System.err);
  }
}
