package io.pinpipe.transforms.onepass;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/**
 * q6's persons of one shard (joining year and person key), packed: the distinct persons are
 * counted per shard after a small shuffle keyed by shard, since one accumulator holding every
 * person would grow with the input.
 */
final class PersonPack implements OpenPacks.Sized {
  final List<Integer> years = new ArrayList<>();
  final List<String> persons = new ArrayList<>();
  private long bytes;

  void add(int year, String person) {
    years.add(year);
    persons.add(person);
    bytes += person.length() + 4;
  }

  @Override
  public int size() {
    return years.size();
  }

  @Override
  public long bytes() {
    return bytes;
  }

  static final class Coder extends CustomCoder<PersonPack> {
    static final Coder INSTANCE = new Coder();

    @Override
    public void encode(PersonPack pack, OutputStream out) throws IOException {
      VarIntCoder.of().encode(pack.size(), out);
      for (int i = 0; i < pack.size(); i++) {
        VarIntCoder.of().encode(pack.years.get(i), out);
        StringUtf8Coder.of().encode(pack.persons.get(i), out);
      }
    }

    @Override
    public PersonPack decode(InputStream in) throws IOException {
      PersonPack pack = new PersonPack();
      int size = VarIntCoder.of().decode(in);
      for (int i = 0; i < size; i++) {
        pack.add(VarIntCoder.of().decode(in), StringUtf8Coder.of().decode(in));
      }
      return pack;
    }
  }
}
