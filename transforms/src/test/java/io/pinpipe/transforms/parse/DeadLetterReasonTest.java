package io.pinpipe.transforms.parse;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;

import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.Test;

/**
 * Reasons are written from fixed templates and grouped by template with positions taken out; the
 * reasons themselves are exactly as before (JsonRecordParserTest pins their texts).
 */
public class DeadLetterReasonTest {

  private static String reasonOf(byte[] payload) {
    DeadLetter dead = new JsonRecordParser(RecordKind.PIN).parse(RawRecord.of("f:1", payload)).deadLetter();
    assertNotNull(dead);
    return dead.reason;
  }

  private static String reasonOf(String json) {
    return reasonOf(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void invalidUtf8AtAnyBytePositionIsOneGroup() {
    Set<String> reasons = new TreeSet<>();
    Set<String> groups = new TreeSet<>();
    for (int at : new int[] {0, 1, 2, 3, 7}) {
      byte[] payload = "{\"index\": 1}".getBytes(StandardCharsets.UTF_8);
      payload[at] = (byte) 0xC3; // a lead byte followed by one that cannot continue it
      payload[at + 1] = (byte) 0x28;
      String reason = reasonOf(payload);
      reasons.add(reason);
      groups.add(DeadLetterReason.groupOf(reason));
    }
    assertEquals(
        Set.of("invalid UTF-8 at byte 0", "invalid UTF-8 at byte 1", "invalid UTF-8 at byte 2",
            "invalid UTF-8 at byte 3", "invalid UTF-8 at byte 7"),
        reasons);
    assertEquals(Set.of("invalid UTF-8 at byte <byte>"), groups);
  }

  @Test
  public void eachParserReasonHasItsGroup() {
    assertEquals("malformed JSON: Unexpected character … at column <column>",
        DeadLetterReason.groupOf(reasonOf("{index: 1}")));
    assertEquals("malformed JSON: Unexpected character … at column <column>",
        DeadLetterReason.groupOf(reasonOf("{\"index\": 1, \"title\": @}")));
    assertEquals("malformed JSON: Unrecognized token … at column <column>",
        DeadLetterReason.groupOf(reasonOf("{\"index\": 1} x")));
    assertEquals("malformed JSON: Unexpected end-of-input … at column <column>",
        DeadLetterReason.groupOf(reasonOf("{\"index\": 1, \"title\": \"x\"")));
    assertEquals("malformed JSON: Duplicate field … at column <column>",
        DeadLetterReason.groupOf(reasonOf("{\"index\":1,\"title\":\"a\",\"title\":\"b\"}")));
    assertEquals("malformed JSON: Trailing token … at column <column>",
        DeadLetterReason.groupOf(reasonOf("{\"index\": 1} {\"index\": 2}")));
    assertEquals("empty record", DeadLetterReason.groupOf(reasonOf("   ")));
    assertEquals("not a JSON object (found an array)", DeadLetterReason.groupOf(reasonOf("[1]")));
    assertEquals("not a JSON object (found a string)", DeadLetterReason.groupOf(reasonOf("\"x\"")));
    assertEquals("row number 'index' is missing", DeadLetterReason.groupOf(reasonOf("{\"title\": \"x\"}")));
    assertEquals("row number 'index' is null", DeadLetterReason.groupOf(reasonOf("{\"index\": null}")));
    assertEquals("row number 'index' is not a JSON number: <value>",
        DeadLetterReason.groupOf(reasonOf("{\"index\": \"12\"}")));
    assertEquals("row number 'index' is not an integral number: <value>",
        DeadLetterReason.groupOf(reasonOf("{\"index\": 1.5}")));
    assertEquals("row number 'index' is out of range (int64): <value>",
        DeadLetterReason.groupOf(reasonOf("{\"index\": 1e30}")));
    assertEquals("row number 'index' is too long: a number of <length> characters, more than the limit of <limit>",
        DeadLetterReason.groupOf(reasonOf("{\"index\": " + "1".repeat(1001) + "}")));
    assertEquals("JSON nested too deeply: more than <limit> levels of objects and arrays",
        DeadLetterReason.groupOf(reasonOf("[".repeat(65) + "]".repeat(65))));
    String large = reasonOf(new JsonRecordParser(RecordKind.PIN, 16), "{\"index\": 1, \"title\": \"long\"}");
    assertEquals("record too large: 29 bytes, more than the limit of 16 bytes", large);
    assertEquals("record too large: <bytes> bytes, more than the limit of <limit> bytes", DeadLetterReason.groupOf(large));
  }

  private static String reasonOf(JsonRecordParser parser, String json) {
    return parser.parse(RawRecord.of("f:1", json.getBytes(StandardCharsets.UTF_8))).deadLetter().reason;
  }

  @Test
  public void formatFillsThePlaceholdersInOrderAndGroupOfReadsThemBack() {
    String reason = DeadLetterReason.ARCHIVE_RECORD_TOO_LARGE.format(300_000, 262_144);
    assertEquals("record of 300000 bytes is larger than the limit of 262144 bytes (--maxRecordBytes)", reason);
    assertEquals("record of <bytes> bytes is larger than the limit of <limit> bytes (--maxRecordBytes)",
        DeadLetterReason.groupOf(reason));
    assertEquals("parser failure: <exception>",
        DeadLetterReason.groupOf(DeadLetterReason.PARSER_FAILURE.format(new IllegalStateException("at 3"))));
    assertThrows(IllegalArgumentException.class, () -> DeadLetterReason.INVALID_UTF8.format());
  }

  @Test
  public void aReasonNoTemplateWroteIsGroupedWithoutItsNumbers() {
    assertEquals("bad thing at offset <n> of <n>", DeadLetterReason.groupOf("bad thing at offset 12 of 900"));
  }
}
