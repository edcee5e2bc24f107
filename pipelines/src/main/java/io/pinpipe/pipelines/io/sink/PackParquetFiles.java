package io.pinpipe.pipelines.io.sink;

import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.io.layout.AppendOnlyNames;
import io.pinpipe.pipelines.io.layout.WindowedFiles;
import io.pinpipe.transforms.onepass.PackedRows;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.util.MimeTypes;
import org.apache.beam.sdk.values.Row;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Writes each pack of a table's rows as its own Parquet file: {@code
 * <prefix>-<bucket>-<chunk>.parquet} in batch, {@code
 * <prefix>-<window>-pane-<n>-<timing>-<bucket>-<chunk>.parquet} when streaming appends pane after
 * pane. No table is gathered in one place, so memory is bounded by a pack however large the input
 * or a window (a pane's rows grouped into one shard held a whole global window's table in one
 * element; batch's per-row writer held every row of a DirectRunner run). A bucket's rows come
 * sorted by row number, so a pack computed again names and fills its file alike: in batch a retried
 * write replaces its own file instead of adding a copy; streaming never replaces a file, and a name
 * already taken (a pane a restarted job computes again) gets {@code -again-<k>} ({@link
 * AppendOnlyNames}).
 *
 * <p>A file is written under a hidden temporary name and renamed when complete, so readers (Spark,
 * DuckDB, the tests) see whole files only; a failed write removes its temporary file. Both jobs
 * write in the step that makes the packs ({@link ParquetTables#packFilesIn}, {@link
 * ParquetTables#appendPackFilesIn}): a pack is never an element on its way to a writer.
 */
final class PackParquetFiles {
  /** A file holds one pack (about a megabyte of rows): one row group, written when the file closes. */
  private static final int ROW_GROUP_BYTES = 8 << 20;

  private PackParquetFiles() {}

  /** What a writer needs, serializable: where, how files are named, the rows' schema, Parquet's settings. */
  static final class Spec implements Serializable {
    private final String directory;
    private final String prefix;
    private final String avroJson;
    private final org.apache.beam.sdk.schemas.Schema rowSchema;
    private final Map<String, String> parquetConfiguration;
    private final boolean namedByPane;

    Spec(
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

    Writer open() {
      return new Writer(this);
    }
  }

  /** Writes packs as files; one per step instance, not shared between threads. */
  static final class Writer {
    private final Spec spec;
    private final Schema avroSchema;
    private final Configuration hadoopConfiguration;

    private Writer(Spec spec) {
      this.spec = spec;
      avroSchema = new Schema.Parser().parse(spec.avroJson);
      // One per writer, not per file: building a Hadoop Configuration parses its default
      // resources, about 5 ms, as much as writing a small pack (BENCHMARKS.md).
      hadoopConfiguration = new Configuration();
      spec.parquetConfiguration.forEach(hadoopConfiguration::set);
    }

    void write(PackedRows rows, BoundedWindow window, PaneInfo pane) throws IOException {
      String pack = rows.bucket() + "-" + rows.chunk() + ".parquet";
      String name =
          spec.namedByPane
              ? spec.prefix + "-" + WindowedFiles.windowLabel(window) + "-pane-" + pane.getIndex() + "-"
                  + pane.getTiming().name().toLowerCase().replace('_', '-') + "-" + pack
              : spec.prefix + "-" + pack;
      ResourceId temporary = resource("." + name + "." + UUID.randomUUID() + ".inprogress");
      boolean renamed = false;
      try {
        WritableByteChannel channel = FileSystems.create(temporary, MimeTypes.BINARY);
        IOException[] failure = new IOException[1];
        try (ParquetWriter<Row> writer =
            RowWriteSupport.builder(new ChannelOutputFile(channel), spec.rowSchema, avroSchema)
                .withConf(hadoopConfiguration)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
          rows.forEachRow(
              spec.rowSchema,
              row -> {
                if (failure[0] == null) {
                  try {
                    writer.write(row);
                  } catch (IOException e) {
                    failure[0] = e;
                  }
                }
              });
        }
        if (failure[0] != null) {
          throw failure[0];
        }
        // Streaming appends never replace a file (a restart's panes start again at 0); batch writes
        // into a run folder of its own, where a retried pack replaces its own file.
        ResourceId target = spec.namedByPane ? AppendOnlyNames.free(spec.directory, name) : resource(name);
        FileSystems.rename(new ArrayList<>(List.of(temporary)), new ArrayList<>(List.of(target)));
        renamed = true;
        if (spec.namedByPane) {
          // The crash tests stop the streaming job here: a pane partly written, its window open.
          CrashPoint.reach(ParquetTables.TABLE_FILE_WRITTEN);
        }
      } finally {
        if (!renamed) {
          FileSystems.delete(List.of(temporary), StandardMoveOptions.IGNORE_MISSING_FILES);
        }
      }
    }

    private ResourceId resource(String name) {
      return FileSystems.matchNewResource(spec.directory, true).resolve(name, StandardResolveOptions.RESOLVE_FILE);
    }
  }

  /** Parquet's output file on a Beam channel (local, S3, any Beam filesystem): Snappy, one row group. */
  private static final class ChannelOutputFile implements OutputFile {
    private final OutputStream out;

    ChannelOutputFile(WritableByteChannel channel) {
      this.out = Channels.newOutputStream(channel);
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
      return new PositionOutputStream() {
        private long position;

        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          position += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
      return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }
  }
}
