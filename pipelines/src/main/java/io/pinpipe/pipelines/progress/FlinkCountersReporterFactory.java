package io.pinpipe.pipelines.progress;

import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/** Creates {@link FlinkCountersReporter}s; found by Flink through META-INF/services. */
public final class FlinkCountersReporterFactory implements MetricReporterFactory {
  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new FlinkCountersReporter();
  }
}
