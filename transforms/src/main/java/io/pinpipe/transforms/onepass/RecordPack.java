package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.schema.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * Raw records of any kind bound for one row-number bucket, packed into one element: a runner pays
 * per element it moves (a Flink batch shuffle costs about 15-20 µs per element, BENCHMARKS.md), so
 * one pack of a few thousand records crosses the shuffle for the price of one. Records stay as they
 * were read (bytes and origin) and are parsed after the shuffle.
 *
 * <p>A pack is bounded by {@link PackLimits}, so no element grows with the input.
 */
public final class RecordPack implements OpenPacks.Sized {
  private final List<RecordKind> kinds;
  private final List<String> origins;
  private final List<byte[]> payloads;
  private long bytes;
  private final long[] read = new long[RecordKind.values().length];

  public RecordPack() {
    this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
  }

  private RecordPack(List<RecordKind> kinds, List<String> origins, List<byte[]> payloads) {
    this.kinds = kinds;
    this.origins = origins;
    this.payloads = payloads;
  }

  public void add(RecordKind kind, RawRecord record) {
    kinds.add(kind);
    origins.add(record.origin);
    payloads.add(record.payload);
    bytes += record.payload.length + record.origin.length() + 8;
  }

  /**
   * Counts one record read, apart from the records the pack holds: the job's {@code read} count is
   * taken where records are read, so a record lost on its way to the cleaning shows up as read but
   * neither cleaned, dead-lettered nor a duplicate.
   */
  public void countRead(RecordKind kind) {
    read[kind.ordinal()]++;
  }

  /** The records of {@code kind} counted as read into this pack. */
  public long read(RecordKind kind) {
    return read[kind.ordinal()];
  }

  @Override
  public int size() {
    return kinds.size();
  }

  /** About the bytes the pack takes encoded: payloads, origins and a little per record. */
  @Override
  public long bytes() {
    return bytes;
  }

  public RecordKind kind(int i) {
    return kinds.get(i);
  }

  public RawRecord record(int i) {
    return RawRecord.of(origins.get(i), payloads.get(i));
  }

  /** The read counts per kind, then per record: kind, origin, payload. */
  public static final class Coder extends CustomCoder<RecordPack> {
    private static final Coder INSTANCE = new Coder();
    private static final RecordKind[] KINDS = RecordKind.values();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RecordPack pack, OutputStream out) throws IOException {
      for (long n : pack.read) {
        VarLongCoder.of().encode(n, out);
      }
      VarIntCoder.of().encode(pack.size(), out);
      for (int i = 0; i < pack.size(); i++) {
        out.write(pack.kinds.get(i).ordinal());
        StringUtf8Coder.of().encode(pack.origins.get(i), out);
        ByteArrayCoder.of().encode(pack.payloads.get(i), out);
      }
    }

    @Override
    public RecordPack decode(InputStream in) throws IOException {
      long[] read = new long[KINDS.length];
      for (int k = 0; k < read.length; k++) {
        read[k] = VarLongCoder.of().decode(in);
      }
      int size = VarIntCoder.of().decode(in);
      RecordPack pack = new RecordPack(new ArrayList<>(size), new ArrayList<>(size), new ArrayList<>(size));
      System.arraycopy(read, 0, pack.read, 0, read.length);
      for (int i = 0; i < size; i++) {
        int kind = in.read();
        if (kind < 0 || kind >= KINDS.length) {
          throw new IOException("corrupt record pack: kind " + kind);
        }
        pack.kinds.add(KINDS[kind]);
        pack.origins.add(StringUtf8Coder.of().decode(in));
        pack.payloads.add(ByteArrayCoder.of().decode(in));
      }
      return pack;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
