package io.pinpipe.pipelines.options;

import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.metrics.BoundPrometheusReporterFactory;
import io.pinpipe.pipelines.metrics.PrometheusOptions;
import io.pinpipe.pipelines.progress.FlinkCountersReporterFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * FlinkRunner's embedded cluster ({@code --flinkMaster} [auto], the default, outside a Flink
 * cluster, or [local]) runs in the job's JVM. Its RPC listens on localhost, but its blob server
 * and its REST and data endpoints bind to every interface unless Flink's configuration says
 * otherwise. Beam reads that configuration only from a directory ({@code --flinkConfDir}, else
 * {@code FLINK_CONF_DIR}), so when neither is given this points {@code --flinkConfDir} at a
 * {@code config.yaml}, written once per JVM and content to a temporary directory, that binds them
 * to 127.0.0.1. The same file registers the job's metric reporters: the in-process one its progress
 * lines read (docs/design.md#metrics), and with {@code --prometheusPort} the Prometheus endpoint,
 * bound to {@code --prometheusHost}. A Flink configuration of the user's is left alone, and so is a
 * remote master; under {@code flink run} the cluster's own environment is used and this file is not
 * read.
 */
public final class FlinkLocalDefaults {
  static final Map<String, String> LOOPBACK_CONFIG =
      Map.of(
          "jobmanager.bind-host", LoopbackDefaults.LOOPBACK,
          "taskmanager.bind-host", LoopbackDefaults.LOOPBACK,
          "taskmanager.host", LoopbackDefaults.LOOPBACK,
          "rest.bind-address", LoopbackDefaults.LOOPBACK,
          "rest.address", LoopbackDefaults.LOOPBACK);

  static final String PROGRESS_REPORTER = "metrics.reporter.pinpipe_progress.";
  static final String PROMETHEUS_REPORTER = "metrics.reporter.prometheus.";

  private static final Pattern PLAIN_YAML = Pattern.compile("[A-Za-z0-9._/-]+");
  private static final Map<String, Path> confDirs = new HashMap<>();

  private FlinkLocalDefaults() {}

  public static void applyUnlessSet(PipelineOptions options, Map<String, String> env) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String master = flink.getFlinkMaster();
    boolean embedded = FlinkPipelineOptions.AUTO.equals(master) || "[local]".equals(master);
    String givenDir = env.get("FLINK_CONF_DIR");
    boolean usersConfig = flink.getFlinkConfDir() != null || (givenDir != null && !givenDir.isBlank());
    PrometheusOptions prometheus = options.as(PrometheusOptions.class);
    if (!embedded || usersConfig) {
      if (prometheus.getPrometheusPort() != null) {
        throw new UserError(
            "--prometheusPort configures FlinkRunner's embedded cluster; "
                + (embedded ? "with your own Flink configuration (--flinkConfDir or FLINK_CONF_DIR)" : "on a Flink cluster")
                + " add a Prometheus reporter to that configuration instead (metrics.reporter.<name>.factory.class)");
      }
      return;
    }
    flink.setFlinkConfDir(confDir(config(prometheus)).toString());
  }

  /**
   * True when the job runs on an embedded cluster configured here, whose counters reach the
   * progress lines in this JVM ({@code progress/FlinkCountersReporter}).
   */
  public static synchronized boolean reportsCounters(PipelineOptions options) {
    String dir = options.as(FlinkPipelineOptions.class).getFlinkConfDir();
    return dir != null && confDirs.containsValue(Path.of(dir));
  }

  /**
   * Restores the job from {@code checkpoint} on the embedded cluster. Beam hands {@code
   * --savepointPath} only to a remote master ({@code --flinkMaster=host:port}); the embedded cluster
   * takes the path from its configuration, so the job's own configuration gets {@code
   * execution.savepoint.path}. A configuration of the user's is not rewritten: they are told the
   * line to add. (Under {@code flink run}, the cluster's {@code -s} option restores.)
   */
  public static synchronized void restoreFrom(FlinkPipelineOptions flink, Path checkpoint) {
    String master = flink.getFlinkMaster();
    if (!FlinkPipelineOptions.AUTO.equals(master) && !"[local]".equals(master)) {
      return;
    }
    String dir = flink.getFlinkConfDir();
    if (dir == null || !confDirs.containsValue(Path.of(dir))) {
      throw new UserError(
          "the embedded Flink cluster reads your Flink configuration: to restore, add"
              + " execution.savepoint.path: " + checkpoint + " to its config.yaml and leave out"
              + " --restoreFromLatestCheckpoint");
    }
    Map<String, String> config = config(flink.as(PrometheusOptions.class));
    config.put("execution.savepoint.path", checkpoint.toString());
    flink.setFlinkConfDir(confDir(config).toString());
  }

  /** The embedded cluster's configuration for these options. */
  static Map<String, String> config(PrometheusOptions prometheus) {
    Map<String, String> config = new TreeMap<>(LOOPBACK_CONFIG);
    config.put(PROGRESS_REPORTER + "factory.class", FlinkCountersReporterFactory.class.getName());
    if (prometheus.getPrometheusPort() != null) {
      config.put(PROMETHEUS_REPORTER + "factory.class", BoundPrometheusReporterFactory.class.getName());
      config.put(PROMETHEUS_REPORTER + "host", prometheus.getPrometheusHost());
      config.put(PROMETHEUS_REPORTER + "port", prometheus.getPrometheusPort());
    }
    return config;
  }

  static synchronized Path confDir(Map<String, String> config) {
    StringBuilder yaml =
        new StringBuilder(
            "# Written by pinterest-pipelines: Flink's embedded cluster listens on loopback only;"
                + " the job's metric reporters.\n");
    new TreeMap<>(config).forEach((k, v) -> yaml.append(k).append(": ").append(yamlValue(v)).append('\n'));
    return confDirs.computeIfAbsent(yaml.toString(), FlinkLocalDefaults::write);
  }

  private static Path write(String yaml) {
    try {
      Path dir = Files.createTempDirectory("pinpipe-flink-conf");
      Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
      dir.toFile().deleteOnExit();
      file.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a Flink configuration for the embedded cluster", e);
    }
  }

  /** A value as YAML: plain when it is safe so, else single-quoted (a host such as ::1). */
  private static String yamlValue(String value) {
    return PLAIN_YAML.matcher(value).matches() ? value : "'" + value.replace("'", "''") + "'";
  }
}
