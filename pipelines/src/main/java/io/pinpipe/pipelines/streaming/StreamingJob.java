package io.pinpipe.pipelines.streaming;

import io.pinpipe.transforms.onepass.CleanAndQuery;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.PackedRows;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.onepass.UnpackRowsFn;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QueryOutput;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.transforms.schema.RecordKind;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;

/**
 * The streaming job's processing, without sources or sinks, so tests can feed it a {@code
 * TestStream} and look at every output pane by pane (docs/streaming.md): the same {@link
 * CleanAndQuery} as batch, given the job's windows, the tables' and the results' triggers, and
 * post assembly.
 */
public final class StreamingJob {
  private final PCollectionTuple processed;
  private final Map<RecordKind, PCollection<Row>> unpacked = new EnumMap<>(RecordKind.class);

  private StreamingJob(PCollectionTuple processed) {
    this.processed = processed;
  }

  /** Adds the processing to the pipeline of {@code raw}. */
  public static StreamingJob build(
      Map<RecordKind, PCollection<RawRecord>> raw,
      StreamWindowing windowing,
      Duration assemblyWait,
      QuerySettings settings) {
    return build(
        raw, windowing, assemblyWait, settings, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES);
  }

  /** {@link #build} with the packed elements' bounds and the largest record parsed. */
  public static StreamingJob build(
      Map<RecordKind, PCollection<RawRecord>> raw,
      StreamWindowing windowing,
      Duration assemblyWait,
      QuerySettings settings,
      PackLimits packLimits,
      int maxRecordBytes) {
    CleanAndQuery cleanAndQuery =
        CleanAndQuery.windowed(
                settings, windowing.tablesTrigger(), windowing.forResults(), windowing.tablesFireOnceAtWindowEnd())
            .withPostAssembly(assemblyWait)
            .withPackLimits(packLimits)
            .withMaxRecordBytes(maxRecordBytes)
            .withPackedTables();
    return new StreamingJob(CleanAndQuery.inputs(raw).apply("CleanAndQuery", cleanAndQuery));
  }

  /**
   * Clean records of one kind, windowed for appends, packed: what the table writer writes, a file
   * per pack ({@link io.pinpipe.pipelines.io.ParquetTables#appendPacks}).
   */
  public PCollection<PackedRows> tablePacks(RecordKind kind) {
    return processed.get(CleanAndQuery.tablePacks(kind));
  }

  /** Clean records of one kind, one element per record per pane (unpacked on first call, for tests). */
  public PCollection<Row> table(RecordKind kind) {
    return unpacked.computeIfAbsent(
        kind,
        k ->
            tablePacks(k)
                .apply("Unpack" + k.id() + "Rows", ParDo.of(new UnpackRowsFn(k.cleanSchema())))
                .setRowSchema(k.cleanSchema()));
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
