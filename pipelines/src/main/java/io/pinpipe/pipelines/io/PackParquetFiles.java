package io.pinpipe.pipelines.io;

import io.pinpipe.transforms.onepass.PackedRows;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.MimeTypes;

/**
 * Writes each pack of a table's rows as its own Parquet file: {@code
 * <prefix>-<bucket>-<chunk>.parquet} in batch, {@code
 * <prefix>-<window>-pane-<n>-<timing>-<bucket>-<chunk>.parquet} when streaming appends pane after
 * pane. No table is gathered in one place, so memory is bounded by a pack however large the input
 * or a window (a pane's rows grouped into one shard held a whole global window's table in one
 * element; batch's per-row writer held every row of a DirectRunner run). A bucket's rows come
 * sorted by row number, so a pack computed again names and fills its file alike, and a retried
 * write replaces its own file instead of adding a copy.
 *
 * <p>A file is written under a hidden temporary name and renamed when complete, so readers (Spark,
 * DuckDB, the tests) see whole files only; a failed write removes its temporary file.
 */
final class PackParquetFiles extends DoFn<PackedRows, Void> {
  private final String directory;
  private final String prefix;
  private final String avroJson;
  private final org.apache.beam.sdk.schemas.Schema rowSchema;
  private final Map<String, String> parquetConfiguration;
  private final boolean namedByPane;
  private transient Schema avroSchema;
  private transient ParquetTables.ToGenericRecord toAvro;

  PackParquetFiles(
      String directory,
      String prefix,
      String avroJson,
      org.apache.beam.sdk.schemas.Schema rowSchema,
      Map<String, String> parquetConfiguration,
      boolean namedByPane) {
    this.directory = directory;
    this.prefix = prefix;
    this.avroJson = avroJson;
    this.rowSchema = rowSchema;
    this.parquetConfiguration = new HashMap<>(parquetConfiguration);
    this.namedByPane = namedByPane;
  }

  @Setup
  public void setup() {
    avroSchema = new Schema.Parser().parse(avroJson);
    toAvro = new ParquetTables.ToGenericRecord(avroJson);
  }

  @ProcessElement
  public void process(@Element PackedRows rows, BoundedWindow window, PaneInfo pane) throws IOException {
    String pack = rows.bucket() + "-" + rows.chunk() + ".parquet";
    String name =
        namedByPane
            ? prefix + "-" + WindowedFiles.windowLabel(window) + "-pane-" + pane.getIndex() + "-"
                + pane.getTiming().name().toLowerCase().replace('_', '-') + "-" + pack
            : prefix + "-" + pack;
    ResourceId temporary = resource("." + name + "." + UUID.randomUUID() + ".inprogress");
    boolean renamed = false;
    try {
      FileIO.Sink<GenericRecord> sink = ParquetIO.sink(avroSchema).withConfiguration(parquetConfiguration);
      WritableByteChannel channel = FileSystems.create(temporary, MimeTypes.BINARY);
      sink.open(channel);
      IOException[] failure = new IOException[1];
      rows.forEachRow(
          rowSchema,
          row -> {
            if (failure[0] == null) {
              try {
                sink.write(toAvro.apply(row));
              } catch (IOException e) {
                failure[0] = e;
              }
            }
          });
      if (failure[0] != null) {
        throw failure[0];
      }
      sink.flush();
      FileSystems.rename(new ArrayList<>(List.of(temporary)), new ArrayList<>(List.of(resource(name))));
      renamed = true;
    } finally {
      if (!renamed) {
        FileSystems.delete(List.of(temporary), StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    }
  }

  private ResourceId resource(String name) {
    return FileSystems.matchNewResource(directory, true).resolve(name, StandardResolveOptions.RESOLVE_FILE);
  }
}
