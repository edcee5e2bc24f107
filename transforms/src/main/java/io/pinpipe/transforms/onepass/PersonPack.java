package io.pinpipe.transforms.onepass;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * q6's persons of one shard (joining year and person key), packed: the distinct persons are
 * counted per shard after a small shuffle keyed by shard, since one accumulator holding every
 * person would grow with the input.
 *
 * <p>Compact, since a pack holds one entry per post with a user and a runner may keep the bucket
 * step's output in memory (SparkRunner caches a step's output that several steps read): the years
 * in an {@code int[]} and the persons' UTF-8 bytes end to end in one {@code byte[]}: a person's
 * key (about 45 bytes) and two ints, where a boxed year and a {@code String} per person had about
 * 60 bytes of object headers and references on top (BENCHMARKS.md#10000000-events-on-sparkrunner-bounded-2026-12-06-fifth-session).
 * The encoding is what a list of (VarInt year, UTF-8 string) gave before.
 */
final class PersonPack implements OpenPacks.Sized {
  private int[] years = new int[16];
  /** Where each person's bytes end in {@link #text}. */
  private int[] ends = new int[16];
  private byte[] text = new byte[512];
  private int size;
  private long bytes;

  void add(int year, String person) {
    addUtf8(year, person.getBytes(StandardCharsets.UTF_8), 0, -1);
  }

  private void addUtf8(int year, byte[] utf8, int offset, int length) {
    int n = length < 0 ? utf8.length : length;
    if (size == years.length) {
      years = Arrays.copyOf(years, size * 2);
      ends = Arrays.copyOf(ends, size * 2);
    }
    int start = size == 0 ? 0 : ends[size - 1];
    if (start + n > text.length) {
      text = Arrays.copyOf(text, Math.max(text.length * 2, start + n));
    }
    System.arraycopy(utf8, offset, text, start, n);
    years[size] = year;
    ends[size] = start + n;
    size++;
    bytes += n + 4;
  }

  int year(int i) {
    return years[i];
  }

  String person(int i) {
    int start = i == 0 ? 0 : ends[i - 1];
    return new String(text, start, ends[i] - start, StandardCharsets.UTF_8);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public long bytes() {
    return bytes;
  }

  /** The pack's size, then each entry as its VarInt year and its person as a VarInt length and UTF-8. */
  static final class Coder extends CustomCoder<PersonPack> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(PersonPack pack, OutputStream out) throws IOException {
      VarIntCoder.of().encode(pack.size, out);
      for (int i = 0; i < pack.size; i++) {
        int start = i == 0 ? 0 : pack.ends[i - 1];
        VarInt.encode(pack.years[i], out);
        VarInt.encode(pack.ends[i] - start, out);
        out.write(pack.text, start, pack.ends[i] - start);
      }
    }

    @Override
    public PersonPack decode(InputStream in) throws IOException {
      PersonPack pack = new PersonPack();
      int size = VarIntCoder.of().decode(in);
      byte[] buffer = new byte[64];
      for (int i = 0; i < size; i++) {
        int year = VarInt.decodeInt(in);
        int length = VarInt.decodeInt(in);
        if (length < 0) {
          throw new CoderException("negative length " + length + " in a pack of persons");
        }
        if (length > buffer.length) {
          buffer = new byte[Math.max(length, buffer.length * 2)];
        }
        int read = in.readNBytes(buffer, 0, length);
        if (read < length) {
          throw new CoderException("a pack of persons ends in the middle of a person");
        }
        pack.addUtf8(year, buffer, 0, length);
      }
      return pack;
    }
  }
}
