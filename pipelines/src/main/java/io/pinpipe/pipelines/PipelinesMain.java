package io.pinpipe.pipelines;

import io.pinpipe.pipelines.archive.ArchivePipeline;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.iceberg.IcebergMaintain;
import io.pinpipe.pipelines.streaming.StreamingPipeline;
import io.pinpipe.contract.cli.Suggestions;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Entry point of {@code pinterest-pipelines.jar}: {@code java -jar pinterest-pipelines.jar <job> [options]}.
 */
public final class PipelinesMain {
  private PipelinesMain() {}

  private static final Map<String, Function<String[], Integer>> JOBS = new TreeMap<>();

  static {
    JOBS.put("batch", BatchPipeline::run);
    JOBS.put("archive", ArchivePipeline::run);
    JOBS.put("streaming", StreamingPipeline::run);
    JOBS.put("iceberg-maintain", IcebergMaintain::run);
  }

  public static void main(String[] args) {
    int status = run(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** One line per job for the jar's own help. */
  private static final Map<String, String> SUMMARIES =
      Map.of(
          "archive", "copy the Kafka topics into the raw archive, exactly once",
          "batch", "clean the raw archive (or the topics) and write the nine results, tables and report",
          "streaming", "clean Kafka or Kinesis as records arrive into windowed tables and results",
          "iceberg-maintain", "compact, expire snapshots of and remove orphan files from batch's Iceberg tables");

  static int run(String[] args) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      PrintStream out = args.length == 0 ? System.err : System.out;
      out.println("usage: java -jar pinterest-pipelines.jar <job> [options]");
      out.println();
      out.println("jobs:");
      JOBS.keySet().forEach(name -> out.printf("  %-17s %s%n", name, SUMMARIES.get(name)));
      out.println();
      out.println("'<job> --help' shows a job's options, grouped by task, with their defaults.");
      return args.length == 0 ? CommandLine.USAGE : CommandLine.OK;
    }
    Function<String[], Integer> job = JOBS.get(args[0]);
    if (job == null) {
      System.err.println(
          "error: unknown job '" + args[0] + "'" + Suggestions.didYouMean(args[0], JOBS.keySet(), "")
              + " (jobs: " + String.join(", ", JOBS.keySet()) + "; try --help)");
      return CommandLine.USAGE;
    }
    return job.apply(Arrays.copyOfRange(args, 1, args.length));
  }
}
