package io.pinpipe.transforms.onepass;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

/** The compact pack of persons keeps every entry, in order, and encodes as a list of (year, text) did. */
public class PersonPackTest {
  @Test
  public void entriesSurviveGrowthAndTheCoderAndEncodeAsBefore() throws Exception {
    PersonPack pack = new PersonPack();
    ByteArrayOutputStream before = new ByteArrayOutputStream();
    int n = 1_000; // past the arrays' first sizes, so they grow
    VarIntCoder.of().encode(n, before);
    for (int i = 0; i < n; i++) {
      // Empty, ASCII, and multi-byte UTF-8 persons (a person key holds \u0000 separators too).
      String person = i % 7 == 0 ? "" : "\u0002Zoë " + i + "\u0000\u0002" + (20 + i % 50) + "\u0000";
      pack.add(2015 + i % 6, person);
      VarIntCoder.of().encode(2015 + i % 6, before);
      StringUtf8Coder.of().encode(person, before);
    }
    byte[] encoded = CoderUtils.encodeToByteArray(PersonPack.Coder.INSTANCE, pack);
    assertArrayEquals(before.toByteArray(), encoded);

    PersonPack decoded = CoderUtils.decodeFromByteArray(PersonPack.Coder.INSTANCE, encoded);
    assertEquals(n, decoded.size());
    assertEquals(pack.bytes(), decoded.bytes());
    for (int i = 0; i < n; i++) {
      assertEquals(pack.year(i), decoded.year(i));
      assertEquals(pack.person(i), decoded.person(i));
    }
    assertEquals("\u0002Zoë 999\u0000\u0002" + (20 + 999 % 50) + "\u0000", decoded.person(999));
    assertEquals("", decoded.person(994));
    assertEquals(2015 + 999 % 6, decoded.year(999));
  }
}
