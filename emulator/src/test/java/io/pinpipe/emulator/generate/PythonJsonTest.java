package io.pinpipe.emulator.generate;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** Byte-for-byte like Python's json.dumps with its defaults (expected texts printed by python3). */
public class PythonJsonTest {

  @Test
  public void escapesLikeJsonDumpsWithEnsureAscii() {
    // python3 -c 'import json; print(json.dumps({"index": 4, "title": s, "latitude": -87.2, "n": 0}))'
    String s = "Say \"hi\" \\ back\n\ttab\r\b\f\u0001\u007f caf\u00e9 \u2013 \uD83C\uDF42 end";
    String json =
        new PythonJson(64)
            .field("index", 4)
            .field("title", s)
            .rawNumber("latitude", PythonJson.pythonFloat(-87.2, 6))
            .field("n", 0)
            .build();
    assertEquals(
        "{\"index\": 4, \"title\": \"Say \\\"hi\\\" \\\\ back\\n\\ttab\\r\\b\\f\\u0001\\u007f"
            + " caf\\u00e9 \\u2013 \\ud83c\\udf42 end\", \"latitude\": -87.2, \"n\": 0}",
        json);
  }

  @Test
  public void anEmptyObjectIsBracesAndAnEmptyStringIsTwoQuotes() {
    assertEquals("{}", new PythonJson(2).build());
    assertEquals("{\"title\": \"\"}", new PythonJson(2).field("title", "").build());
  }

  @Test
  public void floatsAreWrittenAsPythonsRepr() {
    // python3 -c 'print(repr(v))' for each v
    assertEquals("-88.8298", PythonJson.pythonFloat(-88.8298, 6));
    assertEquals("-87.2", PythonJson.pythonFloat(-87.2, 6));
    assertEquals("4.21689", PythonJson.pythonFloat(4.21689, 6));
    assertEquals("1.23456e-05", PythonJson.pythonFloat(0.0000123456, 6));
    assertEquals("90.0", PythonJson.pythonFloat(90.0, 6));
    assertEquals("0.0001", PythonJson.pythonFloat(0.0001, 6));
    assertEquals("-0.00012345", PythonJson.pythonFloat(-0.00012345, 6));
    assertEquals("179.999", PythonJson.pythonFloat(179.999, 6));
    assertEquals("1e+16", PythonJson.pythonFloat(1e16, 6));
    assertEquals("123456.0", PythonJson.pythonFloat(123456.0, 6));
    assertEquals("0.0", PythonJson.pythonFloat(-0.0, 6));
  }

  @Test
  public void floatsAreRoundedToTheGivenSignificantDigits() {
    assertEquals("-170.188", PythonJson.pythonFloat(-170.18812345, 6));
    assertEquals("-170.19", PythonJson.pythonFloat(-170.1899999, 6));
    assertEquals("12.3457", PythonJson.pythonFloat(12.345678, 6));
  }
}
