package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.io.kafka.WrittenOffsets;
import io.pinpipe.pipelines.io.kinesis.KinesisOrigins;
import io.pinpipe.pipelines.io.kinesis.ShardAnchor;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.joda.time.Instant;

/**
 * The streaming job's dead-letter and result tables' data files, and the notes the commit step
 * reads ({@link CommitStreamTables}): a kind's dead letters one file per window and pane (less those
 * the table already holds), a result's rows one file per window; the bucket step's notes and the
 * offsets per window turned into {@link StreamNote}s.
 */
public final class StreamTableFiles {
  private StreamTableFiles() {}

  /** A kind's dead letters, per window and pane, as one file of its dead-letter table. */
  public static PTransform<PCollection<DeadLetter>, PCollection<StreamNote>> deadLetters(
      RecordKind kind, StreamTables tables, long allowedLatenessMillis) {
    return new PTransform<>() {
      @Override
      public PCollection<StreamNote> expand(PCollection<DeadLetter> deadLetters) {
        org.apache.beam.sdk.coders.Coder<DeadLetter> coder;
        try {
          coder = deadLetters.getPipeline().getSchemaRegistry().getSchemaCoder(DeadLetter.class);
        } catch (NoSuchSchemaException e) {
          throw new IllegalStateException(e);
        }
        return deadLetters
            .apply("LeaveOutHeld", ParDo.of(new NotHeldFn(kind, tables)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
            .apply("GatherPane", GroupByKey.create())
            .apply("WritePaneFile", ParDo.of(new WriteDeadLettersFn(kind, tables, allowedLatenessMillis)))
            .setCoder(StreamNote.Coder.of());
      }
    };
  }

  /** A result's rows of one window as one file of its table. */
  public static DoFn<List<Row>, StreamNote> results(QueryOutput output, StreamTables tables, long allowedLatenessMillis) {
    return new WriteResultFn(output, tables, allowedLatenessMillis);
  }

  /** The bucket step's notes ({@link StreamPackSink}) as they are. */
  public static DoFn<byte[], StreamNote> decodeNotes() {
    return new DoFn<byte[], StreamNote>() {
      @ProcessElement
      public void process(@Element byte[] note, OutputReceiver<StreamNote> out) {
        out.output(StreamPackSink.decode(note));
      }
    };
  }

  /** One partition's offsets in one window (one bundle's), as a note. */
  public static DoFn<KV<String, WrittenOffsets>, StreamNote> offsetNotes() {
    return new DoFn<KV<String, WrittenOffsets>, StreamNote>() {
      @ProcessElement
      public void process(@Element KV<String, WrittenOffsets> offsets, OutputReceiver<StreamNote> out) {
        WrittenOffsets o = offsets.getValue();
        long[] ranges = new long[o.rangeCount() * 2];
        for (int r = 0; r < o.rangeCount(); r++) {
          ranges[2 * r] = o.start(r);
          ranges[2 * r + 1] = o.end(r);
        }
        out.output(StreamNote.offsets(offsets.getKey(), o.writtenAfter(), ranges));
      }
    };
  }

  /**
   * Per bundle, window and Kinesis shard, the record of the highest ordinal as an anchor note
   * ({@link StreamNote#anchor}), emitted when the bundle finishes, in the window, at its end (as the
   * offsets are, so they reach the commit step before its watermark passes the window). Its time is
   * the record's event time where the pack carries it, else the window's start: not a bound on its
   * arrival (post assembly may move a record into a later window), and not used by the job
   * ({@link io.pinpipe.pipelines.io.kinesis.ShardAnchor#arrivalMillis}).
   */
  public static DoFn<KV<Integer, RecordPack>, StreamNote> anchorNotes(long allowedLatenessMillis) {
    return new AnchorNotesFn(allowedLatenessMillis);
  }

  private static final class AnchorNotesFn extends DoFn<KV<Integer, RecordPack>, StreamNote> {
    private final long allowedLatenessMillis;
    private transient Map<BoundedWindow, Map<String, ShardAnchor>> highest;

    AnchorNotesFn(long allowedLatenessMillis) {
      this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @StartBundle
    public void startBundle() {
      highest = new java.util.HashMap<>();
    }

    @ProcessElement
    public void process(@Element KV<Integer, RecordPack> element, BoundedWindow window) {
      RecordPack pack = element.getValue();
      Map<String, ShardAnchor> byShard = null;
      for (int i = 0; i < pack.size(); i++) {
        long ordinal = pack.originNumber(i);
        String prefix = pack.originPrefix(i);
        if (ordinal < 0 || prefix.indexOf('/') < 0) {
          continue;
        }
        if (byShard == null) {
          byShard = highest.computeIfAbsent(window, w -> new java.util.HashMap<>());
        }
        String shard = KinesisOrigins.partitionOf(prefix);
        ShardAnchor known = byShard.get(shard);
        if (known == null || known.ordinal < ordinal) {
          long arrival =
              pack.timed()
                  ? pack.time(i)
                  : window instanceof IntervalWindow ? ((IntervalWindow) window).start().getMillis() : window.maxTimestamp().getMillis();
          byShard.put(
              shard, new ShardAnchor(ordinal, KinesisOrigins.sequenceOf(prefix), KinesisOrigins.subSequenceOf(prefix), arrival));
        }
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      highest.forEach(
          (window, byShard) -> {
            long writtenAfter = StreamPackSink.writtenAfter(window, allowedLatenessMillis);
            byShard.forEach(
                (shard, anchor) -> context.output(StreamNote.anchor(shard, writtenAfter, anchor), window.maxTimestamp(), window));
          });
      highest = null;
    }
  }

  /** Leaves out dead letters whose record the table holds (read again after a restart). */
  private static final class NotHeldFn extends DoFn<DeadLetter, KV<String, DeadLetter>> {
    private final RecordKind kind;
    private final StreamTables tables;
    private transient Map<String, Long> positions;

    NotHeldFn(RecordKind kind, StreamTables tables) {
      this.kind = kind;
      this.tables = tables;
    }

    @Setup
    public void setup() {
      String name = BatchTables.deadLetterTable(kind);
      Map<String, Table> loaded = tables.load(List.of(name));
      positions = StreamTables.positions(loaded.get(name));
      BatchTables.closeFiles(loaded);
    }

    @ProcessElement
    public void process(@Element DeadLetter d, OutputReceiver<KV<String, DeadLetter>> out) {
      int plus = d.origin.lastIndexOf('+');
      if (plus > 0) {
        Long position = positions.get(KinesisOrigins.partitionOf(d.origin.substring(0, plus + 1)));
        try {
          if (position != null && Long.parseLong(d.origin.substring(plus + 1)) < position) {
            return;
          }
        } catch (NumberFormatException e) {
          // Not a Kafka or Kinesis origin: kept.
        }
      }
      out.output(KV.of(kind.id(), d));
    }
  }

  private static final class WriteDeadLettersFn extends DoFn<KV<String, Iterable<DeadLetter>>, StreamNote> {
    private final RecordKind kind;
    private final StreamTables tables;
    private final long allowedLatenessMillis;

    private transient Table table;

    WriteDeadLettersFn(RecordKind kind, StreamTables tables, long allowedLatenessMillis) {
      this.kind = kind;
      this.tables = tables;
      this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Setup
    public void setup() {
      // Once per instance: the table's schema, partition spec, location and FileIO.
      String name = BatchTables.deadLetterTable(kind);
      table = tables.load(List.of(name)).get(name);
    }

    @Teardown
    public void teardown() {
      if (table != null) {
        table.io().close();
      }
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<DeadLetter>> pane, BoundedWindow window, PaneInfo paneInfo, OutputReceiver<StreamNote> out)
        throws IOException {
      List<DeadLetter> sorted = new ArrayList<>();
      pane.getValue().forEach(sorted::add);
      sorted.sort(Comparator.comparing((DeadLetter d) -> d.origin).thenComparing(d -> d.reason));
      String name = BatchTables.deadLetterTable(kind);
      DataFile file =
          IcebergFiles.write(
              table,
              tables.dayOf(window),
              StreamTables.fileNameOf(window) + "-" + paneInfo.getIndex() + "-" + UUID.randomUUID() + ".parquet",
              rows -> {
                for (DeadLetter d : sorted) {
                  rows.accept(new Object[] {d.origin, d.reason, d.payload, d.payloadBase64});
                }
              });
      out.output(
          StreamNote.file(name, file, window, allowedLatenessMillis));
    }
  }

  private static final class WriteResultFn extends DoFn<List<Row>, StreamNote> {
    private final QueryOutput output;
    private final StreamTables tables;
    private final long allowedLatenessMillis;

    private transient Table table;

    WriteResultFn(QueryOutput output, StreamTables tables, long allowedLatenessMillis) {
      this.output = output;
      this.tables = tables;
      this.allowedLatenessMillis = allowedLatenessMillis;
    }

    @Setup
    public void setup() {
      table = tables.load(List.of(output.outputName())).get(output.outputName());
    }

    @Teardown
    public void teardown() {
      if (table != null) {
        table.io().close();
      }
    }

    @ProcessElement
    public void process(@Element List<Row> result, BoundedWindow window, OutputReceiver<StreamNote> out) throws IOException {
      if (result.isEmpty()) {
        return;
      }
      List<Row> sorted = new ArrayList<>(result);
      sorted.sort(output.comparator());
      String name = output.outputName();
      // The global window of a replay has no bounds: its rows' window_start and window_end are null.
      boolean global = !(window instanceof IntervalWindow);
      Instant start = global ? null : ((IntervalWindow) window).start();
      Instant end = global ? null : ((IntervalWindow) window).end();
      Map<Integer, Object> partition = new java.util.HashMap<>();
      partition.put(0, start);
      DataFile file =
          IcebergFiles.write(
              table,
              tables.dayOf(window),
              StreamTables.fileNameOf(window) + "-" + UUID.randomUUID() + ".parquet",
              rows ->
                  sorted.forEach(
                      row -> {
                        List<Object> values = new ArrayList<>();
                        values.add(start);
                        values.add(end);
                        values.addAll(row.getValues());
                        rows.accept(values.toArray());
                      }),
              partition);
      out.output(
          StreamNote.file(name, file, window, allowedLatenessMillis));
    }
  }
}
