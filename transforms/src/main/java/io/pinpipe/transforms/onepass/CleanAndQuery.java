package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.assemble.AssemblePosts;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.quality.BundleCounts;
import io.pinpipe.transforms.queries.PinterestQueries;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The whole job between reading and writing, the same for batch and streaming: raw records of the
 * three kinds in; each kind's clean table rows and dead letters, the nine query outputs and the
 * data-quality counts out (docs/design.md#one-composite-two-jobs).
 * The jobs only read, pass in their windowing, and write.
 *
 * <pre>{@code
 * PCollectionTuple out = CleanAndQuery.inputs(raw).apply("CleanAndQuery", CleanAndQuery.inGlobalWindow(settings));
 * out.get(CleanAndQuery.table(RecordKind.PIN));        // Row, RecordSchemas.PIN
 * out.get(CleanAndQuery.deadLetters(RecordKind.PIN));  // DeadLetter
 * out.get(QueryOutput.Q1.tag());                        // Row, QueryOutput.Q1.schema()
 * out.get(CleanAndQuery.COUNTS);                        // KV<key, n>, to be summed per key and window
 * }</pre>
 *
 * <h3>One keyed pass</h3>
 *
 * Records are packed per row-number bucket ({@link PackRecordsFn}) and cross one shuffle; after it,
 * one step per bucket parses, drops exact duplicates, cleans, joins each row number's records
 * into a post and adds it to every query's accumulator ({@link ProcessBucketFn}). A bundle's
 * accumulators are merged once per window ({@link MergePartialsFn}); q6's distinct persons, which
 * grow with the input, are counted in shards after a second, small shuffle ({@link
 * CountPersonsFn}). Rules and queries stay where they are defined (clean/, queries/ with the
 * combiners of aggregate/ and the outputs of results/); this package only schedules them.
 *
 * <h3>Windowing</h3>
 *
 * In batch everything is in the global window. A streaming job passes its windows with two
 * triggers: the tables' (appends, possibly early and late panes) and the results' (one pane per
 * window, at its end plus the allowed lateness, since a later pane cannot retract an earlier
 * pane's tops and medians). When both fire once per window, one pass serves both; otherwise the
 * packs are grouped twice, once per trigger. Streaming jobs may also hold records until their post
 * is complete ({@link AssemblePosts}), so a post's three records fall into one window; then records
 * are packed right after the read (by bucket, with their event times) and assembly reads and
 * releases packs, so after the read no step handles a record as an element of its own.
 */
public final class CleanAndQuery extends PTransform<PCollectionTuple, PCollectionTuple> {

  /** Data-quality, post-assembly and result-row counts, {@code KV<key, n>}, per window. */
  public static final TupleTag<KV<String, Long>> COUNTS = new TupleTag<KV<String, Long>>("counts") {};

  /**
   * Streaming only: every record as packed for the shuffle, in the window it was finally assigned
   * (after post assembly), with that window's end as timestamp: what a job needs to know which
   * window each record went into (the streaming job's Kafka offset commits, docs/streaming.md#what-the-job-commits-to-kafka).
   */
  public static final TupleTag<KV<Integer, RecordPack>> RECORD_PACKS =
      new TupleTag<KV<Integer, RecordPack>>("record-packs") {};

  /**
   * With {@link #writingTablesWith} and a sink that {@link TablePackSink#returnsNotes}: its notes on
   * the files it wrote (Iceberg data files, which one step after commits); absent otherwise.
   */
  public static final TupleTag<byte[]> WRITTEN_FILES = ProcessBucketFn.WRITTEN_FILES;

  private static final Map<RecordKind, TupleTag<RawRecord>> RAW = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, TupleTag<Row>> TABLES = new EnumMap<>(RecordKind.class);
  private static final Map<RecordKind, TupleTag<KV<Integer, RecordPack>>> PACKED_AS_READ = new EnumMap<>(RecordKind.class);

  static {
    for (RecordKind kind : RecordKind.values()) {
      RAW.put(kind, new TupleTag<>("raw-" + kind.id()));
      PACKED_AS_READ.put(kind, new TupleTag<>("packed-as-read-" + kind.id()));
      TABLES.put(kind, new TupleTag<>("clean-" + kind.id()));
    }
  }

  private final QuerySettings settings;
  private final @Nullable Window<Object> tablesWindowing;
  private final @Nullable Window<Object> resultsWindowing;
  private final boolean tablesFireWithResults;
  private final @Nullable Duration assemblyWait;
  private final PackLimits limits;
  private final int maxRecordBytes;
  private final boolean packedTables;
  private final @Nullable TablePackSink tableSink;
  private final boolean sortedGroupings;
  private final boolean jobCounters;

  private CleanAndQuery(
      QuerySettings settings,
      @Nullable Window<Object> tablesWindowing,
      @Nullable Window<Object> resultsWindowing,
      boolean tablesFireWithResults,
      @Nullable Duration assemblyWait,
      PackLimits limits,
      int maxRecordBytes,
      boolean packedTables,
      @Nullable TablePackSink tableSink,
      boolean sortedGroupings,
      boolean jobCounters) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.tablesWindowing = tablesWindowing;
    this.resultsWindowing = resultsWindowing;
    this.tablesFireWithResults = tablesFireWithResults;
    this.assemblyWait = assemblyWait;
    this.limits = Objects.requireNonNull(limits, "limits");
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes must be positive: " + maxRecordBytes);
    }
    this.maxRecordBytes = maxRecordBytes;
    this.packedTables = packedTables;
    this.tableSink = tableSink;
    this.sortedGroupings = sortedGroupings;
    this.jobCounters = jobCounters;
  }

  /** Batch: the input in the global window (as a batch source gives it), no trigger. */
  public static CleanAndQuery inGlobalWindow(QuerySettings settings) {
    return new CleanAndQuery(
        settings, null, null, true, null, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES, false, null, false, true);
  }

  /**
   * Streaming: {@code results} assigns the windows with the results' trigger; {@code tables} is
   * the tables' trigger for records already in those windows ({@code Window.configure()}, no
   * {@code WindowFn}); {@code fireTogether} says both fire once per window, so one pass serves both.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static CleanAndQuery windowed(
      QuerySettings settings, Window<?> tables, Window<?> results, boolean fireTogether) {
    return new CleanAndQuery(
        settings,
        (Window) Objects.requireNonNull(tables, "tables"),
        (Window) Objects.requireNonNull(results, "results"),
        fireTogether,
        null,
        PackLimits.defaults(),
        JsonRecordParser.DEFAULT_MAX_RECORD_BYTES,
        false,
        null,
        false,
        true);
  }

  /** Holds records until their post is complete or {@code maxWait} of event time has passed. */
  public CleanAndQuery withPostAssembly(Duration maxWait) {
    return new CleanAndQuery(
        settings, tablesWindowing, resultsWindowing, tablesFireWithResults, maxWait, limits, maxRecordBytes, packedTables, tableSink, sortedGroupings, jobCounters);
  }

  /** Bounds the packed elements between steps. */
  public CleanAndQuery withPackLimits(PackLimits packLimits) {
    return new CleanAndQuery(
        settings, tablesWindowing, resultsWindowing, tablesFireWithResults, assemblyWait, packLimits, maxRecordBytes, packedTables, tableSink, sortedGroupings, jobCounters);
  }

  /** Dead-letters records larger than {@code bytes}, with their whole payload. */
  public CleanAndQuery withMaxRecordBytes(int bytes) {
    return new CleanAndQuery(
        settings, tablesWindowing, resultsWindowing, tablesFireWithResults, assemblyWait, limits, bytes, packedTables, tableSink, sortedGroupings, jobCounters);
  }

  /**
   * Returns each kind's table rows packed, under {@link #tablePacks(RecordKind)}, instead of one
   * element per row under {@link #table(RecordKind)}: for a writer that writes a pack as a file
   * (bounded, and named alike when a pane is computed again), and so never gathers a pane's rows.
   */
  public CleanAndQuery withPackedTables() {
    return new CleanAndQuery(
        settings, tablesWindowing, resultsWindowing, tablesFireWithResults, assemblyWait, limits, maxRecordBytes, true, tableSink, sortedGroupings, jobCounters);
  }

  /**
   * Writes each pack of table rows with {@code sink} in the step that makes it, and returns no
   * table outputs: the rows never travel as elements. For a runner that copies a multi-output step's
   * whole output to each of its readers (Flink's batch engine), that is most of the bytes it moves.
   */
  public CleanAndQuery writingTablesWith(TablePackSink sink) {
    return new CleanAndQuery(
        settings,
        tablesWindowing,
        resultsWindowing,
        tablesFireWithResults,
        assemblyWait,
        limits,
        maxRecordBytes,
        packedTables,
        Objects.requireNonNull(sink, "sink"),
        sortedGroupings,
        jobCounters);
  }

  /**
   * Batch on SparkRunner: groups the packs by bucket and q6's persons by shard in one window that
   * holds all time ({@link AllTimeWindows}) and puts the groups back into the global window at once.
   * The results are the same; what changes is how SparkRunner groups: sorted and streamed to the
   * bucket step within Spark's spill accounting, instead of gathered into in-memory lists per key
   * and cached, which held half the input per task on heap (docs/design.md#one-keyed-pass).
   * Ignored for windowed (streaming) input, which is not in the global window.
   */
  public CleanAndQuery withSortedGroupings() {
    return new CleanAndQuery(
        settings, tablesWindowing, resultsWindowing, tablesFireWithResults, assemblyWait, limits, maxRecordBytes, packedTables, tableSink, true, jobCounters);
  }

  /**
   * Leaves the job's Beam counters ({@link io.pinpipe.transforms.quality.JobCounters}: the progress
   * lines and a runner's metrics) alone: for a second pass over records the job already counts,
   * so they are not counted twice. The quality counts it returns are unchanged.
   */
  public CleanAndQuery withoutJobCounters() {
    return new CleanAndQuery(
        settings, tablesWindowing, resultsWindowing, tablesFireWithResults, assemblyWait, limits, maxRecordBytes, packedTables, tableSink, sortedGroupings, false);
  }

  /** The input: each kind's raw records under {@link #raw(RecordKind)}. */
  public static PCollectionTuple inputs(Map<RecordKind, PCollection<RawRecord>> raw) {
    PCollectionTuple tuple = null;
    for (RecordKind kind : RecordKind.values()) {
      PCollection<RawRecord> records = Objects.requireNonNull(raw.get(kind), kind.id());
      tuple = tuple == null ? PCollectionTuple.of(raw(kind), records) : tuple.and(raw(kind), records);
    }
    return tuple;
  }

  /**
   * The input of a streaming job with post assembly whose reads pack their records themselves
   * ({@link AsReadPacker}): each kind either as raw records ({@code raw}) or as the packs its
   * reader made ({@code packedAsRead}, keyed by bucket, timed, in the global window), not both.
   */
  public static PCollectionTuple inputs(
      Map<RecordKind, PCollection<RawRecord>> raw, Map<RecordKind, PCollection<KV<Integer, RecordPack>>> packedAsRead) {
    PCollectionTuple tuple = null;
    for (RecordKind kind : RecordKind.values()) {
      PCollection<RawRecord> records = raw.get(kind);
      PCollection<KV<Integer, RecordPack>> packs = packedAsRead.get(kind);
      if ((records == null) == (packs == null)) {
        throw new IllegalArgumentException(kind.id() + ": give its raw records or its packs as read, one of them");
      }
      if (records != null) {
        tuple = tuple == null ? PCollectionTuple.of(raw(kind), records) : tuple.and(raw(kind), records);
      } else {
        TupleTag<KV<Integer, RecordPack>> tag = PACKED_AS_READ.get(kind);
        tuple = tuple == null ? PCollectionTuple.of(tag, packs) : tuple.and(tag, packs);
      }
    }
    return tuple;
  }

  /** The tag of one kind's raw records in the input. */
  public static TupleTag<RawRecord> raw(RecordKind kind) {
    return RAW.get(kind);
  }

  /** The tag of one kind's clean table rows ({@code RecordSchemas.clean(kind)}) in the output. */
  public static TupleTag<Row> table(RecordKind kind) {
    return TABLES.get(kind);
  }

  /** The tag of one kind's packed table rows in the output, with {@link #withPackedTables()}. */
  public static TupleTag<PackedRows> tablePacks(RecordKind kind) {
    return ProcessBucketFn.TABLES.get(kind);
  }

  /** The tag of one kind's dead letters in the output. */
  public static TupleTag<DeadLetter> deadLetters(RecordKind kind) {
    return ProcessBucketFn.DEAD_LETTERS.get(kind);
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    PinterestQueries queries = PinterestQueries.with(settings);
    List<PCollection<KV<String, Long>>> counts = new ArrayList<>();
    PCollection<KV<Integer, RecordPack>> packs;
    if (assemblyWait != null) {
      // Streaming: records are packed as read (each with its event time), and assembly reads and
      // releases packs, so no step after the read handles a record as an element of its own.
      PCollectionList<KV<Integer, RecordPack>> read = PCollectionList.empty(input.getPipeline());
      for (RecordKind kind : RecordKind.values()) {
        String name = capitalized(kind.id());
        if (input.has(PACKED_AS_READ.get(kind))) {
          // Its reader packed the records as it read them, as the step below would.
          read = read.and(input.get(PACKED_AS_READ.get(kind)));
          continue;
        }
        read =
            read.and(
                input
                    .get(raw(kind))
                    .apply(
                        "Pack" + name + "RecordsAsRead",
                        ParDo.of(counting(PackRecordsFn.asRead(kind, limits, maxRecordBytes))))
                    .setCoder(KvCoder.of(VarIntCoder.of(), RecordPack.Coder.of())));
      }
      PCollectionTuple assembled =
          read.apply("AllKindsAsRead", Flatten.pCollections())
              .apply("AssemblePosts", AssemblePosts.waitingAtMost(assemblyWait, resultsWindowFn(), limits));
      packs = windowedForResults(assembled.get(AssemblePosts.PACKS), "WindowReleasedPacks");
      counts.add(
          windowedForResults(assembled.get(AssemblePosts.METRICS), "WindowPostCounts")
              .apply("SumPostCountsPerBundle", BundleCounts.summed()));
    } else {
      // Route and pack every kind's records by row-number bucket: one shuffle for all of them.
      for (RecordKind kind : RecordKind.values()) {
        if (input.has(PACKED_AS_READ.get(kind))) {
          throw new IllegalArgumentException("records packed as read are for post assembly (withPostAssembly)");
        }
      }
      PCollectionList<KV<Integer, RecordPack>> packed = PCollectionList.empty(input.getPipeline());
      for (RecordKind kind : RecordKind.values()) {
        String name = capitalized(kind.id());
        packed =
            packed.and(
                windowedForResults(input.get(raw(kind)), "Window" + name + "Records")
                    .apply("Pack" + name + "RecordsByBucket", ParDo.of(counting(new PackRecordsFn(kind, limits, maxRecordBytes))))
                    .setCoder(KvCoder.of(VarIntCoder.of(), RecordPack.Coder.of())));
      }
      packs = packed.apply("AllKinds", Flatten.pCollections());
    }

    PCollectionTuple forTables;
    PCollectionTuple forResults;
    if (resultsWindowing == null || tablesFireWithResults) {
      forTables = forResults = process(packs, "", true, true, queries);
    } else {
      // Packs carry their window's end as timestamp: only the trigger changes, not the windows.
      @SuppressWarnings({"unchecked", "rawtypes"})
      Window<KV<Integer, RecordPack>> tablesTrigger = (Window) tablesWindowing;
      forTables = process(packs.apply("TriggerPacksForTables", tablesTrigger), "ForTables", true, false, queries);
      forResults = process(packs, "ForResults", false, true, queries);
    }

    PCollectionTuple out = PCollectionTuple.empty(input.getPipeline());
    for (RecordKind kind : RecordKind.values()) {
      String name = capitalized(kind.id());
      if (tableSink == null) {
        PCollection<PackedRows> packedRows = forTables.get(tablePacks(kind)).setCoder(PackedRows.Coder.of());
        out =
            packedTables
                ? out.and(tablePacks(kind), packedRows)
                : out.and(
                    table(kind),
                    packedRows
                        .apply("Unpack" + name + "Rows", ParDo.of(new UnpackRowsFn(RecordSchemas.clean(kind))))
                        .setRowSchema(RecordSchemas.clean(kind)));
      }
      out = out.and(deadLetters(kind), forTables.get(deadLetters(kind)).setCoder(deadLetterCoder(input)));
    }
    if (tableSink != null && tableSink.returnsNotes()) {
      out = out.and(WRITTEN_FILES, forTables.get(WRITTEN_FILES).setCoder(ByteArrayCoder.of()));
    }

    Coder<WindowPartial> partialCoder = partialCoder(queries, input);
    PCollection<WindowPartial> partials = forResults.get(ProcessBucketFn.PARTIALS).setCoder(partialCoder);
    PCollection<WindowPartial> personCounts =
        grouped(
                forResults.get(ProcessBucketFn.PERSONS).setCoder(KvCoder.of(VarIntCoder.of(), PersonPack.Coder.INSTANCE)),
                "GroupPersonsByShard")
            .apply("CountDistinctPersons", ParDo.of(new CountPersonsFn(queries)))
            .setCoder(partialCoder);
    TupleTagList resultTags = TupleTagList.empty();
    for (QueryOutput output : QueryOutput.values()) {
      resultTags = resultTags.and(output.tag());
    }
    PCollectionTuple results =
        PCollectionList.of(partials)
            .and(personCounts)
            .apply("CollectPartials", Flatten.pCollections())
            .apply(
                "MergePartials",
                Combine.globally(new MergePartialsFn(queries, partialCoder)).withoutDefaults())
            .apply("SplitResults", ParDo.of(new SplitResultsFn(queries, jobCounters)).withOutputTags(COUNTS, resultTags));
    for (QueryOutput output : QueryOutput.values()) {
      out = out.and(output.tag(), results.get(output.tag()).setRowSchema(output.schema()));
    }
    counts.add(0, results.get(COUNTS));
    if (resultsWindowing != null) {
      out = out.and(RECORD_PACKS, packs);
    }
    return out.and(COUNTS, PCollectionList.of(counts).apply("CollectCounts", Flatten.pCollections()));
  }

  /** Groups the packs by bucket and processes each bucket once. */
  private PCollectionTuple process(
      PCollection<KV<Integer, RecordPack>> packs,
      String suffix,
      boolean tables,
      boolean results,
      PinterestQueries queries) {
    boolean tableOutputs = ProcessBucketFn.tableOutputs(tables, tableSink);
    TupleTag<PackedRows> main = ProcessBucketFn.mainTag(tableOutputs);
    TupleTagList others = TupleTagList.empty();
    if (tables) {
      for (RecordKind kind : RecordKind.values()) {
        if (tableOutputs && !ProcessBucketFn.TABLES.get(kind).equals(main)) {
          others = others.and(ProcessBucketFn.TABLES.get(kind));
        }
        others = others.and(ProcessBucketFn.DEAD_LETTERS.get(kind));
      }
      if (tableSink != null && tableSink.returnsNotes()) {
        others = others.and(ProcessBucketFn.WRITTEN_FILES);
      }
    }
    if (results) {
      others = others.and(ProcessBucketFn.PARTIALS).and(ProcessBucketFn.PERSONS);
    }
    PCollectionTuple processed =
        grouped(packs, "GroupByBucket" + suffix)
            .apply(
                "CleanAndAddUp" + suffix,
                ParDo.of(new ProcessBucketFn(tables, results, results && jobCounters, queries, limits, maxRecordBytes, tables ? tableSink : null))
                    .withOutputTags(main, others));
    processed.get(main).setCoder(PackedRows.Coder.of());
    return processed;
  }

  /**
   * A GroupByKey named {@code name}; with {@link #withSortedGroupings()} and input in the global
   * window, done in {@link AllTimeWindows} and put back into the global window right after.
   */
  private <K, V> PCollection<KV<K, Iterable<V>>> grouped(PCollection<KV<K, V>> input, String name) {
    if (!sortedGroupings || resultsWindowing != null) {
      return input.apply(name, GroupByKey.create());
    }
    if (!(input.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      // Re-windowing into all time would merge the input's windows (e.g. days) into one.
      throw new IllegalStateException(
          "sorted groupings are for input in the global window; " + name + "'s input is in "
              + input.getWindowingStrategy().getWindowFn());
    }
    return input
        .apply(name + "InAllTime", Window.<KV<K, V>>into(new AllTimeWindows()))
        .apply(name, GroupByKey.create())
        .apply(name + "BackInGlobalWindow", Window.<KV<K, Iterable<V>>>into(new GlobalWindows()));
  }

  private PackRecordsFn counting(PackRecordsFn fn) {
    return jobCounters ? fn : fn.uncounted();
  }

  /** The results' windows, which post assembly releases records into. */
  private WindowFn<?, ?> resultsWindowFn() {
    return resultsWindowing == null ? new GlobalWindows() : resultsWindowing.getWindowFn();
  }

  private <T> PCollection<T> windowedForResults(PCollection<T> collection, String name) {
    if (resultsWindowing == null) {
      return collection;
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Window<T> window = (Window) resultsWindowing;
    return collection.apply(name, window);
  }

  private static Coder<DeadLetter> deadLetterCoder(PCollectionTuple input) {
    try {
      return input.getPipeline().getSchemaRegistry().getSchemaCoder(DeadLetter.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Coder<WindowPartial> partialCoder(PinterestQueries queries, PCollectionTuple input) {
    try {
      return new WindowPartial.Coder(queries.getAccumulatorCoder(input.getPipeline().getCoderRegistry(), null));
    } catch (CannotProvideCoderException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
