package io.pinpipe.pipelines.batch;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.iceberg.BatchTables;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.pipelines.iceberg.IcebergOptions;
import io.pinpipe.transforms.onepass.TablePackSink;
import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.pipelines.progress.JobProgress;
import io.pinpipe.pipelines.progress.ProgressLines;
import io.pinpipe.pipelines.io.sink.DeadLetterJson;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.io.source.InputFiles;
import io.pinpipe.pipelines.io.sink.ParquetTables;
import io.pinpipe.pipelines.io.layout.Paths;
import io.pinpipe.pipelines.io.source.Preflight;
import io.pinpipe.pipelines.output.BatchRuns;
import io.pinpipe.pipelines.output.JobFiles;
import io.pinpipe.pipelines.output.OutputManifest;
import io.pinpipe.pipelines.output.OwnedOutput;
import io.pinpipe.pipelines.options.CleanAndQueryOptions;
import io.pinpipe.pipelines.io.source.ArchiveSource;
import io.pinpipe.pipelines.io.source.RawSource;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaSource;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.io.kafka.PartitionRange;
import io.pinpipe.pipelines.io.sink.SortedLines;
import io.pinpipe.pipelines.io.sink.WholeFile;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.pipelines.report.html.ReportFile;
import io.pinpipe.pipelines.report.SumByKey;
import io.pinpipe.transforms.onepass.CleanAndQuery;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.contract.RecordKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The daily batch job: reads the raw archive (or Kafka), applies {@link CleanAndQuery} in the
 * global window, and writes {@code results/} (CSV), {@code tables/} (Parquet), {@code dead-letter/},
 * {@code summary.json} and {@code report.html} into a run folder of its output, which it then
 * commits ({@link BatchRuns}). The streaming job applies the same composite; this class only wires
 * sources and sinks around it (docs/design.md#one-composite-two-jobs).
 */
public final class BatchPipeline {
  private BatchPipeline() {}

  public static void main(String[] args) {
    int status = run(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the job; returns the process exit status (0 done, 1 failed, 2 user error). */
  public static int run(String... args) {
    return CommandLine.execute("batch", () -> runOrFail(args));
  }

  private static void runOrFail(String[] args) {
    BatchOptions options = CommandLine.parseOptions("batch", args, BatchOptions.class, BatchOptions::validate);
    FileSystems.setDefaultPipelineOptions(options);
    QuerySettings settings = CleanAndQueryOptions.querySettings(options);
    PackLimits packLimits = CleanAndQueryOptions.packLimits(options);
    boolean iceberg = IcebergOptions.icebergTables(options);
    RawSource input = source(options);
    if (iceberg && input instanceof KafkaSource) {
      requireTheWholeLog((KafkaSource) input);
    }
    List<String> days = List.of();
    if (iceberg && input instanceof ArchiveSource) {
      // The days the tables' commits replace: --date's, or those of the archive's dt= folders. (From
      // Kafka they are the records' arrival days, known when the files are written.)
      days = options.getDate() != null ? List.of(options.getDate()) : archiveDays((ArchiveSource) input);
      if (options.getDate() == null && days.size() == 1) {
        // Read that day's folder only, as --date would: rows are labelled with the day listed.
        input = ((ArchiveSource) input).ofDay(days.get(0));
      }
    }
    List<String> inputFolders = options.getInput() == null ? List.of() : List.of(options.getInput());
    // Held until this method returns: no other run writes the output meanwhile.
    try (OwnedOutput owned =
        OwnedOutput.claim(JobFiles.BATCH, options.getOutput(), inputFolders, options.getAdoptOutput())) {
      runInto(owned, options, input, settings, packLimits, iceberg, days);
    }
  }

  /**
   * The archive's days, each record's {@code ingestion_date} in a run without --date: a file
   * outside a {@code dt=} folder is a user error that names it (docs/iceberg.md#runs-without---date).
   */
  private static List<String> archiveDays(ArchiveSource input) {
    List<String> days;
    try {
      days = new java.util.ArrayList<>(input.days());
    } catch (IllegalArgumentException e) {
      // Iceberg is the default: an archive without daily folders (emulator generate's) needs a way out.
      throw new UserError(
          "Iceberg tables (--tableFormat=iceberg, the default) without --date: " + e.getMessage()
              + "; put the files under dt=<YYYY-MM-DD>/ folders (the archive job does), or give --tableFormat=parquet"
              + " for plain Parquet tables, which need no day");
    }
    if (days.isEmpty()) {
      throw new UserError(
          "Iceberg tables (--tableFormat=iceberg, the default): no input files under " + input.describe()
              + " (the tables' days are their dt= folders)");
    }
    return days;
  }

  private static void runInto(
      OwnedOutput owned,
      BatchOptions options,
      RawSource input,
      QuerySettings settings,
      PackLimits packLimits,
      boolean iceberg,
      List<String> days) {
    // Checked before the run touches the output.
    IcebergCatalog catalog = iceberg ? catalog(options, owned) : null;
    BatchRuns.Run run = BatchRuns.begin(owned, options.getOverwrite(), System.out);
    // Everything goes into the run's own folder; the commit makes it the output (docs/design.md#batch-one-run-committed-in-one-step).
    OutputLayout output = new OutputLayout(run.path());
    String shown = owned.root().isLocal() ? owned.root().root() : run.path();
    try {
      // A run's id, new each run (not each attempt of a step): each table's commit carries it.
      String runId = java.util.UUID.randomUUID().toString();
      BatchTables tables =
          !iceberg
              ? null
              : days.isEmpty()
                  // From Kafka: each row's day is its record's arrival day (docs/iceberg.md#runs-from-kafka).
                  ? BatchTables.ofArrivalDays(catalog, runId, run.path())
                  : new BatchTables(catalog, days, runId, run.path());
      if (tables != null) {
        CommandLine.userInput(tables::createOrCheck);
      }
      Pipeline pipeline = Pipeline.create(options);
      String runner = options.getRunner().getSimpleName();
      build(pipeline, input, output, settings, packLimits, options.getMaxRecordBytes(), runner, tables);

      long started = System.nanoTime();
      PipelineResult.State state;
      try (JobProgress progress = JobProgress.start(options, JobCounters.NAMESPACE, ProgressLines::batch, System.err)) {
        PipelineResult result = pipeline.run();
        progress.follow(result);
        state = result.waitUntilFinish();
        if (state == PipelineResult.State.DONE) {
          progress.finish(result);
        }
      }
      if (state != PipelineResult.State.DONE) {
        throw new IllegalStateException("the pipeline ended in state " + state);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      ConsoleSummary.print(output, shown, BatchResults.outputNames(), seconds, tables == null, System.out);
      if (tables != null) {
        for (String line : tables.committedSnapshots()) {
          System.out.println("  iceberg: " + line);
        }
      }
      ReportFile.write(output, shown, BatchResults.outputNames(), seconds);
      run.commit();
      System.out.println("  report: " + Paths.join(shown, "report.html"));
      System.out.println("  committed: " + run.name() + " (named by " + Paths.join(owned.root().root(), OutputManifest.FILE) + ")");
    } catch (RuntimeException e) {
      // The previous output stays as it was; the unfinished run's folder goes.
      run.abandon();
      throw e;
    }
  }

  /** The tables' catalog (docs/iceberg.md#catalogs): the warehouse {@code <output>/warehouse} unless --warehouse. */
  private static IcebergCatalog catalog(BatchOptions options, OwnedOutput owned) {
    String given = options.getWarehouse();
    return IcebergCatalog.at(
        given == null ? Paths.join(owned.root().root(), "warehouse") : given,
        options.getCatalogUri(),
        options.getCatalogName(),
        options.getEndpoint(),
        options.getAwsRegion() == null ? null : options.getAwsRegion().id(),
        options.getS3PathStyleAccess());
  }

  /**
   * A run from Kafka into Iceberg tables replaces every arrival day it read with what it read of it
   * (docs/iceberg.md#runs-from-kafka): only right if it read every record of those days. So it
   * reads each partition's whole log, from the earliest offset ({@link BatchOptions#validate} refuses
   * another --startFrom), and a log that retention (or a deletion) has cut is refused: its oldest day
   * would be replaced with what is left of it.
   */
  private static void requireTheWholeLog(KafkaSource kafka) {
    for (RecordKind kind : RecordKind.values()) {
      for (PartitionRange range : kafka.ranges(kind)) {
        if (range.start() > 0) {
          throw new UserError(
              range.topic() + " partition " + range.partition() + " begins at offset " + range.start()
                  + " (the records before it are gone: retention or a deletion), so its oldest day cannot be"
                  + " replaced whole in the Iceberg tables; run batch on the archive the archive job wrote"
                  + " (--input), or give --tableFormat=parquet");
        }
      }
    }
  }

  /**
   * The archive under --input, or, with --bootstrapServers, the topics themselves from --startFrom
   * (default earliest) to their end offsets now ({@link BatchOptions#validate} made sure it is one
   * of them).
   */
  private static RawSource source(BatchOptions options) {
    if (options.getInput() != null) {
      ArchiveLayout layout =
          CommandLine.userInput(
              () -> new ArchiveLayout(options.getInput(), options.getTopicPrefix(), options.getDate()));
      Preflight.checkInput(layout);
      return new ArchiveSource(layout);
    }
    StartPosition start = CommandLine.userInput(() -> BatchOptions.startPosition(options));
    return KafkaSource.plan(KafkaOffsets.clientConfig(options), options.getTopicPrefix(), start);
  }

  /**
   * Adds the whole batch job to a pipeline: read each kind, {@link CleanAndQuery} in the global
   * window, write what it returns.
   */
  public static void build(
      Pipeline pipeline, RawSource input, OutputLayout output, QuerySettings settings, String runner) {
    build(pipeline, input, output, settings, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES, runner, null);
  }

  /** {@link #build} with the packed elements' bounds and the largest record parsed. */
  public static void build(
      Pipeline pipeline,
      RawSource input,
      OutputLayout output,
      QuerySettings settings,
      PackLimits packLimits,
      int maxRecordBytes,
      String runner,
      BatchTables iceberg) {
    Map<RecordKind, PCollection<RawRecord>> raw = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      raw.put(kind, pipeline.apply("Read" + capitalized(kind.id()) + "Records", input.read(kind)));
    }
    // A run of several days writes its Iceberg tables in a pass of its own, per day (IcebergOutput);
    // this pass then writes no table.
    boolean perDay = iceberg != null && iceberg.perRecordDays();
    CleanAndQuery cleanAndQuery =
        CleanAndQuery.inGlobalWindow(settings)
            .withPackLimits(packLimits)
            .withMaxRecordBytes(maxRecordBytes)
            .writingTablesWith(perDay ? IcebergOutput.NoTables.INSTANCE : tableSink(output, iceberg));
    if ("SparkRunner".equals(runner)) {
      // SparkRunner gathers a global-window grouping into in-memory lists per key and caches it,
      // which held half the input per task on heap; sorted, the heap stays bounded (docs/design.md#one-keyed-pass).
      // (The per-day pass groups in day windows, which SparkRunner already sorts.)
      cleanAndQuery = cleanAndQuery.withSortedGroupings();
    }
    PCollectionTuple processed = CleanAndQuery.inputs(raw).apply("CleanAndQuery", cleanAndQuery);

    for (RecordKind kind : RecordKind.values()) {
      String name = capitalized(kind.id());
      processed
          .get(CleanAndQuery.deadLetters(kind))
          .apply("Format" + name + "DeadLetters", MapElements.into(TypeDescriptors.strings()).via((DeadLetter d) -> DeadLetterJson.toJsonLine(d)))
          .apply("Sort" + name + "DeadLetters", Combine.globally(SortedLines.naturally()))
          .apply("Write" + name + "DeadLetters", WholeFile.to(output.deadLetterFile(kind)));
    }
    BatchResults.write(processed, output);

    String inputRoot = input.describe();
    InputFiles files = input.files();
    PCollection<String> summary =
        processed
            .get(CleanAndQuery.COUNTS)
            .apply("SumCounts", Combine.globally(new SumByKey()))
            .apply(
                "FormatSummary",
                MapElements.into(TypeDescriptors.strings())
                    .via(sums -> RunSummary.toJson(inputRoot, runner, files, sums)));
    if (iceberg != null) {
      PCollection<String> commits =
          IcebergOutput.commit(pipeline, raw, processed, settings, packLimits, maxRecordBytes, iceberg);
      // summary.json names each table's snapshot, so it is written after the commits.
      summary = summary.apply("AddIcebergSnapshots", IcebergOutput.snapshotsInto(commits, iceberg));
    }
    summary.apply("WriteSummary", WholeFile.to(output.summaryJson()));
  }

  /** Parquet files in the run folder's tables/, or Iceberg data files for the commit step. */
  private static TablePackSink tableSink(OutputLayout output, BatchTables iceberg) {
    return iceberg == null ? ParquetTables.packFilesIn(tableDirs(output), "part") : iceberg.packSink();
  }

  private static Map<RecordKind, String> tableDirs(OutputLayout output) {
    Map<RecordKind, String> dirs = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      dirs.put(kind, output.tableDir(kind));
    }
    return dirs;
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

}
