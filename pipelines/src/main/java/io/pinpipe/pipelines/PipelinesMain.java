package io.pinpipe.pipelines;

import io.pinpipe.pipelines.archive.ArchivePipeline;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.streaming.StreamingPipeline;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Entry point of {@code pinterest-pipelines.jar}: {@code java -jar pinterest-pipelines.jar <job> [--option=value ...]}.
 */
public final class PipelinesMain {
  private PipelinesMain() {}

  private static final Map<String, Function<String[], Integer>> JOBS = new TreeMap<>();

  static {
    JOBS.put("batch", BatchPipeline::run);
    JOBS.put("archive", ArchivePipeline::run);
    JOBS.put("streaming", StreamingPipeline::run);
  }

  public static void main(String[] args) {
    int status = run(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
      System.out.println("usage: java -jar pinterest-pipelines.jar <job> [--option=value ...]");
      System.out.println("jobs: " + String.join(", ", JOBS.keySet()) + "   (<job> --help lists its options)");
      return args.length == 0 ? CommandLine.USAGE : CommandLine.OK;
    }
    Function<String[], Integer> job = JOBS.get(args[0]);
    if (job == null) {
      System.err.println("error: unknown job '" + args[0] + "'; jobs: " + String.join(", ", JOBS.keySet()));
      return CommandLine.USAGE;
    }
    return job.apply(Arrays.copyOfRange(args, 1, args.length));
  }
}
