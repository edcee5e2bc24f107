package io.pinpipe.pipelines.streaming;

import io.pinpipe.transforms.onepass.CleanAndQuery;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.PackedRows;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.onepass.TablePackSink;
import io.pinpipe.transforms.onepass.UnpackRowsFn;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * The streaming job's processing, without sources or sinks, so tests can feed it a {@code
 * TestStream} and look at every output pane by pane (docs/streaming.md#windows-and-triggers): the same {@link
 * CleanAndQuery} as batch, given the job's windows, the tables' and the results' triggers, and
 * post assembly. The job writes its tables in the step that cleans a bucket ({@link
 * CleanAndQuery#writingTablesWith}), as batch does; tests may have them handed on instead.
 */
public final class StreamingJob {
  private final PCollectionTuple processed;
  private final boolean tablesWritten;
  private final Map<RecordKind, PCollection<Row>> unpacked = new EnumMap<>(RecordKind.class);

  private StreamingJob(PCollectionTuple processed, boolean tablesWritten) {
    this.processed = processed;
    this.tablesWritten = tablesWritten;
  }

  /**
   * Adds the processing to the pipeline of {@code raw}, handing each kind's table rows on packed
   * ({@link #tablePacks}, {@link #table}): for tests that look at the tables pane by pane. The job
   * itself writes them in the bucket step ({@link #build(Map, StreamWindowing, Duration,
   * QuerySettings, PackLimits, int, TablePackSink)}), in the same windows and panes.
   */
  public static StreamingJob build(
      Map<RecordKind, PCollection<RawRecord>> raw,
      StreamWindowing windowing,
      Duration assemblyWait,
      QuerySettings settings) {
    return build(
        raw, windowing, assemblyWait, settings, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES, null);
  }

  /**
   * {@link #build} with the packed elements' bounds and the largest record parsed; given {@code
   * tables}, the step that cleans a bucket writes each pack of table rows with it, in the pack's
   * window and pane, and no table rows leave that step as elements (docs/streaming.md#windows-and-triggers).
   */
  public static StreamingJob build(
      Map<RecordKind, PCollection<RawRecord>> raw,
      StreamWindowing windowing,
      Duration assemblyWait,
      QuerySettings settings,
      PackLimits packLimits,
      int maxRecordBytes,
      @Nullable TablePackSink tables) {
    return build(raw, Map.of(), windowing, assemblyWait, settings, packLimits, maxRecordBytes, tables);
  }

  /**
   * {@link #build(Map, StreamWindowing, Duration, QuerySettings, PackLimits, int, TablePackSink)}
   * with some kinds read packed ({@code packedAsRead}: their readers packed the records as read,
   * {@link io.pinpipe.pipelines.io.source.RawSource#readPacked}) and the others as raw records.
   */
  public static StreamingJob build(
      Map<RecordKind, PCollection<RawRecord>> raw,
      Map<RecordKind, PCollection<KV<Integer, RecordPack>>> packedAsRead,
      StreamWindowing windowing,
      Duration assemblyWait,
      QuerySettings settings,
      PackLimits packLimits,
      int maxRecordBytes,
      @Nullable TablePackSink tables) {
    CleanAndQuery cleanAndQuery =
        CleanAndQuery.windowed(
                settings, windowing.tablesTrigger(), windowing.forResults(), windowing.tablesFireOnceAtWindowEnd())
            .withPostAssembly(assemblyWait)
            .withPackLimits(packLimits)
            .withMaxRecordBytes(maxRecordBytes);
    if (tables != null && !tables.returnsNotes()) {
      // Without that output nothing would tell the offset commits when the tables are written.
      throw new IllegalArgumentException("a streaming table sink must have the written-files output");
    }
    cleanAndQuery = tables == null ? cleanAndQuery.withPackedTables() : cleanAndQuery.writingTablesWith(tables);
    return new StreamingJob(CleanAndQuery.inputs(raw, packedAsRead).apply("CleanAndQuery", cleanAndQuery), tables != null);
  }

  /**
   * Clean records of one kind, windowed for appends, packed; only when the job was built without a
   * table sink (tests).
   */
  public PCollection<PackedRows> tablePacks(RecordKind kind) {
    if (tablesWritten) {
      throw new IllegalStateException("the tables are written in the bucket step: no table packs to read");
    }
    return processed.get(CleanAndQuery.tablePacks(kind));
  }

  /** Clean records of one kind, one element per record per pane (unpacked on first call, for tests). */
  public PCollection<Row> table(RecordKind kind) {
    return unpacked.computeIfAbsent(
        kind,
        k ->
            tablePacks(k)
                .apply("Unpack" + k.id() + "Rows", ParDo.of(new UnpackRowsFn(RecordSchemas.clean(k))))
                .setRowSchema(RecordSchemas.clean(k)));
  }

  /**
   * When built with a table sink: the bucket step's output that carries no elements, whose
   * watermark passes a window (plus the allowed lateness) only once every table file of that window
   * is written; the Kafka offset commits wait for it (docs/streaming.md#what-the-job-commits-to-kafka).
   */
  public PCollection<byte[]> tablesWritten() {
    if (!tablesWritten) {
      throw new IllegalStateException("built without a table sink: the tables are handed on as packs");
    }
    return processed.get(CleanAndQuery.WRITTEN_FILES);
  }

  /**
   * Every record read, packed as the job shuffles it, in the window it went into (after post
   * assembly): what the Kafka offset commits learn which window holds which offsets from.
   */
  public PCollection<KV<Integer, RecordPack>> recordPacks() {
    return processed.get(CleanAndQuery.RECORD_PACKS);
  }

  /** Records of one kind that could not be parsed, in the tables' panes. */
  public PCollection<DeadLetter> deadLetters(RecordKind kind) {
    return processed.get(CleanAndQuery.deadLetters(kind));
  }

  /** One query output's rows, one final pane per window. */
  public PCollection<Row> result(QueryOutput output) {
    return processed.get(output.tag());
  }

  /**
   * Data-quality, post-assembly and result-row counts, in the results' windows ({@code
   * KV<key, n>}, to be summed per window).
   */
  public PCollection<KV<String, Long>> counts() {
    return processed.get(CleanAndQuery.COUNTS);
  }

  static String stepName(String outputName) {
    StringBuilder name = new StringBuilder();
    for (String part : outputName.split("_")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return name.toString();
  }
}
