package org.apache.flink.metrics.prometheus;

import io.prometheus.client.CollectorRegistry;

/**
 * Part of pinterest-pipelines, not of Flink: {@link AbstractPrometheusReporter} keeps the registry
 * its metrics are collected in package-private, and its only HTTP subclass binds every interface
 * with no way to say otherwise. This reads the registry from this package, so that {@code
 * io.pinpipe.pipelines.metrics.BoundPrometheusReporter} can serve it on an address of its choosing
 * (checked by the compiler, unlike reflection, when Flink is upgraded).
 */
public final class PinpipeRegistryAccess {
  private PinpipeRegistryAccess() {}

  public static CollectorRegistry registryOf(AbstractPrometheusReporter reporter) {
    return reporter.registry;
  }
}
