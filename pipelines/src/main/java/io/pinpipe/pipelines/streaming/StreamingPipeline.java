package io.pinpipe.pipelines.streaming;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.EndpointError;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.io.source.RawSource;
import io.pinpipe.pipelines.iceberg.CommitStreamTables;
import io.pinpipe.pipelines.iceberg.IcebergOptions;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.pipelines.iceberg.StreamNote;
import io.pinpipe.pipelines.iceberg.StreamPackSink;
import io.pinpipe.pipelines.iceberg.StreamTableFiles;
import io.pinpipe.pipelines.iceberg.StreamTables;
import io.pinpipe.pipelines.io.kafka.CommitWrittenOffsets;
import io.pinpipe.pipelines.io.kafka.WrittenOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaStreamSource;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.io.kinesis.KinesisOrigins;
import io.pinpipe.pipelines.io.kinesis.KinesisStreamSource;
import io.pinpipe.pipelines.io.kinesis.ShardStarts;
import io.pinpipe.pipelines.io.kinesis.StreamShards;
import io.pinpipe.pipelines.options.FlinkCheckpoints;
import io.pinpipe.pipelines.options.FlinkStreamingDefaults;
import io.pinpipe.pipelines.output.JobFiles;
import io.pinpipe.pipelines.output.OwnedOutput;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.parse.RawRecordCoder;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.ArchiveLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The streaming job (docs/streaming.md): Kafka or Kinesis in, the same cleaning and queries as batch,
 * windowed tables, results, dead letters and summaries out ({@link StreamingSinks}). It runs
 * until stopped, or, with {@code --maxRecordsPerStream} or {@code --maxReadSeconds}, reads that
 * much, fires every window and ends.
 */
public final class StreamingPipeline {
  private StreamingPipeline() {}

  public static void main(String[] args) {
    int status = run(args);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the job; returns the process exit status (0 done, 1 failed, 2 user error). */
  public static int run(String... args) {
    return CommandLine.execute("streaming", () -> runOrFail(args));
  }

  private static void runOrFail(String[] args) {
    StreamingOptions options =
        CommandLine.parseOptions("streaming", args, StreamingOptions.class, StreamingOptions::validate);
    boolean detached = false;
    if (options.getRunner().getSimpleName().equals("FlinkRunner")) {
      detached = FlinkStreamingDefaults.detached(options);
      Optional<java.nio.file.Path> restoring = FlinkCheckpoints.apply(options);
      restoring.ifPresent(
          checkpoint ->
              System.out.println(
                  "streaming: restoring from checkpoint " + checkpoint + " (its read positions and open windows)"));
    }
    FileSystems.setDefaultPipelineOptions(options);
    QuerySettings settings = CommandLine.userInput(() -> QuerySettings.fromOptions(options));
    PackLimits packLimits = CommandLine.userInput(() -> PackLimits.fromOptions(options));
    StreamWindowing windowing = CommandLine.userInput(() -> StreamWindowing.fromOptions(options));
    boolean bounded = StreamingOptions.endsByItself(options);
    OutputLayout output = new OutputLayout(options.getOutput());
    boolean iceberg = IcebergOptions.icebergTables(options);
    // Before the output is claimed: a warehouse or catalog of the wrong shape (scheme, s3:// without
    // a JDBC catalog, a missing driver) leaves it untouched; one that cannot be reached is found
    // when the tables are created or checked, after the claim.
    IcebergCatalog catalogPlace = iceberg ? catalog(options, output) : null;
    RawSource source = source(options, iceberg);
    // Whether the output may be this job's (another job's or foreign files refuse it), checked
    // before anything is read or written.
    OwnedOutput claimed = OwnedOutput.claim(JobFiles.STREAMING, options.getOutput(), List.of(), options.getAdoptOutput());
    // Kinesis into tables: the shards are listed before the output is taken (--overwrite deletes)
    // and tables are created, so a missing stream or AWS setting stops the run with nothing changed.
    java.util.TreeSet<String> listedShards =
        iceberg && source instanceof KinesisStreamSource ? listedShards((KinesisStreamSource) source, options) : null;
    // Its lock (a local output; an s3:// output has none, so run one job per output) is held until
    // this method returns: no other run writes the output meanwhile.
    try (OwnedOutput owned = claimed.own()) {
      // The tables of the output's own warehouse (a Hadoop catalog in <output>/warehouse) are this
      // job's: --overwrite drops them first (a fresh start instead of resuming from their
      // positions), then the files; tables of a JDBC catalog or another warehouse are left alone.
      java.nio.file.Path ownWarehouse = iceberg ? ownLocalWarehouse(catalogPlace, output) : null;
      try {
        if (ownWarehouse != null) {
          StreamTables.removeLeftOvers(ownWarehouse);
        }
        if (options.getOverwrite() && ownWarehouse != null) {
          boolean dropped = StreamTables.dropLocal(ownWarehouse);
          System.out.println(
              "streaming: --overwrite "
                  + (dropped
                      ? "dropped the Iceberg tables " + StreamTables.NAMESPACE + ".* in " + ownWarehouse
                      : "found no tables to drop in " + ownWarehouse));
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      if (options.getOverwrite()) {
        if (iceberg && ownWarehouse == null) {
          System.out.println(
              "streaming: --overwrite leaves the Iceberg tables " + StreamTables.NAMESPACE + ".* in the "
                  + catalogPlace.describe() + " alone (a JDBC catalog or a warehouse other than the output's own):"
                  + " the run resumes from their positions (docs/iceberg.md, \"Where a run starts\")");
        }
        int deleted = owned.deleteOwnFiles();
        System.out.println("streaming: --overwrite removed the " + deleted + " files an earlier run wrote in " + output.root());
      }
      // Without --overwrite a restarted job appends to its output: tables get new pane files, and a
      // window computed again replaces its result and summary files (docs/streaming.md#what-restarts-do-to-the-outputs,
      // README).

      Pipeline pipeline = Pipeline.create(options);
      RawSource reading = source;
      // The Iceberg tables the run commits, for the lines printed at its end (null: Parquet files).
      StreamTables committed = null;
      if (iceberg) {
        StreamTables catalogTables = new StreamTables(catalogPlace);
        CommandLine.userInput(
            () -> {
              catalogTables.createOrCheck();
              return null;
            });
        StreamTables tables;
        CommitStreamTables commit;
        if (source instanceof KafkaStreamSource) {
          KafkaStreamSource kafka = (KafkaStreamSource) source;
          Map<String, Map<String, Long>> recorded = catalogTables.positionsOfAll();
          // --startFrom says where fresh tables start (no table has recorded a position yet); once they
          // have, the job resumes from their positions whatever it says, as Kafka's auto.offset.reset
          // applies to a group without offsets only (docs/iceberg.md#where-a-run-starts).
          boolean fresh = recorded.values().stream().allMatch(Map::isEmpty);
          boolean latest = fresh && "latest".equals(options.getStartFrom());
          Map<String, Long> first = freshStart(options, kafka, fresh);
          Map<String, Long> resume = StreamTables.resumePositions(recorded, first);
          tables =
              windowing.isGlobal()
                  ? forGlobalReplay(catalogTables, kafka.firstTimestampAt(resume), "the first record read")
                  : catalogTables;
          // KafkaIO reads from the group's offsets: set them to where the tables need the read to
          // start, whatever the group said before (a crash between two tables' commits leaves their
          // positions apart: the lowest).
          kafka.startGroupAt(resume, fresh ? (latest ? "latest" : "earliest") : "the Iceberg tables' positions");
          if (latest) {
            // Fresh tables from the end offsets: those offsets are recorded before the read, so a
            // restart before the first commit resumes from this start.
            tables.recordStart(resume);
          }
          System.out.println(
              "streaming: Iceberg tables " + StreamTables.NAMESPACE + ".* in the " + tables.catalogPlace().describe()
                  + (fresh
                      ? "; fresh tables, reading from the " + (latest ? "end" : "earliest") + " offsets " + resume
                      : "; reading from the tables' positions " + resume));
          commit = kafka.commitTables(tables, first, options.getCommitSeconds());
        } else {
          // KinesisIO cannot start a shard at a sequence number: each stream is read from its trim
          // horizon, each shard's records numbered from the tables' lowest anchor, and those up to
          // it dropped (docs/iceberg.md#streaming-from-kinesis).
          KinesisStreamSource kinesis = (KinesisStreamSource) source;
          Map<String, Map<String, Long>> positions = catalogTables.positionsOfAll();
          ShardStarts starts = ShardStarts.of(positions, catalogTables.anchorsOfAll());
          java.util.Set<String> shards = new java.util.TreeSet<>();
          positions.values().forEach(p -> p.keySet().stream().filter(KinesisOrigins::isShardKey).forEach(shards::add));
          try (software.amazon.awssdk.services.kinesis.KinesisClient client = kinesis.client(options)) {
            StreamShards.requireTheseStreams(starts, kinesis.streams(), catalogTables.catalogPlace().describe());
            java.util.TreeSet<String> listed = listedShards;
            java.util.TreeSet<String> gone = StreamShards.unlisted(starts, kinesis.streams(), listed);
            if (!gone.isEmpty()) {
              // Normal once a reshard's parent has expired; a loss only if the job was down longer
              // than the retention before reading it to its end, which nothing left can tell.
              System.out.println(
                  "streaming: the tables hold anchors of shards the streams no longer list (closed, their records"
                      + " expired): " + gone + "; any of their records after the anchors is not in the tables"
                      + " (docs/iceberg.md, \"Streaming from Kinesis\")");
            }
            tables =
                windowing.isGlobal()
                    ? forGlobalReplay(
                        catalogTables,
                        StreamShards.firstArrival(client, listed, starts),
                        "the earliest arrival time among each shard's first record to read")
                    : catalogTables;
          }
          reading = kinesis.forTables(starts);
          System.out.println(
              "streaming: Iceberg tables " + StreamTables.NAMESPACE + ".* in the " + tables.catalogPlace().describe()
                  + "; reading each stream from its trim horizon, each shard " + starts
                  + (starts.fromFirstRecordDespiteAnchors().isEmpty()
                      ? ""
                      : " (from its first record, a table holding none of it: " + starts.fromFirstRecordDespiteAnchors() + ")"));
          commit = CommitStreamTables.forKinesis(tables, shards, options.getCommitSeconds());
        }
        committed = tables;
        buildWithIceberg(
            pipeline,
            reading,
            windowing,
            Duration.standardSeconds(options.getAssemblyWaitSeconds()),
            settings,
            packLimits,
            options.getMaxRecordBytes(),
            output,
            options.getRunner().getSimpleName(),
            tables,
            commit);
      } else {
        build(
          pipeline,
          source,
          windowing,
          Duration.standardSeconds(options.getAssemblyWaitSeconds()),
          settings,
          packLimits,
          options.getMaxRecordBytes(),
          output,
          options.getRunner().getSimpleName(),
          source instanceof KafkaStreamSource
              ? written -> ((KafkaStreamSource) source).commitWritten(written, windowing.allowedLateness())
              : null);
      }

      System.out.println("streaming: " + reading.describe() + " -> " + output.root() + " (" + windowing + ")");
      long started = System.nanoTime();
      // Before run(): FlinkRunner's run blocks until the job ends.
      WindowLines windows = WindowLines.start(options, output, windowing, System.err);
      PipelineResult result;
      try {
        result = pipeline.run();
      } catch (RuntimeException e) {
        windows.close();
        throw e;
      }
      if (detached) {
        // flink run -d (or --attachedMode=false): the cluster runs the job; nothing here waits for it.
        windows.close();
        System.out.println(
            "streaming: submitted detached; the job runs on the Flink cluster until cancelled (flink cancel <job id>),"
                + " each window written to " + output.root() + " when it closes");
        return;
      }
      CountDownLatch reported = new CountDownLatch(1);
      AtomicBoolean stopping = new AtomicBoolean();
      if (!bounded) {
        System.out.println("streaming: running until stopped (Ctrl-C); each window is written when it closes");
        // Ctrl-C / SIGTERM: cancel the job, then let the main thread say so before the JVM exits.
        Runtime.getRuntime()
            .addShutdownHook(
                new Thread(
                    () -> {
                      stopping.set(true);
                      cancelQuietly(result);
                      awaitQuietly(reported);
                    }));
      }
      try {
        PipelineResult.State state = result.waitUntilFinish();
        if (stopping.get()) {
          System.out.println(
              "streaming: stopped; the windows that had closed are in " + output.root()
                  + (iceberg
                      ? " (the Iceberg tables hold what they committed; a restart resumes from their positions)"
                      : options.getSource().equals("kafka")
                      ? " (a restart resumes from group " + options.getGroupId() + "'s committed offsets)"
                      : " (a restart starts at --startFrom; see docs/streaming.md)"));
          return;
        }
        if (state != PipelineResult.State.DONE) {
          throw new IllegalStateException("the pipeline ended in state " + state);
        }
        windows.finish();
        StreamingConsole.print(output, windowing, (System.nanoTime() - started) / 1e9, committed, System.out);
      } finally {
        windows.close();
        reported.countDown();
      }
    }
  }

  /**
   * The job's graph: reads, processing, writers and, given {@code commits} (Kafka), the offset
   * commits that wait for the writers (docs/streaming.md#what-the-job-commits-to-kafka).
   * Apart from running, so a test can walk it.
   */
  static void build(
      Pipeline pipeline,
      RawSource source,
      StreamWindowing windowing,
      Duration assemblyWait,
      QuerySettings settings,
      PackLimits packLimits,
      int maxRecordBytes,
      OutputLayout output,
      String runner,
      @Nullable Function<List<PCollection<?>>, CommitWrittenOffsets> commits) {
    Map<RecordKind, PCollection<RawRecord>> raw = new EnumMap<>(RecordKind.class);
    Map<RecordKind, PCollection<KV<Integer, RecordPack>>> packedAsRead = new EnumMap<>(RecordKind.class);
    readKinds(pipeline, source, packLimits, maxRecordBytes, raw, packedAsRead);
    // The tables are written by the step that cleans a bucket, as batch's are (docs/streaming.md#windows-and-triggers).
    StreamingJob job =
        StreamingJob.build(
            raw, packedAsRead, windowing, assemblyWait, settings, packLimits, maxRecordBytes, StreamingSinks.tables(output));
    List<PCollection<?>> written = StreamingSinks.write(job, windowing, output, source.describe(), runner);
    if (commits != null) {
      // Offsets are committed once their records are in written files (docs/streaming.md#what-the-job-commits-to-kafka).
      job.recordPacks().apply("CommitKafkaOffsets", commits.apply(written));
    }
  }

  /**
   * The job's graph with Iceberg tables (docs/iceberg.md#streaming): the bucket step writes the
   * kinds' data files, the writers those of the dead letters and results, and one step commits
   * them, with every window's offsets, every {@code --commitSeconds}.
   */
  static void buildWithIceberg(
      Pipeline pipeline,
      RawSource source,
      StreamWindowing windowing,
      Duration assemblyWait,
      QuerySettings settings,
      PackLimits packLimits,
      int maxRecordBytes,
      OutputLayout output,
      String runner,
      StreamTables tables,
      CommitStreamTables commit) {
    Map<RecordKind, PCollection<RawRecord>> raw = new EnumMap<>(RecordKind.class);
    Map<RecordKind, PCollection<KV<Integer, RecordPack>>> packedAsRead = new EnumMap<>(RecordKind.class);
    readKinds(pipeline, source, packLimits, maxRecordBytes, raw, packedAsRead);
    StreamingJob job =
        StreamingJob.build(
            raw,
            packedAsRead,
            windowing,
            assemblyWait,
            settings,
            packLimits,
            maxRecordBytes,
            new StreamPackSink(tables, windowing.allowedLateness().getMillis()));
    PCollection<StreamNote> files = StreamingSinks.writeIceberg(job, windowing, output, source.describe(), runner, tables);
    PCollectionList<StreamNote> notes = PCollectionList.of(files);
    if (source instanceof KinesisStreamSource) {
      // Each Kinesis shard's highest-numbered record per window: the anchors the commits record.
      notes =
          notes.and(
              job.recordPacks()
                  .apply(
                      "ShardAnchorsPerWindow",
                      ParDo.of(StreamTableFiles.anchorNotes(windowing.allowedLateness().getMillis())))
                  .setCoder(StreamNote.Coder.of())
                  .apply("AnchorNotesInGlobalWindow", StreamingSinks.notesInGlobalWindow()));
    }
    PCollection<StreamNote> offsets =
        job.recordPacks()
            .apply(
                "SummariseOffsetsPerWindow",
                ParDo.of(CommitWrittenOffsets.summariseOffsets(windowing.allowedLateness())))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), WrittenOffsets.Coder.of()))
            .apply("OffsetNotes", ParDo.of(StreamTableFiles.offsetNotes()))
            .setCoder(StreamNote.Coder.of())
            .apply("OffsetNotesInGlobalWindow", StreamingSinks.notesInGlobalWindow());
    notes
        .and(offsets)
        .apply("FilesAndOffsets", Flatten.pCollections())
        .apply("CommitIcebergTables", commit);
  }

  /**
   * Each kind's read: packed as read where the source can (Kafka, bounded or live: no record is an
   * element of its own, docs/streaming.md#the-read), else one record an element (Kinesis), packed by the
   * next step.
   */
  private static void readKinds(
      Pipeline pipeline,
      RawSource source,
      PackLimits packLimits,
      int maxRecordBytes,
      Map<RecordKind, PCollection<RawRecord>> raw,
      Map<RecordKind, PCollection<KV<Integer, RecordPack>>> packedAsRead) {
    for (RecordKind kind : RecordKind.values()) {
      String name = "Read" + capitalized(kind.id()) + "Records";
      Optional<PTransform<PBegin, PCollection<KV<Integer, RecordPack>>>> packedRead =
          source.readPacked(kind, packLimits, maxRecordBytes);
      if (packedRead.isPresent()) {
        packedAsRead.put(kind, pipeline.apply(name, packedRead.get()));
      } else {
        // Between the read and the packing the records are copied once more on Flink (chained
        // steps): with a plain coder, not the schema's.
        raw.put(kind, pipeline.apply(name, source.read(kind)).setCoder(RawRecordCoder.of()));
      }
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The output's own warehouse, {@code <output>/warehouse} on the local disk, when {@code place} is
   * a Hadoop catalog there; else null (a JDBC catalog may hold other jobs' tables, and another
   * folder is not the output's).
   */
  private static java.nio.file.Path ownLocalWarehouse(IcebergCatalog place, OutputLayout output) {
    if (place.isJdbc() || place.warehouse().contains("://") || output.root().contains("://")) {
      return null;
    }
    java.nio.file.Path own = java.nio.file.Path.of(output.root(), "warehouse").toAbsolutePath().normalize();
    return java.nio.file.Path.of(place.warehouse()).toAbsolutePath().normalize().equals(own) ? own : null;
  }

  /**
   * Where each partition ({@code <topic>+<partition>+}) starts for a table that recorded no position
   * yet: the earliest offset in the log, or with {@code --startFrom=latest} on fresh tables (none
   * recorded a position) the end offset now, which the first commit then records as any position.
   * Once a table has recorded positions a given {@code --startFrom} is noted and left aside: a
   * restart keeps the command line of the first run, and only the tables' positions keep the
   * restart exactly once.
   */
  private static Map<String, Long> freshStart(StreamingOptions options, KafkaStreamSource kafka, boolean fresh) {
    String startFrom = options.getStartFrom();
    if (startFrom != null && !fresh) {
      System.out.println(
          "streaming: --startFrom=" + startFrom + " is where fresh tables start; these hold positions, so the job"
              + " resumes from them");
    }
    return fresh && "latest".equals(startFrom) ? kafka.endOffsets() : kafka.earliestOffsets();
  }

  /**
   * The tables for a bounded replay into one global window (docs/iceberg.md#one-global-window):
   * every row's {@code ingestion_date} is the UTC day of {@code first}, the time of the first records
   * the replay reads where the tables' positions start it (Kafka: the earliest timestamp of each
   * partition's record at the tables' position; Kinesis: the earliest arrival time of each shard's
   * first record above the tables' anchor, or at its trim horizon), looked up before the pipeline
   * starts, so a restart after a kill, which starts from the same positions, gives the same day;
   * the day the job starts when no partition or shard has a record there yet (a time-bound replay
   * waiting for records).
   */
  private static StreamTables forGlobalReplay(StreamTables tables, java.util.OptionalLong first, String what) {
    long millis = first.isPresent() ? first.getAsLong() : System.currentTimeMillis();
    java.time.LocalDate day = java.time.LocalDate.ofEpochDay(Math.floorDiv(millis, 86_400_000L));
    System.out.println(
        "streaming: one global window: every row's ingestion_date is " + day
            + (first.isPresent() ? " (" + what + ")" : " (no record to read yet: today)"));
    return tables.forGlobalReplay(day);
  }

  /** Every shard the Kinesis streams list ({@link StreamShards#listed}). */
  private static java.util.TreeSet<String> listedShards(KinesisStreamSource kinesis, StreamingOptions options) {
    try (software.amazon.awssdk.services.kinesis.KinesisClient client = kinesis.client(options)) {
      return StreamShards.listed(client, kinesis.streams());
    }
  }

  /**
   * The tables' catalog (docs/iceberg.md#catalogs), as batch's: JDBC with --catalogUri, else
   * Hadoop; the warehouse {@code <output>/warehouse} unless --warehouse, on {@code s3://} with a
   * JDBC catalog only, its files through S3FileIO with the S3 options.
   */
  private static IcebergCatalog catalog(StreamingOptions options, OutputLayout output) {
    String place = options.getWarehouse() == null ? output.root() + "/warehouse" : options.getWarehouse();
    return IcebergCatalog.at(
        place,
        options.getCatalogUri(),
        options.getCatalogName(),
        options.getEndpoint(),
        options.getAwsRegion() == null ? null : options.getAwsRegion().id(),
        options.getS3PathStyleAccess());
  }

  /** The source --source names ({@link StreamingOptions#validate} made sure it names one). */
  private static RawSource source(StreamingOptions options, boolean iceberg) {
    Duration maxReadTime =
        options.getMaxReadSeconds() > 0 ? Duration.standardSeconds(options.getMaxReadSeconds()) : null;
    switch (options.getSource()) {
      case "kafka":
        Map<String, Object> config = KafkaOffsets.clientConfig(options);
        // The topics must exist: KafkaIO would fail later with a stack trace, not a sentence.
        KafkaOffsets.plan(config, topics(options.getTopicPrefix()), StartPosition.earliest(), Optional.empty());
        // With Iceberg tables the job sets the group's offsets to where the tables start before the
        // read begins (--startFrom is checked in StreamingOptions.validate).
        StartPosition start =
            iceberg
                ? StartPosition.committed()
                : CommandLine.userInput(
                    () -> StartPosition.parse(Objects.requireNonNullElse(options.getStartFrom(), "committed"), true));
        return new KafkaStreamSource(
            config, options.getTopicPrefix(), start, options.getGroupId(), options.getMaxRecordsPerStream(), maxReadTime);
      case "kinesis":
        if (options.getEndpoint() != null) {
          // A local or compatible endpoint that does not answer: one line and status 1 now, not a
          // failure inside the running job (AWS's own endpoints are left to the SDK).
          EndpointError.requireReachable("Kinesis", options.getEndpoint());
        }
        return CommandLine.userInput(
            () ->
                new KinesisStreamSource(
                    options.getTopicPrefix(),
                    Objects.requireNonNullElse(options.getStartFrom(), "earliest"),
                    options.getMaxRecordsPerStream(),
                    maxReadTime));
      default:
        throw new IllegalStateException("--source " + options.getSource() + " passed StreamingOptions.validate");
    }
  }

  private static List<String> topics(String prefix) {
    List<String> topics = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      topics.add(ArchiveLayout.topic(prefix, kind));
    }
    return topics;
  }

  private static void cancelQuietly(PipelineResult result) {
    try {
      result.cancel();
    } catch (Exception e) {
      // Stopping anyway: the runner is going down with the JVM.
    }
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
