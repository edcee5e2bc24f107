package io.pinpipe.transforms.onepass;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * Table rows of one kind, encoded once with their schema's {@link RowCoder} and carried as bytes.
 * A pack made for a sink in the same step ({@link TablePackSink}) keeps its rows as they are and is
 * encoded only if it ever leaves the step as an element: a sink reads the rows without a decoding.
 *
 * <p>Why bytes: the step that cleans a bucket has several outputs (three tables, dead letters,
 * partial results), and FlinkRunner's batch translation sends a multi-output step's whole output to
 * every output's reader, each decoding all of it. Encoded rows cost those readers a copy of bytes,
 * not a decoding of every row; only the table's own reader decodes them ({@link #forEachRow}).
 *
 * <p>A table writer writes a pack as one file ({@link TablePackSink}, in the step that makes it, in
 * both jobs): a pack is bounded, and its bucket and chunk name it the same way when a pane is
 * computed again. {@link CleanAndQuery#withPackedTables} hands packs on as elements instead (the
 * streaming tests look at them pane by pane).
 */
public final class PackedRows {
  private final int bucket;
  private final int chunk;
  private final int count;
  // Exactly one of the two: the rows as made (with their schema, to encode them if the pack is ever
  // encoded), or the encoded rows (a pack decoded by the coder).
  private final List<Row> rows;
  private final Schema schema;
  private final byte[] encoded;
  // Each row's record origin, only in a pack made for a sink that keeps origins (never encoded).
  private final List<String> origins;

  private PackedRows(int bucket, int chunk, int count, byte[] encoded) {
    this.bucket = bucket;
    this.chunk = chunk;
    this.count = count;
    this.rows = null;
    this.schema = null;
    this.encoded = encoded;
    this.origins = null;
  }

  private PackedRows(int bucket, int chunk, Schema schema, List<Row> rows, List<String> origins) {
    this.bucket = bucket;
    this.chunk = chunk;
    this.count = rows.size();
    this.rows = rows;
    this.schema = schema;
    this.encoded = null;
    this.origins = origins;
  }

  /**
   * Packs a bucket's {@code rows} into elements of at most {@code limits}' records and about its
   * bytes, numbered from 0 in the order given. The bytes are each row's encoded size, counted, not
   * kept: a pack holds its rows, and is encoded only if it crosses the runner.
   */
  static void pack(Schema schema, int bucket, List<Row> rows, PackLimits limits, Consumer<PackedRows> out) {
    pack(schema, bucket, rows, null, limits, out);
  }

  /** {@link #pack} with each row's record origin ({@code origins} parallel to {@code rows}), for a sink. */
  static void pack(
      Schema schema, int bucket, List<Row> rows, List<String> origins, PackLimits limits, Consumer<PackedRows> out) {
    RowCoder coder = RowCoder.of(schema);
    CountingStream bytes = new CountingStream();
    int from = 0;
    int chunk = 0;
    try {
      for (int i = 0; i < rows.size(); i++) {
        coder.encode(rows.get(i), bytes);
        if (limits.full(i + 1 - from, bytes.count)) {
          out.accept(new PackedRows(bucket, chunk++, schema, new ArrayList<>(rows.subList(from, i + 1)), slice(origins, from, i + 1)));
          bytes.count = 0;
          from = i + 1;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (from < rows.size()) {
      out.accept(new PackedRows(bucket, chunk, schema, new ArrayList<>(rows.subList(from, rows.size())), slice(origins, from, rows.size())));
    }
  }

  private static List<String> slice(List<String> origins, int from, int to) {
    return origins == null ? null : new ArrayList<>(origins.subList(from, to));
  }

  /**
   * The origin of row {@code i}'s record ({@code <topic>+<partition>+<offset>}), in a pack made for
   * a sink that keeps origins ({@link TablePackSink#keepsOrigins()}); null otherwise.
   */
  public String origin(int i) {
    return origins == null ? null : origins.get(i);
  }

  /** Counts the bytes written to it, and keeps none. */
  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  private byte[] encoded() {
    if (encoded != null) {
      return encoded;
    }
    RowCoder coder = RowCoder.of(schema);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      for (Row row : rows) {
        coder.encode(row, bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The row-number bucket the rows come from. */
  public int bucket() {
    return bucket;
  }

  /**
   * The pack's number among its bucket's packs of one window and pane: with {@link #bucket()}, a
   * name for the rows that is the same when the pane is computed again.
   */
  public int chunk() {
    return chunk;
  }

  public int count() {
    return count;
  }

  /** The rows, of {@code schema}, in the order they were packed (decoded if the pack was encoded). */
  public void forEachRow(Schema schema, Consumer<Row> out) {
    if (rows != null) {
      rows.forEach(out);
      return;
    }
    RowCoder coder = RowCoder.of(schema);
    InputStream in = new ByteArrayInputStream(encoded);
    try {
      for (int i = 0; i < count; i++) {
        out.accept(coder.decode(in));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("corrupt packed rows", e);
    }
  }

  /** Bucket, chunk and row count, then the encoded rows as one byte array. */
  public static final class Coder extends CustomCoder<PackedRows> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PackedRows rows, OutputStream out) throws IOException {
      VarIntCoder.of().encode(rows.bucket, out);
      VarIntCoder.of().encode(rows.chunk, out);
      VarIntCoder.of().encode(rows.count, out);
      ByteArrayCoder.of().encode(rows.encoded(), out);
    }

    @Override
    public PackedRows decode(InputStream in) throws IOException {
      int bucket = VarIntCoder.of().decode(in);
      int chunk = VarIntCoder.of().decode(in);
      int count = VarIntCoder.of().decode(in);
      return new PackedRows(bucket, chunk, count, ByteArrayCoder.of().decode(in));
    }
  }
}
