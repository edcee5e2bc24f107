package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.parse.RowNumbers;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
 * <p>A pack is bounded by {@link PackLimits}, so no element grows with the input. Packs made for
 * streaming post assembly also carry each record's event time ({@link #timed()}) and its row
 * number as {@link RowNumbers} read it where the record was packed (to pick its bucket), so
 * assembly does not read it again; the packs assembly releases carry neither (their element's
 * timestamp places them in their window).
 */
public final class RecordPack implements OpenPacks.Sized {
  private static final RecordKind[] KINDS = RecordKind.values();

  // Per record: kind, payload, and origin as (prefix, number): "<file>:<line>" or
  // "<topic>+<partition>+<offset>" share their prefix within a pack, so an origin costs a few bytes,
  // not a string per record (in the shuffle and in a runner's memory).
  private byte[] kinds = new byte[16];
  private int[] originPrefixes = new int[16];
  private long[] originNumbers = new long[16];
  private final List<byte[]> payloads = new ArrayList<>();
  private final List<String> prefixes = new ArrayList<>();
  private final Map<String, Integer> prefixIndex = new HashMap<>();
  // Each record's event time and row number, only in packs made before post assembly (which needs
  // them); null after. A record whose row number could not be read has none (numbered clear).
  private long[] times;
  private long[] rowNumbers;
  private BitSet numbered;
  private long earliest = Long.MAX_VALUE;
  private long bytes;
  private final long[] read = new long[KINDS.length];

  public void add(RecordKind kind, RawRecord record) {
    if (times != null) {
      throw new IllegalStateException("this pack holds event times: add records with their time");
    }
    addOrigin(kind, record.origin, record.payload);
  }

  /**
   * Adds a record with its event time, {@code millis}: packs read by post assembly, which holds a
   * record by its time. A pack holds times for all its records or for none.
   */
  public void add(RecordKind kind, RawRecord record, long millis) {
    add(kind, record, millis, RowNumbers.of(kind, record.payload));
  }

  /**
   * {@link #add(RecordKind, RawRecord, long)} with the record's row number as {@link RowNumbers}
   * reads it, already read by the caller ({@code PackRecordsFn}, to pick the bucket).
   */
  public void add(RecordKind kind, RawRecord record, long millis, OptionalLong rowNumber) {
    if (times == null && size() > 0) {
      throw new IllegalStateException("this pack holds no event times");
    }
    int i = size();
    addOrigin(kind, record.origin, record.payload);
    stamp(i, millis, rowNumber.isPresent(), rowNumber.isPresent() ? rowNumber.getAsLong() : 0);
  }

  /**
   * {@link #add(RecordKind, RawRecord, long, OptionalLong)} for a record whose origin is already
   * split as {@code originPrefix + originNumber} (a Kafka reader packing as it reads: {@code
   * "<topic>+<partition>+"} and the offset), without building the origin string per record. The
   * pack holds the same as if the joined string had been added, if {@code originNumber} is
   * non-negative and under 10^17 (what {@link #add(RecordKind, RawRecord)} splits off).
   */
  void add(RecordKind kind, String originPrefix, long originNumber, byte[] payload, long millis, OptionalLong rowNumber) {
    if (times == null && size() > 0) {
      throw new IllegalStateException("this pack holds no event times");
    }
    if (originNumber < 0 || originNumber >= 100_000_000_000_000_000L) {
      throw new IllegalArgumentException("origin number out of range: " + originNumber);
    }
    int i = size();
    addSplit(kind, originPrefix, originNumber, payload);
    stamp(i, millis, rowNumber.isPresent(), rowNumber.isPresent() ? rowNumber.getAsLong() : 0);
  }

  /**
   * Adds a record whose origin is already split ({@link #originPrefix}, {@link #originNumber}), as
   * post assembly moves records from the packs it reads to those it releases, without its time.
   */
  public void add(RecordKind kind, String originPrefix, long originNumber, byte[] payload) {
    if (times != null) {
      throw new IllegalStateException("this pack holds event times: add records with their time");
    }
    addSplit(kind, originPrefix, originNumber, payload);
  }

  private void stamp(int i, long millis, boolean hasRowNumber, long rowNumber) {
    if (times == null) {
      times = new long[kinds.length];
      rowNumbers = new long[kinds.length];
      numbered = new BitSet();
    } else if (times.length < kinds.length) {
      times = Arrays.copyOf(times, kinds.length);
      rowNumbers = Arrays.copyOf(rowNumbers, kinds.length);
    }
    times[i] = millis;
    earliest = Math.min(earliest, millis);
    if (hasRowNumber) {
      rowNumbers[i] = rowNumber;
      numbered.set(i);
    }
    bytes += 16;
  }

  private void addOrigin(RecordKind kind, String origin, byte[] payload) {
    int digits = origin.length();
    while (digits > 0 && isAsciiDigit(origin.charAt(digits - 1)) && origin.length() - digits < 18) {
      digits--;
    }
    // A number only when it prints back the same: no leading zero ("+0000000042" stays text).
    boolean numbered =
        digits < origin.length() && (origin.length() - digits == 1 || origin.charAt(digits) != '0');
    addSplit(
        kind,
        numbered ? origin.substring(0, digits) : origin,
        numbered ? Long.parseLong(origin.substring(digits)) : -1,
        payload);
  }

  private void addSplit(RecordKind kind, String prefix, long number, byte[] payload) {
    int i = payloads.size();
    if (i == kinds.length) {
      kinds = Arrays.copyOf(kinds, i * 2);
      originPrefixes = Arrays.copyOf(originPrefixes, i * 2);
      originNumbers = Arrays.copyOf(originNumbers, i * 2);
    }
    kinds[i] = (byte) kind.ordinal();
    Integer index = prefixIndex.get(prefix);
    if (index == null) {
      index = prefixes.size();
      prefixes.add(prefix);
      prefixIndex.put(prefix, index);
      bytes += prefix.length() + 2;
    }
    originPrefixes[i] = index;
    originNumbers[i] = number;
    payloads.add(payload);
    bytes += payload.length + 12;
  }

  /** Whether the records carry their event times ({@link #add(RecordKind, RawRecord, long)}). */
  public boolean timed() {
    return times != null;
  }

  /** The event time of record {@code i}, in milliseconds, in a {@link #timed()} pack. */
  public long time(int i) {
    return times[i];
  }

  /**
   * Whether record {@code i} of a {@link #timed()} pack has a row number ({@link RowNumbers} could
   * read one): post assembly holds it by that number; a record without one goes straight on.
   */
  public boolean hasRowNumber(int i) {
    return numbered.get(i);
  }

  /** The row number of record {@code i} of a {@link #timed()} pack, if {@link #hasRowNumber}. */
  public long rowNumber(int i) {
    if (!numbered.get(i)) {
      throw new IllegalStateException("record " + i + " has no row number");
    }
    return rowNumbers[i];
  }

  /** The earliest event time of a {@link #timed()} pack's records. */
  public long earliestTime() {
    return earliest;
  }

  /** The payload of record {@code i}, as read (not a copy). */
  public byte[] payload(int i) {
    return payloads.get(i);
  }

  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
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
    return payloads.size();
  }

  /** About the bytes the pack takes encoded: payloads, origin prefixes and a little per record. */
  @Override
  public long bytes() {
    return bytes;
  }

  public RecordKind kind(int i) {
    return KINDS[kinds[i]];
  }

  /**
   * The origin of record {@code i} without its trailing number, e.g. {@code "<topic>+<partition>+"}
   * (the whole origin when it has none): with {@link #originNumber} it names the record without
   * building a string per record.
   */
  public String originPrefix(int i) {
    return prefixes.get(originPrefixes[i]);
  }

  /** The number that ends record {@code i}'s origin (a Kafka offset, a line), or -1 if none. */
  public long originNumber(int i) {
    return originNumbers[i];
  }

  public RawRecord record(int i) {
    String prefix = prefixes.get(originPrefixes[i]);
    long number = originNumbers[i];
    return RawRecord.of(number < 0 ? prefix : prefix + number, payloads.get(i));
  }

  /**
   * The read counts per kind, then per record: kind, origin, payload, and in a timed pack the event
   * time and the row number (a flag, then the number if there is one).
   */
  public static final class Coder extends CustomCoder<RecordPack> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(RecordPack pack, OutputStream out) throws IOException {
      for (long n : pack.read) {
        VarLongCoder.of().encode(n, out);
      }
      VarIntCoder.of().encode(pack.prefixes.size(), out);
      for (String prefix : pack.prefixes) {
        StringUtf8Coder.of().encode(prefix, out);
      }
      VarIntCoder.of().encode(pack.size(), out);
      out.write(pack.timed() ? 1 : 0);
      for (int i = 0; i < pack.size(); i++) {
        out.write(pack.kinds[i]);
        VarIntCoder.of().encode(pack.originPrefixes[i], out);
        VarLongCoder.of().encode(pack.originNumbers[i] + 1, out);
        ByteArrayCoder.of().encode(pack.payloads.get(i), out);
        if (pack.timed()) {
          VarLongCoder.of().encode(pack.times[i], out);
          if (pack.numbered.get(i)) {
            out.write(1);
            VarLongCoder.of().encode(pack.rowNumbers[i], out);
          } else {
            out.write(0);
          }
        }
      }
    }

    @Override
    public RecordPack decode(InputStream in) throws IOException {
      RecordPack pack = new RecordPack();
      for (int k = 0; k < pack.read.length; k++) {
        pack.read[k] = VarLongCoder.of().decode(in);
      }
      int prefixes = VarIntCoder.of().decode(in);
      for (int p = 0; p < prefixes; p++) {
        String prefix = StringUtf8Coder.of().decode(in);
        pack.prefixIndex.put(prefix, p);
        pack.prefixes.add(prefix);
        pack.bytes += prefix.length() + 2;
      }
      int size = VarIntCoder.of().decode(in);
      int timed = in.read();
      if (timed != 0 && timed != 1) {
        throw new IOException("corrupt record pack: timed flag " + timed);
      }
      pack.kinds = new byte[Math.max(size, 1)];
      pack.originPrefixes = new int[Math.max(size, 1)];
      pack.originNumbers = new long[Math.max(size, 1)];
      for (int i = 0; i < size; i++) {
        int kind = in.read();
        if (kind < 0 || kind >= KINDS.length) {
          throw new IOException("corrupt record pack: kind " + kind);
        }
        pack.kinds[i] = (byte) kind;
        pack.originPrefixes[i] = VarIntCoder.of().decode(in);
        pack.originNumbers[i] = VarLongCoder.of().decode(in) - 1;
        byte[] payload = ByteArrayCoder.of().decode(in);
        pack.payloads.add(payload);
        pack.bytes += payload.length + 12;
        if (timed == 1) {
          long time = VarLongCoder.of().decode(in);
          int numbered = in.read();
          if (numbered != 0 && numbered != 1) {
            throw new IOException("corrupt record pack: row-number flag " + numbered);
          }
          pack.stamp(i, time, numbered == 1, numbered == 1 ? VarLongCoder.of().decode(in) : 0);
        }
      }
      return pack;
    }

  }
}
