package io.pinpipe.transforms.onepass;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
  private final byte[] encoded;

  private PackedRows(int bucket, int chunk, int count, byte[] encoded) {
    this.bucket = bucket;
    this.chunk = chunk;
    this.count = count;
    this.encoded = encoded;
  }

  /**
   * Packs a bucket's {@code rows} into elements of at most {@code limits}' records and about its
   * bytes, numbered from 0 in the order given.
   */
  static void pack(Schema schema, int bucket, List<Row> rows, PackLimits limits, Consumer<PackedRows> out) {
    RowCoder coder = RowCoder.of(schema);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int count = 0;
    int chunk = 0;
    try {
      for (Row row : rows) {
        coder.encode(row, bytes);
        count++;
        if (limits.full(count, bytes.size())) {
          out.accept(new PackedRows(bucket, chunk++, count, bytes.toByteArray()));
          bytes.reset();
          count = 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (count > 0) {
      out.accept(new PackedRows(bucket, chunk, count, bytes.toByteArray()));
    }
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

  /** Decodes the rows, of {@code schema}, in the order they were packed. */
  public void forEachRow(Schema schema, Consumer<Row> out) {
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
      ByteArrayCoder.of().encode(rows.encoded, out);
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
