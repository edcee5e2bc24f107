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
 */
public final class PackedRows {
  private final int count;
  private final byte[] encoded;

  private PackedRows(int count, byte[] encoded) {
    this.count = count;
    this.encoded = encoded;
  }

  /** Packs {@code rows} into elements of at most {@code limits}' records and about its bytes. */
  static void pack(Schema schema, List<Row> rows, PackLimits limits, Consumer<PackedRows> out) {
    RowCoder coder = RowCoder.of(schema);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int count = 0;
    try {
      for (Row row : rows) {
        coder.encode(row, bytes);
        count++;
        if (limits.full(count, bytes.size())) {
          out.accept(new PackedRows(count, bytes.toByteArray()));
          bytes.reset();
          count = 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (count > 0) {
      out.accept(new PackedRows(count, bytes.toByteArray()));
    }
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

  /** The row count, then the encoded rows as one byte array. */
  public static final class Coder extends CustomCoder<PackedRows> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PackedRows rows, OutputStream out) throws IOException {
      VarIntCoder.of().encode(rows.count, out);
      ByteArrayCoder.of().encode(rows.encoded, out);
    }

    @Override
    public PackedRows decode(InputStream in) throws IOException {
      int count = VarIntCoder.of().decode(in);
      return new PackedRows(count, ByteArrayCoder.of().decode(in));
    }
  }
}
