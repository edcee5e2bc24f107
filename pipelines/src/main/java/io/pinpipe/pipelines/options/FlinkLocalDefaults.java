package io.pinpipe.pipelines.options;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * FlinkRunner's embedded cluster ({@code --flinkMaster} [auto], the default, outside a Flink
 * cluster, or [local]) runs in the job's JVM. Its RPC listens on localhost, but its blob server
 * and its REST and data endpoints bind to every interface unless Flink's configuration says
 * otherwise. Beam reads that configuration only from a directory ({@code --flinkConfDir}, else
 * {@code FLINK_CONF_DIR}), so when neither is given this points {@code --flinkConfDir} at a
 * {@code config.yaml}, written once per JVM to a temporary directory, that binds them to
 * 127.0.0.1. A Flink configuration of the user's is left alone, and so is a remote master; under
 * {@code flink run} the cluster's own environment is used and this file is not read.
 */
public final class FlinkLocalDefaults {
  static final Map<String, String> LOOPBACK_CONFIG =
      Map.of(
          "jobmanager.bind-host", LoopbackDefaults.LOOPBACK,
          "taskmanager.bind-host", LoopbackDefaults.LOOPBACK,
          "taskmanager.host", LoopbackDefaults.LOOPBACK,
          "rest.bind-address", LoopbackDefaults.LOOPBACK,
          "rest.address", LoopbackDefaults.LOOPBACK);

  private static Path confDir;

  private FlinkLocalDefaults() {}

  public static void applyUnlessSet(PipelineOptions options, Map<String, String> env) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    String master = flink.getFlinkMaster();
    boolean embedded = FlinkPipelineOptions.AUTO.equals(master) || "[local]".equals(master);
    String givenDir = env.get("FLINK_CONF_DIR");
    if (!embedded || flink.getFlinkConfDir() != null || (givenDir != null && !givenDir.isBlank())) {
      return;
    }
    flink.setFlinkConfDir(loopbackConfDir().toString());
  }

  static synchronized Path loopbackConfDir() {
    if (confDir == null) {
      try {
        Path dir = Files.createTempDirectory("pinpipe-flink-conf");
        StringBuilder yaml =
            new StringBuilder("# Written by pinterest-pipelines: Flink's embedded cluster listens on loopback only.\n");
        new java.util.TreeMap<>(LOOPBACK_CONFIG).forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Path file = Files.writeString(dir.resolve("config.yaml"), yaml);
        dir.toFile().deleteOnExit();
        file.toFile().deleteOnExit();
        confDir = dir;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write a Flink configuration for the embedded cluster", e);
      }
    }
    return confDir;
  }
}
