package io.pinpipe.pipelines.iceberg;

import io.pinpipe.transforms.schema.RecordKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopCatalog;

/**
 * The single step that commits a batch run's data files: the notes of every file the workers wrote
 * ({@link IcebergPackSink}) grouped by table, then one commit per table ({@link TableCommit}), as
 * Beam's IcebergIO and Flink's Iceberg sink do. Every table gets its commit, with no files if the
 * day has no clean rows of its kind, so a rerun still replaces what an earlier run wrote for the
 * day. Returns {@code "<table> <snapshot id> committed|already committed"} per table.
 */
public final class CommitTables extends PTransform<PCollection<byte[]>, PCollection<String>> {
  private static final byte[] NO_FILE = new byte[0];

  private final BatchTables tables;

  public CommitTables(BatchTables tables) {
    this.tables = tables;
  }

  @Override
  public PCollection<String> expand(PCollection<byte[]> notes) {
    KvCoder<String, byte[]> coder = KvCoder.of(StringUtf8Coder.of(), ByteArrayCoder.of());
    PCollection<KV<String, byte[]>> byTable =
        notes
            .apply(
                "KeyByTable",
                MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), org.apache.beam.sdk.values.TypeDescriptor.of(byte[].class)))
                    .via((byte[] note) -> KV.of(WrittenFile.decode(note).kind, note)))
            .setCoder(coder);
    List<KV<String, byte[]>> everyTable = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      everyTable.add(KV.of(kind.id(), NO_FILE));
    }
    PCollection<KV<String, byte[]>> markers = notes.getPipeline().apply("EveryTable", Create.of(everyTable).withCoder(coder));
    return PCollectionList.of(byTable)
        .and(markers)
        .apply("WithEveryTable", Flatten.pCollections())
        .apply("GroupByTable", GroupByKey.create())
        .apply("CommitOncePerTable", ParDo.of(new CommitFn(tables)));
  }

  private static final class CommitFn extends DoFn<KV<String, Iterable<byte[]>>, String> {
    private final BatchTables tables;

    CommitFn(BatchTables tables) {
      this.tables = tables;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<byte[]>> table, OutputReceiver<String> out) {
      List<DataFile> files = new ArrayList<>();
      for (byte[] note : table.getValue()) {
        if (note.length > 0) {
          files.add(WrittenFile.decode(note).file);
        }
      }
      // The manifest lists the files in one order whatever order the runner gave them in.
      files.sort(Comparator.comparing(f -> f.path().toString()));
      HadoopCatalog catalog = tables.catalog();
      Table loaded = catalog.loadTable(BatchTables.identifier(RecordKind.fromId(table.getKey())));
      TableCommit.Outcome outcome =
          TableCommit.replaceDay(loaded, tables.day(), files, tables.runId(), tables.runFolder());
      out.output(
          BatchTables.NAMESPACE + "." + table.getKey() + " " + outcome.snapshotId + " "
              + (outcome.committedNow ? "committed" : "already committed"));
    }
  }
}
