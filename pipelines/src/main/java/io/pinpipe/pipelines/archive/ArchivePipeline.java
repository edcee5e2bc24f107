package io.pinpipe.pipelines.archive;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.options.DirectRunnerDefaults;
import io.pinpipe.pipelines.options.S3AccessOptions;
import io.pinpipe.pipelines.io.Paths;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.PartitionRange;
import io.pinpipe.pipelines.io.kafka.ReadKafkaRanges;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.transforms.schema.RecordKind;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * The archive job (docs/semantics.md), what MSK Connect's S3 sink did for the original: copies the
 * three topics into the raw archive that {@code batch} reads, one newline-delimited file per
 * partition and offset range.
 *
 * <p>Exactly once, without relying on KafkaIO's {@code commitOffsetsInFinalize} (which commits
 * when the read finalizes, not when a later FileIO write is durable): each run reads exactly the
 * offsets between the group's committed offsets and the end offsets at its start, writes every
 * file whole (temporary name, then rename), and commits the end offsets only after the pipeline
 * has finished. A run that fails before committing is simply run again: it reads the same range
 * from the same start and rewrites the same files under the same names. {@code --continuous}
 * repeats such runs.
 */
public final class ArchivePipeline {
  private ArchivePipeline() {}

  public static void main(String[] args) {
    int status = run(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  public static int run(String... args) {
    return CommandLine.execute("archive", () -> runOrFail(args, System.out));
  }

  private static void runOrFail(String[] args, PrintStream out) {
    ArchiveOptions options = CommandLine.parseOptions("archive", args, ArchiveOptions.class);
    if (options.getGroupId() == null) {
      options.setGroupId(ArchiveOptions.DEFAULT_GROUP_ID);
    }
    DirectRunnerDefaults.applyUnlessSet(options, args);
    S3AccessOptions.apply(options, args);
    FileSystems.setDefaultPipelineOptions(options);
    StartPosition start = CommandLine.userInput(() -> StartPosition.parse(Objects.requireNonNullElse(options.getStartFrom(), "committed"), true));
    if (options.getMaxRecordsPerFile() < 1 || options.getMaxRecordBytes() < 1 || options.getIntervalSeconds() < 1) {
      throw new UserError("--maxRecordsPerFile, --maxRecordBytes and --intervalSeconds must be at least 1");
    }
    Map<String, Object> clientConfig = KafkaOffsets.clientConfig(options);
    List<String> topics = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      topics.add(options.getTopicPrefix() + "." + kind.id());
    }

    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    if (options.getContinuous()) {
      // Ctrl-C (or SIGTERM) ends the wait between runs. A run in progress may finish and commit
      // for up to a minute; if it cannot, nothing is lost: its range is simply read again next time.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stopped.countDown();
                    await(finished, 60);
                  },
                  "archive-shutdown"));
    }
    try {
      archiveUntilStopped(options, clientConfig, topics, start, stopped, out);
    } finally {
      finished.countDown();
    }
  }

  /** One run, or with --continuous one run per interval until {@code stopped}. */
  private static void archiveUntilStopped(
      ArchiveOptions options,
      Map<String, Object> clientConfig,
      List<String> topics,
      StartPosition start,
      CountDownLatch stopped,
      PrintStream out) {
    boolean idle = false;
    long runs = 0;
    do {
      List<PartitionRange> ranges =
          KafkaOffsets.plan(clientConfig, topics, start, Optional.of(options.getGroupId()));
      long records = ranges.stream().mapToLong(PartitionRange::size).sum();
      if (records > 0) {
        runOnce(options, clientConfig, ranges, out);
        runs++;
        idle = false;
      } else if (!idle) {
        // Said once per quiet spell, not at every interval of a continuous run.
        out.println("archive: nothing new in " + String.join(", ", topics) + " for group " + options.getGroupId());
        idle = true;
      }
    } while (options.getContinuous() && !await(stopped, options.getIntervalSeconds()));
    if (options.getContinuous()) {
      out.println("archive: stopped after " + runs + " run(s); every archived offset is committed");
      out.flush();
    }
  }

  private static boolean await(CountDownLatch stopped, int seconds) {
    try {
      return stopped.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** One bounded run: read the ranges, write the files, then commit. */
  static void runOnce(
      ArchiveOptions options, Map<String, Object> clientConfig, List<PartitionRange> ranges, PrintStream out) {
    start(options, clientConfig, ranges).finish(out);
  }

  /** Starts one run; {@link Run#finish} waits for it and commits. */
  static Run start(ArchiveOptions options, Map<String, Object> clientConfig, List<PartitionRange> ranges) {
    long started = System.nanoTime();
    Pipeline pipeline = Pipeline.create(options);
    build(pipeline, options, clientConfig, ranges);
    return new Run(options, clientConfig, ranges, pipeline.run(), started);
  }

  /** A run in progress. */
  static final class Run {
    private final ArchiveOptions options;
    private final Map<String, Object> clientConfig;
    private final List<PartitionRange> ranges;
    private final PipelineResult result;
    private final long started;

    private Run(
        ArchiveOptions options,
        Map<String, Object> clientConfig,
        List<PartitionRange> ranges,
        PipelineResult result,
        long started) {
      this.options = options;
      this.clientConfig = clientConfig;
      this.ranges = ranges;
      this.result = result;
      this.started = started;
    }

    /** Records checked so far (archived or dead-lettered), as the runner reports them. */
    long recordsChecked() {
      return counter(result, "archived") + counter(result, "dead_lettered");
    }

    /**
     * Waits for the pipeline; commits the ranges' end offsets only if it finished, so that every
     * file of the run exists before the group moves past its records.
     */
    void finish(PrintStream out) {
      PipelineResult.State state = result.waitUntilFinish();
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the archive run ended in state " + state + "; nothing was committed");
      }
      KafkaOffsets.commit(clientConfig, options.getGroupId(), ranges);
      report(out);
    }

    private void report(PrintStream out) {
      String root = Paths.withoutTrailingSlash(options.getOutput());
      long read = ranges.stream().mapToLong(PartitionRange::size).sum();
      long archived = counter(result, "archived");
      long deadLettered = counter(result, "dead_lettered");
      out.printf(
          Locale.ROOT,
          "archive: %,d records read from %s in %.1f s: %,d archived under %s/topics, %,d"
              + " dead-lettered under %s/dead-letter; offsets committed for group %s%n",
          read, describe(ranges), (System.nanoTime() - started) / 1e9, archived, root,
          deadLettered, root, options.getGroupId());
      if (archived + deadLettered != read) {
        // Offsets without records (compacted topics, transaction markers) are the only cause.
        out.printf(
            Locale.ROOT,
            "archive: note: %,d offsets of the ranges held no record (compaction or transaction markers)%n",
            read - archived - deadLettered);
      }
    }
  }

  /** Adds one archive run over {@code ranges} to a pipeline. */
  static void build(
      Pipeline pipeline, ArchiveOptions options, Map<String, Object> clientConfig, List<PartitionRange> ranges) {
    String root = Paths.withoutTrailingSlash(options.getOutput());
    HashMap<String, Long> starts = new HashMap<>();
    ranges.forEach(r -> starts.put(CheckRecordsFn.rangeKey(r.topic(), r.partition()), r.start()));
    KvCoder<String, org.apache.beam.sdk.values.KV<Long, byte[]>> lineCoder =
        KvCoder.of(StringUtf8Coder.of(), KvCoder.of(VarLongCoder.of(), ByteArrayCoder.of()));

    PCollectionTuple checked =
        pipeline
            .apply("ReadKafka", ReadKafkaRanges.of(ranges, clientConfig))
            .apply(
                "CheckRecords",
                ParDo.of(
                        new CheckRecordsFn(
                            options.getTopicPrefix(),
                            starts,
                            options.getMaxRecordsPerFile(),
                            options.getMaxRecordBytes(),
                            options.getDailyFolders()))
                    .withOutputTags(CheckRecordsFn.ARCHIVE, TupleTagList.of(CheckRecordsFn.DEAD_LETTERS)));
    checked
        .get(CheckRecordsFn.ARCHIVE)
        .setCoder(lineCoder)
        .apply("WriteArchiveFiles", new WriteChunkFiles(root, WriteChunkFiles.Kind.DATA));
    checked
        .get(CheckRecordsFn.DEAD_LETTERS)
        .setCoder(lineCoder)
        .apply("WriteDeadLetters", new WriteChunkFiles(root, WriteChunkFiles.Kind.DEAD_LETTERS));
  }

  private static long counter(PipelineResult result, String name) {
    long total = 0;
    for (MetricResult<Long> c :
        result
            .metrics()
            .queryMetrics(
                MetricsFilter.builder()
                    .addNameFilter(MetricNameFilter.named(ArchivePipeline.class, name))
                    .build())
            .getCounters()) {
      total += c.getAttempted();
    }
    return total;
  }

  private static String describe(List<PartitionRange> ranges) {
    List<String> parts = new ArrayList<>();
    for (PartitionRange r : ranges) {
      if (r.size() > 0) {
        parts.add(r.toString());
      }
    }
    return String.join(", ", parts);
  }
}
