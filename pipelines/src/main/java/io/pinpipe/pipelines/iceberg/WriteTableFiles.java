package io.pinpipe.pipelines.iceberg;

import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.pipelines.io.sink.DeadLetterJson;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;

/**
 * The dead-letter and result tables' data files (docs/iceberg.md), written by workers, one file per
 * table and day, and handed to the commit step as notes ({@link WrittenFile}) with the clean tables'
 * files. Each file is named by the run and filled with its rows in a fixed order, so a retried write
 * replaces it with the same rows.
 */
public final class WriteTableFiles {
  private WriteTableFiles() {}

  /**
   * A kind's dead letters, grouped by day (the run's day, or in a run of several days the {@code
   * dt=} day of the file each was read from, named in its origin, or in a run from Kafka the day
   * window its record's arrival put it in) and written one file per day,
   * sorted by their JSON line as the run's {@code dead-letter/} file is. A day's dead letters of a
   * kind are gathered on one worker, as the run's dead-letter file gathers all of them.
   */
  public static PTransform<PCollection<DeadLetter>, PCollection<byte[]>> deadLetters(RecordKind kind, BatchTables tables) {
    return new PTransform<>() {
      @Override
      public PCollection<byte[]> expand(PCollection<DeadLetter> deadLetters) {
        org.apache.beam.sdk.coders.Coder<DeadLetter> coder;
        try {
          coder = deadLetters.getPipeline().getSchemaRegistry().getSchemaCoder(DeadLetter.class);
        } catch (NoSuchSchemaException e) {
          throw new IllegalStateException(e);
        }
        return deadLetters
            .apply("KeyByDay", ParDo.of(new KeyByDayFn(tables)))
            .setCoder(KvCoder.of(StringUtf8Coder.of(), coder))
            .apply("GroupByDay", GroupByKey.create())
            .apply("WriteDayFile", ParDo.of(new WriteDeadLettersFn(kind, tables)));
      }
    };
  }

  /**
   * A result's rows of one window (all of the run in the global window, or one day's in a run of
   * several days), gathered in one list: written as one file of the window's day, sorted by the
   * result's order. An empty result writes no file (the commit empties its day all the same).
   */
  public static DoFn<List<Row>, byte[]> results(QueryOutput output, BatchTables tables) {
    return new WriteResultFn(output, tables);
  }

  private static final class KeyByDayFn extends DoFn<DeadLetter, KV<String, DeadLetter>> {
    private final BatchTables tables;

    KeyByDayFn(BatchTables tables) {
      this.tables = tables;
    }

    @ProcessElement
    public void process(@Element DeadLetter deadLetter, BoundedWindow window, OutputReceiver<KV<String, DeadLetter>> out) {
      String day =
          tables.arrivalDays()
              // From Kafka: the day window of the pass per day (its origin names no day).
              ? IcebergFiles.dayOf(window, tables).toString()
              : tables.perRecordDays() ? ArchiveLayout.ingestionDay(deadLetter.origin) : tables.day();
      out.output(KV.of(day, deadLetter));
    }
  }

  private static final class WriteDeadLettersFn extends DoFn<KV<String, Iterable<DeadLetter>>, byte[]> {
    private final RecordKind kind;
    private final BatchTables tables;

    WriteDeadLettersFn(RecordKind kind, BatchTables tables) {
      this.kind = kind;
      this.tables = tables;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<DeadLetter>> day, OutputReceiver<byte[]> out) throws IOException {
      List<KV<String, DeadLetter>> sorted = new ArrayList<>();
      for (DeadLetter d : day.getValue()) {
        sorted.add(KV.of(DeadLetterJson.toJsonLine(d), d));
      }
      sorted.sort(Comparator.comparing(KV::getKey));
      String name = BatchTables.deadLetterTable(kind);
      Table table = tables.load(List.of(name)).get(name);
      try {
        DataFile file =
            IcebergFiles.write(
                table,
                LocalDate.parse(day.getKey()),
                tables.runId() + ".parquet",
                rows -> {
                  for (KV<String, DeadLetter> kv : sorted) {
                    DeadLetter d = kv.getValue();
                    rows.accept(new Object[] {d.origin, d.reason, d.payload, d.payloadBase64});
                  }
                });
        out.output(new WrittenFile(name, file).encode());
      } finally {
        table.io().close();
      }
    }
  }

  private static final class WriteResultFn extends DoFn<List<Row>, byte[]> {
    private final QueryOutput output;
    private final BatchTables tables;

    WriteResultFn(QueryOutput output, BatchTables tables) {
      this.output = output;
      this.tables = tables;
    }

    @ProcessElement
    public void process(@Element List<Row> result, BoundedWindow window, OutputReceiver<byte[]> out) throws IOException {
      if (result.isEmpty()) {
        return;
      }
      List<Row> sorted = new ArrayList<>(result);
      sorted.sort(output.comparator());
      String name = output.outputName();
      Table table = tables.load(List.of(name)).get(name);
      try {
        DataFile file =
            IcebergFiles.write(
                table,
                IcebergFiles.dayOf(window, tables),
                tables.runId() + ".parquet",
                rows -> sorted.forEach(row -> rows.accept(row.getValues().toArray())));
        out.output(new WrittenFile(name, file).encode());
      } finally {
        table.io().close();
      }
    }
  }
}
