package io.pinpipe.pipelines.archive;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.DataGaps;
import io.pinpipe.pipelines.output.JobFiles;
import io.pinpipe.pipelines.progress.JobProgress;
import io.pinpipe.pipelines.progress.ProgressLines;
import io.pinpipe.pipelines.output.OwnedOutput;
import io.pinpipe.pipelines.io.layout.Paths;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets;
import io.pinpipe.pipelines.io.kafka.PartitionRange;
import io.pinpipe.pipelines.io.kafka.ReadKafkaRanges;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.ArchiveLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.kafka.common.TopicPartition;

/**
 * The archive job (docs/semantics.md#the-archive-job-exactly-once-recorded-in-the-archive),
 * what MSK Connect's S3 sink did for the original: copies the
 * three topics into the raw archive that {@code batch} reads, one newline-delimited file per
 * partition and chunk of offsets.
 *
 * <p>Exactly once, whatever the options, the group's offsets or Kafka's retention say, because the
 * archive itself records what it holds: every chunk is committed by a range record written after
 * its files ({@link WriteChunks}). A run first reads those records and removes what a stopped run
 * left uncommitted ({@link ArchiveState}), then writes only the offsets the archive does not hold
 * ({@link ArchivePlan}). Offsets the log no longer has are a gap: reported, written to the run's
 * summary, and the run exits 3 unless {@code --allowGaps} records them. The group's offsets are
 * committed after the run, for monitoring only. {@code --continuous} repeats such runs.
 */
public final class ArchivePipeline {
  /** Every chunk of the run is committed; the group's offsets are not yet. */
  static final String BEFORE_GROUP_COMMIT = "archive.before-group-commit";
  /** The group's offsets are committed; the run's summary is not written yet. */
  static final String AFTER_GROUP_COMMIT = "archive.after-group-commit";

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
    ArchiveOptions options = CommandLine.parseOptions("archive", args, ArchiveOptions.class, ArchiveOptions::validate);
    FileSystems.setDefaultPipelineOptions(options);
    StartPosition start = CommandLine.userInput(() -> ArchiveOptions.startPosition(options));
    Map<String, Object> clientConfig = KafkaOffsets.clientConfig(options);
    // The archive is another job's input: it must be the archive's alone (docs/design.md#outputs).
    // Its lock is held until this method returns: a second archive would write the same offsets.
    try (OwnedOutput owned =
        OwnedOutput.claim(JobFiles.ARCHIVE, options.getOutput(), List.of(), options.getAdoptOutput()).own()) {
      archiveOwned(options, clientConfig, start, out);
    }
  }

  private static void archiveOwned(
      ArchiveOptions options, Map<String, Object> clientConfig, StartPosition start, PrintStream out) {

    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    if (options.getContinuous()) {
      // Ctrl-C (or SIGTERM) ends the wait between runs. A run in progress may finish and commit
      // for up to a minute; if it cannot, nothing is lost: what it did not record is written again.
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
      archiveUntilStopped(options, clientConfig, start, stopped, out);
    } finally {
      finished.countDown();
    }
  }

  static List<String> topics(ArchiveOptions options) {
    List<String> topics = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      topics.add(ArchiveLayout.topic(options.getTopicPrefix(), kind));
    }
    return topics;
  }

  /** One run, or with --continuous one run per interval until {@code stopped}. */
  private static void archiveUntilStopped(
      ArchiveOptions options,
      Map<String, Object> clientConfig,
      StartPosition start,
      CountDownLatch stopped,
      PrintStream out) {
    boolean idle = false;
    long runs = 0;
    Set<ArchivePlan.Gap> gaps = new LinkedHashSet<>();
    do {
      Run run = start(options, clientConfig, start, out);
      for (ArchivePlan.Gap gap : run.plan().gaps()) {
        if (gaps.add(gap) || !options.getContinuous()) {
          out.println("archive: gap: " + gap);
        }
      }
      run.finish(out);
      if (run.plan().records() > 0) {
        runs++;
        idle = false;
      } else if (!idle) {
        // Said once per quiet spell, not at every interval of a continuous run.
        out.println(
            "archive: nothing new in " + String.join(", ", topics(options)) + ": "
                + Paths.withoutTrailingSlash(options.getOutput()) + " holds every offset they have");
        idle = true;
      }
    } while (options.getContinuous() && !await(stopped, options.getIntervalSeconds()));
    if (options.getContinuous()) {
      out.println("archive: stopped after " + runs + " run(s); every chunk written is recorded");
      out.flush();
    }
    if (!gaps.isEmpty() && !options.getAllowGaps()) {
      long offsets = gaps.stream().mapToLong(ArchivePlan.Gap::size).sum();
      throw new DataGaps(
          String.format(
              Locale.ROOT,
              "%,d offset(s) in %d gap(s) were removed by Kafka's retention before they were"
                  + " archived (listed above and in %s); everything still in the log is archived. Pass"
                  + " --allowGaps=true to record the gaps in the archive and go on",
              offsets, gaps.size(), ArchiveSummary.path(Paths.withoutTrailingSlash(options.getOutput()))));
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

  /**
   * Starts one run: reads what the archive holds, removes leftovers of a stopped run, plans from
   * the log as it is now, records allowed gaps, and starts the pipeline if there is anything to
   * write. {@link Run#finish} waits for it and commits.
   */
  static Run start(ArchiveOptions options, Map<String, Object> clientConfig, StartPosition start, PrintStream out) {
    long started = System.nanoTime();
    String root = Paths.withoutTrailingSlash(options.getOutput());
    List<String> topics = topics(options);
    try {
      ArchiveState state = ArchiveState.read(root, topics);
      state.refuseFilesOfAnEarlierVersion(root);
      ArchiveSummary.removeTemporary(root);
      state.removeLeftovers(out);
      List<PartitionOffsets> offsets =
          KafkaOffsets.offsets(clientConfig, topics, start, Optional.of(options.getGroupId()));
      ArchivePlan plan = ArchivePlan.of(root, offsets, state);
      for (ArchivePlan.Begin begin : plan.begins()) {
        RangeRecord.writeBegin(root, begin, Objects.requireNonNullElse(options.getStartFrom(), "earliest"));
      }
      if (options.getAllowGaps()) {
        for (ArchivePlan.Gap gap : plan.gaps()) {
          RangeRecord.writeGap(root, gap.asChunk(), gap.earliestInLog());
        }
      }
      PipelineResult result = null;
      JobProgress progress = null;
      if (plan.records() > 0) {
        Pipeline pipeline = Pipeline.create(options);
        build(pipeline, options, clientConfig, plan.read(), plan.write());
        // Before run(): FlinkRunner's run blocks until the job ends.
        progress = JobProgress.start(options, ArchivePipeline.class.getName(), ProgressLines.archive(plan.records()), System.err);
        try {
          result = pipeline.run();
        } catch (RuntimeException e) {
          progress.close();
          throw e;
        }
        progress.follow(result);
      }
      return new Run(options, clientConfig, offsets, plan, state, result, progress, started);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or clean the archive at " + root + ": " + e.getMessage(), e);
    }
  }

  /** A run in progress. */
  static final class Run {
    private final ArchiveOptions options;
    private final Map<String, Object> clientConfig;
    private final List<PartitionOffsets> offsets;
    private final ArchivePlan plan;
    private final ArchiveState state;
    private final PipelineResult result;
    private final JobProgress progress;
    private final long started;

    private Run(
        ArchiveOptions options,
        Map<String, Object> clientConfig,
        List<PartitionOffsets> offsets,
        ArchivePlan plan,
        ArchiveState state,
        PipelineResult result,
        JobProgress progress,
        long started) {
      this.options = options;
      this.clientConfig = clientConfig;
      this.offsets = offsets;
      this.plan = plan;
      this.state = state;
      this.result = result;
      this.progress = progress;
      this.started = started;
    }

    ArchivePlan plan() {
      return plan;
    }

    /** Records checked so far (archived or dead-lettered), as the runner reports them. */
    long recordsChecked() {
      return result == null ? 0 : counter(result, "archived") + counter(result, "dead_lettered");
    }

    /**
     * Waits for the pipeline; if it finished, records the chunks that held no record at all, then
     * commits the group's offsets (monitoring only) and writes the run's summary.
     */
    void finish(PrintStream out) {
      String root = Paths.withoutTrailingSlash(options.getOutput());
      if (result != null) {
        PipelineResult.State end;
        try {
          end = result.waitUntilFinish();
          if (end == PipelineResult.State.DONE) {
            progress.finish(result);
          }
        } finally {
          progress.close();
        }
        if (end != PipelineResult.State.DONE) {
          throw new IllegalStateException(
              "the archive run ended in state " + end + "; what it did not record is written again next run");
        }
        recordEmptyChunks(root);
      }
      CrashPoint.reach(BEFORE_GROUP_COMMIT);
      commitGroupOffsets();
      CrashPoint.reach(AFTER_GROUP_COMMIT);
      long archived = result == null ? 0 : counter(result, "archived");
      long deadLettered = result == null ? 0 : counter(result, "dead_lettered");
      long skipped = result == null ? 0 : counter(result, "skipped_offsets");
      long readAgain = result == null ? 0 : counter(result, "already_archived");
      double seconds = (System.nanoTime() - started) / 1e9;
      if (plan.records() > 0) {
        out.printf(
            Locale.ROOT,
            "archive: %,d offsets written from %s in %.1f s: %,d archived under %s/topics, %,d"
                + " dead-lettered under %s/dead-letter, %,d without a record; recorded under %s/ranges;"
                + " offsets committed for group %s%n",
            plan.records(), describe(plan.write()), seconds, archived, root, deadLettered, root, skipped,
            root, options.getGroupId());
      }
      ArchiveSummary summary =
          new ArchiveSummary(
              root, options.getGroupId(), options.getMaxRecordsPerFile(), offsets, plan,
              options.getAllowGaps(), archived, deadLettered, skipped, readAgain,
              state.temporaryFiles(), state.uncommittedFiles(), seconds);
      try {
        summary.write();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the run's summary under " + root + ": " + e.getMessage(), e);
      }
    }

    /**
     * A chunk whose offsets all held no record (compaction, transaction markers) reached no writer;
     * the pipeline finished, so its offsets were read and it is recorded here, all skipped.
     */
    private void recordEmptyChunks(String root) {
      try {
        Set<String> recorded = new HashSet<>();
        for (String topic : topics(options)) {
          for (ResourceId file : ArchiveFiles.listUnder(Chunk.rangeFolder(root, topic))) {
            recorded.add(file.getFilename());
          }
        }
        for (Chunk chunk : new ChunkPlan(plan.write(), options.getMaxRecordsPerFile()).chunks()) {
          if (!recorded.contains(chunk.name() + ".json")) {
            RangeRecord.of(chunk, List.of(), List.of()).write(root);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot record the archive's chunks under " + root + ": " + e.getMessage(), e);
      }
    }

    /** The group's offsets follow the archive (they may have expired, or never been committed). */
    private void commitGroupOffsets() {
      Map<TopicPartition, Long> changed = new HashMap<>();
      for (PartitionOffsets p : offsets) {
        Long next = plan.next().get(p.topicPartition());
        if (next != null && !p.committed().equals(Optional.of(next))) {
          changed.put(p.topicPartition(), next);
        }
      }
      if (!changed.isEmpty()) {
        KafkaOffsets.commit(clientConfig, options.getGroupId(), changed);
      }
    }
  }

  /** Adds one archive run to a pipeline: reads {@code read}, writes only the offsets of {@code write}. */
  static void build(
      Pipeline pipeline,
      ArchiveOptions options,
      Map<String, Object> clientConfig,
      List<PartitionRange> read,
      List<PartitionRange> write) {
    String root = Paths.withoutTrailingSlash(options.getOutput());
    pipeline
        .apply("ReadKafka", ReadKafkaRanges.of(read, clientConfig))
        .apply(
            "CheckRecords",
            ParDo.of(
                new CheckRecordsFn(
                    options.getTopicPrefix(),
                    new ChunkPlan(write, options.getMaxRecordsPerFile()),
                    options.getMaxRecordBytes(),
                    options.getDailyFolders())))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), ChunkLine.Coder.of()))
        .apply("WriteChunks", new WriteChunks(root));
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
