package io.pinpipe.transforms.parse;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * What the parser dead-letters (with its exact reason, origin and payload) and what it keeps
 * (docs/semantics.md#cleaning-per-kind, "Parse").
 */
@RunWith(JUnit4.class)
public class JsonRecordParserTest {

  private static final String ORIGIN = "topics/demo.pin/partition=0/demo.pin+0+0000000000.json:3";

  private static final String FULL_PIN =
      "{\"index\": 7528, \"unique_id\": \"fbe53c66\", \"title\": \"Ideas\", \"description\": \"Nice\","
          + " \"poster_name\": \"Ann\", \"follower_count\": \"26k\", \"tag_list\": \"a,b\","
          + " \"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/x.jpg\","
          + " \"downloaded\": 1, \"save_location\": \"Local save in /data/art\", \"category\": \"art\"}";

  private static JsonRecordParser.Outcome parse(RecordKind kind, byte[] payload) {
    return new JsonRecordParser(kind).parse(RawRecord.of(ORIGIN, payload));
  }

  private static JsonRecordParser.Outcome parsePin(String json) {
    return parse(RecordKind.PIN, json.getBytes(StandardCharsets.UTF_8));
  }

  private static Row parsedPin(String json) {
    JsonRecordParser.Outcome outcome = parsePin(json);
    assertNull("unexpected dead letter " + outcome.deadLetter(), outcome.deadLetter());
    assertNotNull(outcome.row());
    return outcome.row();
  }

  /** Asserts a dead letter of a valid-UTF-8 pin payload: the text is kept, no base64. */
  private static void assertPinDeadLetter(String json, String reason) {
    JsonRecordParser.Outcome outcome = parsePin(json);
    assertNull("expected a dead letter, got " + outcome.row(), outcome.row());
    assertEquals(new DeadLetter("pin", ORIGIN, reason, json, null), outcome.deadLetter());
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] withBom(byte[] payload) {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] both = new byte[bom.length + payload.length];
    System.arraycopy(bom, 0, both, 0, bom.length);
    System.arraycopy(payload, 0, both, bom.length, payload.length);
    return both;
  }

  // ---- kept records ----

  @Test
  public void wellFormedPinBecomesParsedRowWithoutIssues() {
    assertEquals(
        Row.withSchema(RecordSchemas.PIN_PARSED)
            .addValues(
                7528L, "fbe53c66", "Ideas", "Nice", "Ann", "26k", "a,b", "image",
                "https://i.pinimg.com/x.jpg", 1L, "Local save in /data/art", "art", List.of())
            .build(),
        parsedPin(FULL_PIN));
  }

  @Test
  public void prettyPrintedObjectWithSurroundingWhitespaceIsParsed() {
    Row row = parsedPin("\n  {\n    \"index\": 3,\n    \"title\": \"t\"\n  }\n");
    assertEquals(Long.valueOf(3L), row.getInt64("index"));
    assertEquals("t", row.getString("title"));
  }

  @Test
  public void unknownExtraFieldsAreIgnoredAndRecordedAsIssues() {
    Row row = parsedPin(FULL_PIN.replace("{\"index\": 7528,", "{\"index\": 7528, \"ind\": 1, \"extra\": {\"x\": 1},"));
    assertEquals(
        Row.withSchema(RecordSchemas.PIN_PARSED)
            .addValues(
                7528L, "fbe53c66", "Ideas", "Nice", "Ann", "26k", "a,b", "image",
                "https://i.pinimg.com/x.jpg", 1L, "Local save in /data/art", "art",
                List.of("unknown_field:ind", "unknown_field:extra"))
            .build(),
        row);
  }

  @Test
  public void fieldNamedLikeTheIssuesColumnIsAnUnknownField() {
    Row row = parsedPin("{\"index\": 1, \"parse_issues\": [\"nulled:title:x\"]}");
    assertEquals(
        List.of(
            "nulled:unique_id:missing", "nulled:title:missing", "nulled:description:missing",
            "nulled:poster_name:missing", "nulled:follower_count:missing", "nulled:tag_list:missing",
            "nulled:is_image_or_video:missing", "nulled:image_src:missing", "nulled:downloaded:missing",
            "nulled:save_location:missing", "nulled:category:missing", "unknown_field:parse_issues"),
        row.getArray(RecordSchemas.PARSE_ISSUES));
  }

  @Test
  public void unknownFieldNameIsMadePrintableAndShortened() {
    String longName = "abcdefghij".repeat(5); // 50 characters
    Row row =
        parsedPin(
            FULL_PIN.replace(
                "{\"index\": 7528,", "{\"index\": 7528, \"a|b\\tc\\nd\": 1, \"" + longName + "\": 2,"));
    assertEquals(
        List.of("unknown_field:a?b?c?d", "unknown_field:" + longName.substring(0, 40) + "..."),
        row.getArray(RecordSchemas.PARSE_ISSUES));
  }

  @Test
  public void integralRowNumberWithZeroFractionIsAccepted() {
    assertEquals(Long.valueOf(12L), parsedPin("{\"index\": 12.0}").getInt64("index"));
    assertEquals(Long.valueOf(12L), parsedPin("{\"index\": 1.2e1}").getInt64("index"));
  }

  @Test
  public void largestInt64RowNumberIsAccepted() {
    assertEquals(
        Long.valueOf(Long.MAX_VALUE), parsedPin("{\"index\": 9223372036854775807}").getInt64("index"));
  }

  @Test
  public void geoAndUserRowNumberIsInd() {
    JsonRecordParser.Outcome geo =
        parse(RecordKind.GEO, "{\"ind\": 5, \"country\": \"Chile\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(Long.valueOf(5L), geo.row().getInt64("ind"));
    JsonRecordParser.Outcome user =
        parse(RecordKind.USER, "{\"ind\": 6, \"age\": 30}".getBytes(StandardCharsets.UTF_8));
    assertEquals(Long.valueOf(6L), user.row().getInt64("ind"));
  }

  // ---- dead letters: encoding and JSON ----

  @Test
  public void invalidUtf8IsDeadLetteredWithBase64PayloadAndNoText() {
    byte[] payload = {(byte) 0xC3, (byte) 0x28};
    JsonRecordParser.Outcome outcome = parse(RecordKind.PIN, payload);
    assertNull(outcome.row());
    assertEquals(
        new DeadLetter("pin", ORIGIN, "invalid UTF-8 at byte 0", null, "wyg="), outcome.deadLetter());
  }

  @Test
  public void invalidUtf8InsideAStringNamesTheFirstBadByte() {
    // {"index":1,"title":"<C3 28>"}: the bad sequence starts at byte 20.
    byte[] prefix = "{\"index\":1,\"title\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[prefix.length + 4];
    System.arraycopy(prefix, 0, payload, 0, prefix.length);
    payload[20] = (byte) 0xC3;
    payload[21] = (byte) 0x28;
    payload[22] = '"';
    payload[23] = '}';
    JsonRecordParser.Outcome outcome = parse(RecordKind.PIN, payload);
    assertEquals(
        new DeadLetter(
            "pin", ORIGIN, "invalid UTF-8 at byte 20", null, "eyJpbmRleCI6MSwidGl0bGUiOiLDKCJ9"),
        outcome.deadLetter());
  }

  @Test
  public void truncatedUtf8SequenceAtTheEndIsInvalid() {
    // "{}" followed by the first two bytes of the three-byte euro sign E2 82 AC.
    byte[] payload = {'{', '}', (byte) 0xE2, (byte) 0x82};
    assertEquals(
        new DeadLetter("pin", ORIGIN, "invalid UTF-8 at byte 2", null, "e33igg=="),
        parse(RecordKind.PIN, payload).deadLetter());
  }

  @Test
  public void validMultiByteUtf8IsKept() {
    Row row = parsedPin("{\"index\": 1, \"title\": \"Caf\u00e9 \u20ac \ud83d\ude00\"}");
    assertEquals("Caf\u00e9 \u20ac \ud83d\ude00", row.getString("title"));
  }

  @Test
  public void malformedJsonLineIsDeadLettered() {
    assertPinDeadLetter(
        "{index: 1}",
        "malformed JSON: Unexpected character ('i' (code 105)): was expecting double-quote to start"
            + " field name at column 3");
  }

  @Test
  public void unterminatedObjectIsDeadLetteredWithoutQuotingThePayloadInTheReason() {
    assertPinDeadLetter(
        "{\"index\": 1, \"title\": \"x\"",
        "malformed JSON: Unexpected end-of-input: expected close marker for Object (start marker at"
            + " [Source: UNKNOWN; line: 1, column: 1]) at column 26");
  }

  @Test
  public void trailingGarbageAfterTheObjectIsDeadLettered() {
    assertPinDeadLetter(
        "{\"index\": 1} x",
        "malformed JSON: Unrecognized token 'x': was expecting (JSON String, Number, Array, Object"
            + " or token 'null', 'true' or 'false') at column 15");
  }

  @Test
  public void secondObjectOnTheSameLineIsDeadLettered() {
    assertPinDeadLetter(
        "{\"index\": 1} {\"index\": 2}",
        "malformed JSON: Trailing token (of type START_OBJECT) found after value (bound as"
            + " `com.fasterxml.jackson.databind.JsonNode`): not allowed as per"
            + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS` at column 14");
  }

  @Test
  public void duplicateKeyInOneObjectIsDeadLettered() {
    assertPinDeadLetter(
        "{\"index\":1,\"title\":\"a\",\"title\":\"b\"}",
        "malformed JSON: Duplicate field 'title' at column 31");
  }

  @Test
  public void arrayInsteadOfObjectIsDeadLettered() {
    assertPinDeadLetter("[{\"index\": 1}]", "not a JSON object (found an array)");
  }

  @Test
  public void stringInsteadOfObjectIsDeadLettered() {
    assertPinDeadLetter("\"index\"", "not a JSON object (found a string)");
  }

  @Test
  public void numberInsteadOfObjectIsDeadLettered() {
    assertPinDeadLetter("42", "not a JSON object (found a number)");
  }

  @Test
  public void booleanOrNullInsteadOfObjectIsDeadLettered() {
    assertPinDeadLetter("true", "not a JSON object (found a boolean)");
    assertPinDeadLetter("null", "not a JSON object (found null)");
  }

  @Test
  public void emptyRecordIsDeadLettered() {
    assertPinDeadLetter("", "empty record");
  }

  @Test
  public void blankRecordIsDeadLetteredWithItsWhitespace() {
    assertPinDeadLetter(" \t\n ", "empty record");
  }

  // ---- dead letters: the row number ----

  @Test
  public void missingRowNumberIsDeadLettered() {
    assertPinDeadLetter("{\"title\": \"x\"}", "row number 'index' is missing");
  }

  @Test
  public void pinCarryingIndInsteadOfIndexHasNoRowNumber() {
    assertPinDeadLetter("{\"ind\": 1}", "row number 'index' is missing");
  }

  @Test
  public void geoWithoutIndIsDeadLetteredNamingInd() {
    String json = "{\"index\": 1, \"country\": \"Chile\"}";
    assertEquals(
        new DeadLetter("geo", ORIGIN, "row number 'ind' is missing", json, null),
        parse(RecordKind.GEO, json.getBytes(StandardCharsets.UTF_8)).deadLetter());
  }

  @Test
  public void nullRowNumberIsDeadLettered() {
    assertPinDeadLetter("{\"index\": null}", "row number 'index' is null");
  }

  @Test
  public void rowNumberAsStringIsDeadLettered() {
    assertPinDeadLetter("{\"index\": \"12\"}", "row number 'index' is not a JSON number: \"12\"");
  }

  @Test
  public void rowNumberAsBooleanOrObjectIsDeadLettered() {
    assertPinDeadLetter("{\"index\": true}", "row number 'index' is not a JSON number: true");
    assertPinDeadLetter(
        "{\"index\": {\"n\": 1}}", "row number 'index' is not a JSON number: {\"n\":1}");
  }

  @Test
  public void longRowNumberTextIsShortenedInTheReason() {
    String fifty = "1234567890".repeat(5);
    assertPinDeadLetter(
        "{\"index\": \"" + fifty + "\"}",
        "row number 'index' is not a JSON number: \"" + fifty.substring(0, 39) + "...");
  }

  @Test
  public void fractionalRowNumberIsDeadLettered() {
    assertPinDeadLetter("{\"index\": 1.5}", "row number 'index' is not an integral number: 1.5");
  }

  @Test
  public void hugeRowNumberIsDeadLetteredAsOutOfRange() {
    assertPinDeadLetter("{\"index\": 1e30}", "row number 'index' is out of range (int64): 1.0E30");
    assertPinDeadLetter(
        "{\"index\": 9223372036854775808}",
        "row number 'index' is out of range (int64): 9223372036854775808");
  }

  @Test
  public void rowNumberBeyondDoubleRangeIsDeadLetteredNotAnError() {
    assertPinDeadLetter("{\"index\": 1e400}", "row number 'index' is out of range (int64): Infinity");
    assertPinDeadLetter(
        "{\"index\": -1e400}", "row number 'index' is out of range (int64): -Infinity");
  }

  @Test
  public void rowNumberFromALargeDoubleIsReadFromItsDecimalDigitsAsBefore() {
    // The tree model read a float row number through BigDecimal.valueOf(double), i.e. from the
    // digits Double.toString prints; the streaming parser keeps that reading from 2^53 up.
    assertEquals(
        Long.valueOf(9223372036854774800L), parsedPin("{\"index\": 9.2233720368547748E18}").getInt64("index"));
    assertPinDeadLetter(
        "{\"index\": -9.223372036854775808E18}",
        "row number 'index' is out of range (int64): -9.223372036854776E18");
  }

  // ---- nesting ----

  @Test
  public void nestingUpToTheLimitIsKept() {
    // The record's object is level 1, so 63 arrays inside it make 64 levels.
    Row row = parsedPin("{\"index\": 1, \"deep\": " + "[".repeat(63) + "]".repeat(63) + "}");
    assertTrue(row.<String>getArray(RecordSchemas.PARSE_ISSUES).contains("unknown_field:deep"));
  }

  @Test
  public void nestingDeeperThanTheLimitIsDeadLettered() {
    String reason = "JSON nested too deeply: more than 64 levels of objects and arrays";
    assertEquals(64, JsonRecordParser.MAX_NESTING_DEPTH);
    assertPinDeadLetter("{\"index\": 1, \"deep\": " + "[".repeat(64) + "]".repeat(64) + "}", reason);
    assertPinDeadLetter("{\"index\": 1, \"title\": " + "{\"a\":".repeat(64) + "1" + "}".repeat(65), reason);
    assertPinDeadLetter("{\"index\": " + "[".repeat(64) + "]".repeat(64) + "}", reason);
    assertPinDeadLetter("[".repeat(65) + "]".repeat(65), reason);
  }

  @Test(timeout = 10_000)
  public void extremeNestingIsDeadLetteredWithoutStackOverflow() {
    String reason = "JSON nested too deeply: more than 64 levels of objects and arrays";
    // Both under the default size limit: 200,021 and 250,000 bytes.
    assertPinDeadLetter(
        "{\"index\": 1, \"deep\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}", reason);
    assertPinDeadLetter("{\"a\":".repeat(50_000), reason);
  }

  // ---- binary payloads ----

  @Test
  public void gzippedRecordIsDeadLetteredWithBase64Payload() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
      gzip.write(utf8("{\"index\": 1}"));
    }
    byte[] payload = bytes.toByteArray(); // 1F 8B ...: 8B cannot start a UTF-8 character
    assertEquals(
        new DeadLetter(
            "pin", ORIGIN, "invalid UTF-8 at byte 1", null, Base64.getEncoder().encodeToString(payload)),
        parse(RecordKind.PIN, payload).deadLetter());
  }

  @Test
  public void pngHeaderIsDeadLetteredWithBase64Payload() {
    byte[] payload = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 0x0D};
    assertEquals(
        new DeadLetter("pin", ORIGIN, "invalid UTF-8 at byte 0", null, "iVBORw0KGgoAAAAN"),
        parse(RecordKind.PIN, payload).deadLetter());
  }

  @Test
  public void binaryThatHappensToBeUtf8IsMalformedJsonWithItsText() {
    // NUL bytes are valid UTF-8, and the bytes are not taken for UTF-16 or UTF-32 because of them.
    // (Column 2 for the first byte is Jackson's count, as with the tree parser.)
    byte[] payload = {0, 0, 0, 1, 'x'};
    JsonRecordParser.Outcome outcome = parse(RecordKind.PIN, payload);
    assertEquals(
        new DeadLetter(
            "pin",
            ORIGIN,
            "malformed JSON: Illegal character ((CTRL-CHAR, code 0)): only regular white space (\\r,"
                + " \\n, \\t) is allowed between tokens at column 2",
            "\0\0\0\1x",
            null),
        outcome.deadLetter());
  }

  // ---- every record accounted for ----

  @Test
  public void everyPayloadGivesExactlyOneRowOrDeadLetter() {
    Random random = new Random(20_240_601L);
    String[] pieces = {
      "{", "}", "[", "]", ",", ":", "\"", "\\", " ", "\n", "1", "-", ".", "e", "null", "true",
      "\"index\"", "\"title\"", "\"downloaded\"", "1e400", "9223372036854775808", "12.0", "\u00e9",
      "\ud83d\ude00", "\u0000", "\ufeff", "[[[[", "\"" + "x".repeat(70_000) + "\"", "9".repeat(2000)
    };
    JsonRecordParser parser = new JsonRecordParser(RecordKind.PIN);
    for (int i = 0; i < 5_000; i++) {
      StringBuilder json = new StringBuilder(random.nextBoolean() ? FULL_PIN : "");
      for (int edits = random.nextInt(4); edits > 0; edits--) {
        int at = random.nextInt(json.length() + 1);
        if (random.nextBoolean() || json.length() == 0) {
          json.insert(at, pieces[random.nextInt(pieces.length)]);
        } else {
          json.delete(at, Math.min(json.length(), at + 1 + random.nextInt(6)));
        }
      }
      byte[] payload = utf8(json.toString());
      if (random.nextInt(8) == 0 && payload.length > 0) {
        payload[random.nextInt(payload.length)] = (byte) random.nextInt(256);
      }
      JsonRecordParser.Outcome outcome = parser.parse(RawRecord.of(ORIGIN, payload));
      if ((outcome.row() == null) == (outcome.deadLetter() == null)) {
        fail("not exactly one of row and dead letter for " + json);
      }
      if (outcome.deadLetter() != null
          && outcome.deadLetter().payload == null
          && outcome.deadLetter().payloadBase64 == null) {
        fail("dead letter without its payload for " + json);
      }
    }
  }

  // ---- size limit ----

  @Test
  public void recordLargerThanTheLimitIsDeadLetteredWithItsWholePayload() {
    String json = "{\"index\": 1, \"title\": \"" + "t".repeat(80) + "\"}"; // 105 bytes
    JsonRecordParser parser = new JsonRecordParser(RecordKind.PIN, 104);
    assertEquals(
        new DeadLetter(
            "pin", ORIGIN, "record too large: 105 bytes, more than the limit of 104 bytes", json, null),
        parser.parse(RawRecord.of(ORIGIN, utf8(json))).deadLetter());
    assertNotNull(new JsonRecordParser(RecordKind.PIN, 105).parse(RawRecord.of(ORIGIN, utf8(json))).row());
  }

  @Test
  public void tooLargeRecordThatIsNotUtf8KeepsItsPayloadAsBase64() {
    byte[] payload = {(byte) 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertEquals(
        new DeadLetter(
            "pin", ORIGIN, "record too large: 11 bytes, more than the limit of 10 bytes", null,
            "/wECAwQFBgcICQo="),
        new JsonRecordParser(RecordKind.PIN, 10).parse(RawRecord.of(ORIGIN, payload)).deadLetter());
  }

  @Test
  public void defaultLimitIsTheArchiveJobsDefault() {
    assertEquals(262_144, JsonRecordParser.DEFAULT_MAX_RECORD_BYTES);
    String object = "{\"index\": 1}";
    String atTheLimit = object + " ".repeat(JsonRecordParser.DEFAULT_MAX_RECORD_BYTES - object.length());
    assertNotNull(parsePin(atTheLimit).row());
    assertPinDeadLetter(
        atTheLimit + " ", "record too large: 262145 bytes, more than the limit of 262144 bytes");
  }

  @Test
  public void limitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new JsonRecordParser(RecordKind.PIN, 0));
  }

  // ---- over-long values ----

  @Test
  public void overLongRowNumberIsDeadLettered() {
    assertPinDeadLetter(
        "{\"index\": " + "9".repeat(5000) + "}",
        "row number 'index' is too long: a number of 5000 characters, more than the limit of 1000");
    assertPinDeadLetter(
        "{\"index\": 1." + "0".repeat(999) + "}",
        "row number 'index' is too long: a number of 1001 characters, more than the limit of 1000");
    // At the limit it is read, as before: 1.000... is 1.
    assertEquals(Long.valueOf(1L), parsedPin("{\"index\": 1." + "0".repeat(998) + "}").getInt64("index"));
  }

  @Test
  public void overLongStringRowNumberIsDeadLetteredAsNotANumber() {
    String huge = "7".repeat(70_000);
    assertPinDeadLetter(
        "{\"index\": \"" + huge + "\"}",
        "row number 'index' is not a JSON number: \"" + huge.substring(0, 39) + "...");
  }

  @Test
  public void overLongValuesOfUnknownFieldsAreIgnored() {
    Row row =
        parsedPin(
            "{\"index\": 1, \"notes\": \"" + "n".repeat(70_000) + "\", \"big\": " + "9".repeat(5000) + "}");
    assertEquals(Long.valueOf(1L), row.getInt64("index"));
    assertTrue(row.<String>getArray(RecordSchemas.PARSE_ISSUES).contains("unknown_field:notes"));
    assertTrue(row.<String>getArray(RecordSchemas.PARSE_ISSUES).contains("unknown_field:big"));
  }

  // ---- byte-order mark ----

  @Test
  public void byteOrderMarkBeforeTheRecordIsSkipped() {
    JsonRecordParser.Outcome outcome = parse(RecordKind.PIN, withBom(utf8(FULL_PIN)));
    assertNull(outcome.deadLetter());
    assertEquals(parsedPin(FULL_PIN), outcome.row());
  }

  @Test
  public void byteOrderMarkBeforeABadRecordGivesTheDeadLetterOfTheRecordWithoutIt() {
    for (String json : List.of("{index: 1}", "[1]", "{\"title\": \"x\"}", "", " ", "{\"index\": 1} x")) {
      assertEquals(
          "with a byte-order mark before " + json,
          parsePin(json).deadLetter(),
          parse(RecordKind.PIN, withBom(utf8(json))).deadLetter());
    }
    byte[] invalidUtf8 = {'{', (byte) 0xC3, (byte) 0x28, '}'};
    assertEquals(
        new DeadLetter("pin", ORIGIN, "invalid UTF-8 at byte 1", null, "e8MofQ=="),
        parse(RecordKind.PIN, withBom(invalidUtf8)).deadLetter());
  }

  @Test
  public void onlyOneLeadingByteOrMarkIsSkipped() {
    // A second one is a character like any other, and not where JSON allows one.
    JsonRecordParser.Outcome outcome = parse(RecordKind.PIN, withBom(withBom(utf8("{\"index\": 1}"))));
    assertEquals(
        new DeadLetter(
            "pin",
            ORIGIN,
            "malformed JSON: Unexpected character ('\ufeff' (code 65279 / 0xfeff)): expected a valid"
                + " value (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at"
                + " column 2",
            "\ufeff{\"index\": 1}",
            null),
        outcome.deadLetter());
  }
}
