package io.pinpipe.pipelines.metrics;

import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.metrics.prometheus.AbstractPrometheusReporter;
import org.apache.flink.metrics.prometheus.PinpipeRegistryAccess;

/**
 * Flink's Prometheus reporter, bound to one address. Flink's {@code PrometheusReporter} listens on
 * every interface and cannot be told otherwise; this serves the same metrics, named and labelled by
 * {@link AbstractPrometheusReporter} as Flink users know them, on {@code host} (127.0.0.1 unless
 * --prometheusHost says otherwise), at the first free port of {@code ports}.
 */
public final class BoundPrometheusReporter extends AbstractPrometheusReporter {
  private final HTTPServer server;
  private final InetSocketAddress address;

  BoundPrometheusReporter(String host, Iterator<Integer> ports, PrintStream announce) {
    HTTPServer started = null;
    InetSocketAddress bound = null;
    List<Integer> tried = new ArrayList<>();
    while (started == null && ports.hasNext()) {
      int port = ports.next();
      tried.add(port);
      try {
        bound = new InetSocketAddress(host, port);
        started = new HTTPServer(bound, PinpipeRegistryAccess.registryOf(this), true);
      } catch (IOException e) {
        log.debug("Prometheus endpoint: port {} of {} is taken", port, host, e);
      }
    }
    if (started == null) {
      // Flink logs a reporter that fails to start and goes on without it: say so where users look.
      announce.println("metrics: no Prometheus endpoint: ports " + tried + " of " + host + " are taken");
      announce.flush();
      throw new IllegalStateException("cannot serve metrics for Prometheus on " + host + ", ports " + tried + ": all taken");
    }
    server = started;
    address = new InetSocketAddress(bound.getAddress(), started.getPort());
    String where = address.getAddress().getHostAddress();
    announce.println(
        "metrics: Prometheus endpoint at http://" + (where.contains(":") ? "[" + where + "]" : where) + ":"
            + address.getPort() + "/metrics");
    announce.flush();
  }

  InetSocketAddress address() {
    return address;
  }

  @Override
  public void close() {
    server.stop();
    super.close();
  }
}
