package io.pinpipe.pipelines.progress;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;

/**
 * A Flink metric reporter that hands every counter registered with Flink to the {@link CounterTaps}
 * of the same JVM: how a job reads its Beam counters while FlinkRunner's attached run blocks
 * (docs/design.md#metrics). It opens no socket and copies nothing; the taps read the counters
 * when they print a line. Registered for the embedded cluster by {@code FlinkLocalDefaults} through
 * {@link FlinkCountersReporterFactory}.
 */
public final class FlinkCountersReporter implements MetricReporter {
  @Override
  public void open(MetricConfig config) {}

  @Override
  public void close() {}

  @Override
  public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
    if (metric instanceof Counter) {
      Counter counter = (Counter) metric;
      CounterTaps.registered(metricName, counter::getCount);
    }
  }

  @Override
  public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
    // Kept: a finished task's counter holds its final count, which the run's totals include.
  }
}
