package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Closed by default: a runner's local cluster serves only this machine. When a job runs SparkRunner
 * with a local master or FlinkRunner's embedded cluster, every server they open in the job's JVM
 * (Spark's driver RPC and block manager, Flink's blob server and the like) listens on 127.0.0.1,
 * and Spark's web UI is off unless asked for ({@link SparkLocalDefaults}, {@link
 * FlinkLocalDefaults}). Settings the user gives win. Clusters (spark://, yarn, k8s, a Flink
 * master) are left as they are configured. Applied to every job by {@code CommandLine.parseOptions}.
 */
public final class LoopbackDefaults {
  public static final String LOOPBACK = "127.0.0.1";

  private LoopbackDefaults() {}

  public static void applyUnlessSet(PipelineOptions options) {
    String runner = options.getRunner().getSimpleName();
    // Each runner's classes only when it is the one chosen: the Spark cluster jar has no Flink.
    if (runner.startsWith("Spark")) {
      SparkLocalDefaults.applyUnlessSet(options, System.getenv());
    } else if (runner.equals("FlinkRunner")) {
      FlinkLocalDefaults.applyUnlessSet(options, System.getenv());
    }
  }
}
