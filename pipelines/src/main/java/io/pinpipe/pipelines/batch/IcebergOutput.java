package io.pinpipe.pipelines.batch;

import io.pinpipe.pipelines.iceberg.BatchTables;
import io.pinpipe.pipelines.iceberg.CommitTables;
import io.pinpipe.pipelines.iceberg.WriteTableFiles;
import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.pipelines.io.sink.ResultFile;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.transforms.onepass.CleanAndQuery;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.TablePackSink;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Batch's Iceberg tables (docs/iceberg.md#the-tables): the files of every table (the kinds' clean rows, their
 * dead letters, the nine results), written by the workers, then committed by one step, once per
 * table.
 *
 * <p>A run of one day (--date, or an archive with one {@code dt=} day) writes them from the run's one
 * pass: its tables, dead letters and results are the day's. A run of several days cannot: the bucket
 * step's clean rows do not carry their record's file, and its results are the whole run's. So the
 * records go through {@link CleanAndQuery} a second time, each in the window of its file's {@code
 * dt=} day: every step of that pass (duplicates, cleaning, the nine results) then works per day, and
 * each day's tables and results are what a run with {@code --date} of that day commits. The run's
 * own pass still writes the CSV files and summary of the whole run, and the dead letters, which
 * carry their origin and so their day.
 *
 * <p>A run from Kafka is always such a run: each record's day is the UTC day of its Kafka timestamp
 * (its arrival day), which the read gives it as its element timestamp, so the pass per day windows
 * the records as they come; its dead letters are the pass per day's (a Kafka origin names no day).
 */
final class IcebergOutput {
  private IcebergOutput() {}

  /** Writes every table's files and commits them; returns the commit step's line per table. */
  static PCollection<String> commit(
      Pipeline pipeline,
      Map<RecordKind, PCollection<RawRecord>> raw,
      PCollectionTuple processed,
      QuerySettings settings,
      PackLimits packLimits,
      int maxRecordBytes,
      BatchTables tables) {
    boolean perDay = tables.perRecordDays();
    PCollectionTuple forTables = processed;
    if (perDay) {
      Map<RecordKind, PCollection<RawRecord>> byDay = new EnumMap<>(RecordKind.class);
      for (RecordKind kind : RecordKind.values()) {
        String name = capitalized(kind.id());
        PCollection<RawRecord> records = raw.get(kind);
        if (!tables.arrivalDays()) {
          records = records.apply("Stamp" + name + "IngestionDay", ParDo.of(new StampIngestionDayFn()));
        }
        // From Kafka each record's timestamp is already its Kafka timestamp (ReadKafkaRanges), so its
        // UTC day window is its arrival day: the day rides with the record at no cost per record.
        byDay.put(kind, records.apply("Window" + name + "ByIngestionDay", Window.into(FixedWindows.of(Duration.standardDays(1)))));
      }
      forTables =
          CleanAndQuery.inputs(byDay)
              .apply(
                  "CleanAndQueryPerDay",
                  CleanAndQuery.inGlobalWindow(settings)
                      .withPackLimits(packLimits)
                      .withMaxRecordBytes(maxRecordBytes)
                      // The run's own pass counts these records once already (progress lines).
                      .withoutJobCounters()
                      .writingTablesWith(tables.packSink()));
    }

    List<PCollection<byte[]>> notes = new ArrayList<>();
    notes.add(forTables.get(CleanAndQuery.WRITTEN_FILES));
    for (QueryOutput output : QueryOutput.values()) {
      String step = io.pinpipe.pipelines.io.sink.ResultFile.stepName(output.outputName());
      Combine.Globally<Row, List<Row>> gather = Combine.globally(ResultFile.rowsOf(output));
      notes.add(
          forTables
              .get(output.tag())
              // One list per day window; in the global window one list even when empty.
              .apply("Gather" + step + "ForIceberg", perDay ? gather.withoutDefaults() : gather)
              .setCoder(ListCoder.of(RowCoder.of(output.schema())))
              .apply("Write" + step + "IcebergFile", ParDo.of(WriteTableFiles.results(output, tables)))
              .setCoder(ByteArrayCoder.of()));
    }
    // The run's dead letters carry their origin, and an archive's origin names its dt= day; a Kafka
    // origin does not, so a run from Kafka takes the pass per day's, each in its arrival day's window.
    PCollectionTuple deadLetters = tables.arrivalDays() ? forTables : processed;
    for (RecordKind kind : RecordKind.values()) {
      notes.add(
          deadLetters
              .get(CleanAndQuery.deadLetters(kind))
              .apply("Write" + capitalized(kind.id()) + "DeadLetterIcebergFiles", WriteTableFiles.deadLetters(kind, tables))
              .setCoder(ByteArrayCoder.of()));
    }
    PCollectionList<byte[]> all = PCollectionList.empty(pipeline);
    for (int i = 0; i < notes.size(); i++) {
      PCollection<byte[]> n = notes.get(i);
      // The per-day pass's notes are in day windows: the commit gathers every note in one.
      all = all.and(perDay ? n.apply("NotesIntoOneWindow" + i, Window.into(new GlobalWindows())) : n);
    }
    return all.apply("AllIcebergFiles", Flatten.pCollections()).apply("CommitIcebergTables", new CommitTables(tables));
  }

  /** Adds the commits' snapshot ids to the summary (which therefore waits for the commits). */
  static PTransform<PCollection<String>, PCollection<String>> snapshotsInto(PCollection<String> commits, BatchTables tables) {
    return new PTransform<>() {
      @Override
      public PCollection<String> expand(PCollection<String> summary) {
        PCollectionView<List<String>> view = commits.apply("CommitsAsView", View.asList());
        List<String> names = new ArrayList<>();
        for (String name : BatchTables.tableNames()) {
          names.add(BatchTables.NAMESPACE + "." + name);
        }
        String runId = tables.runId();
        List<String> days = tables.days();
        return summary.apply("WithSnapshots", ParDo.of(new WithSnapshotsFn(view, runId, days, names)).withSideInputs(view));
      }
    };
  }

  private static final class WithSnapshotsFn extends DoFn<String, String> {
    private final PCollectionView<List<String>> commits;
    private final String runId;
    private final List<String> days;
    private final List<String> tables;

    WithSnapshotsFn(PCollectionView<List<String>> commits, String runId, List<String> days, List<String> tables) {
      this.commits = commits;
      this.runId = runId;
      this.days = days;
      this.tables = tables;
    }

    @ProcessElement
    public void process(@Element String json, ProcessContext c) {
      c.output(RunSummary.withIcebergSnapshots(json, runId, days, tables, c.sideInput(commits)));
    }
  }

  /** Gives each record its file's {@code dt=} day, at midnight UTC, as its timestamp. */
  static final class StampIngestionDayFn extends DoFn<RawRecord, RawRecord> {
    @ProcessElement
    public void process(@Element RawRecord record, OutputReceiver<RawRecord> out) {
      // The days were listed before the run: a file without one here came after the listing.
      LocalDate day = LocalDate.parse(ArchiveLayout.ingestionDay(record.origin));
      out.outputWithTimestamp(record, new Instant(day.toEpochDay() * 86_400_000L));
    }
  }

  /** The run's own pass in a run of several days: its clean rows go nowhere (the per-day pass writes them). */
  static final class NoTables implements TablePackSink {
    static final NoTables INSTANCE = new NoTables();

    @Override
    public Writer open() {
      return (kind, rows, window, pane) -> null;
    }
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
