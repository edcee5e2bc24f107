package io.pinpipe.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Per-field coercion to the contract's types, observed through the parser: the value kept, or null
 * and the issue recorded as {@code nulled:<field>:<reason>} (docs/semantics.md#cleaning-per-kind, "Field coercion").
 */
@RunWith(JUnit4.class)
public class FieldCoercionTest {

  private static Row parse(RecordKind kind, String json) {
    JsonRecordParser.Outcome outcome =
        new JsonRecordParser(kind).parse(RawRecord.of("test", json.getBytes(StandardCharsets.UTF_8)));
    assertNull("unexpected dead letter " + outcome.deadLetter(), outcome.deadLetter());
    return outcome.row();
  }

  /** A user whose other fields are all present and valid, so only {@code age} can raise an issue. */
  private static Row userWithAge(String ageJson) {
    return parse(
        RecordKind.USER,
        "{\"ind\": 1, \"first_name\": \"Ann\", \"last_name\": \"Lee\", \"age\": " + ageJson
            + ", \"date_joined\": \"2016-01-01 00:00:00\"}");
  }

  private static Row userWithoutAge() {
    return parse(
        RecordKind.USER,
        "{\"ind\": 1, \"first_name\": \"Ann\", \"last_name\": \"Lee\", \"date_joined\": \"2016-01-01 00:00:00\"}");
  }

  private static void assertAge(String ageJson, Long expected, List<String> issues) {
    Row row = userWithAge(ageJson);
    assertEquals("age of " + ageJson, expected, row.getInt64("age"));
    assertEquals("issues of " + ageJson, issues, row.getArray(RecordSchemas.PARSE_ISSUES));
  }

  /** A geo whose other fields are all present and valid, so only {@code latitude} can raise an issue. */
  private static Row geoWithLatitude(String latitudeJson) {
    return parse(
        RecordKind.GEO,
        "{\"ind\": 1, \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": " + latitudeJson
            + ", \"longitude\": 2.5, \"country\": \"Chile\"}");
  }

  private static void assertLatitude(String latitudeJson, Double expected, List<String> issues) {
    Row row = geoWithLatitude(latitudeJson);
    assertEquals("latitude of " + latitudeJson, expected, row.getDouble("latitude"));
    assertEquals("issues of " + latitudeJson, issues, row.getArray(RecordSchemas.PARSE_ISSUES));
  }

  /** A pin with only a row number and the given title. */
  private static Row pinWithTitle(String titleJson) {
    return parse(RecordKind.PIN, "{\"index\": 1, \"title\": " + titleJson + "}");
  }

  // ---- int64 fields ----

  @Test
  public void integralAgeIsKept() {
    assertAge("45", 45L, List.of());
  }

  @Test
  public void integralAgeWithZeroFractionIsKept() {
    assertAge("45.0", 45L, List.of());
  }

  @Test
  public void numericStringAgeIsCoerced() {
    assertAge("\"45\"", 45L, List.of());
  }

  @Test
  public void numericStringAgeWithZeroFractionIsCoerced() {
    assertAge("\"45.0\"", 45L, List.of());
  }

  @Test
  public void numericStringAgeWithSurroundingSpacesIsCoerced() {
    assertAge("\" 45 \"", 45L, List.of());
  }

  @Test
  public void nonNumericStringAgeIsNulledAsNotANumber() {
    assertAge("\"abc\"", null, List.of("nulled:age:not_a_number"));
    assertAge("\"\"", null, List.of("nulled:age:not_a_number"));
    assertAge("\"NaN\"", null, List.of("nulled:age:not_a_number"));
  }

  @Test
  public void fractionalAgeIsNulledAsNotIntegral() {
    assertAge("1.5", null, List.of("nulled:age:not_integral"));
    assertAge("\"45.5\"", null, List.of("nulled:age:not_integral"));
  }

  @Test
  public void booleanAgeIsNulledAsWrongType() {
    assertAge("true", null, List.of("nulled:age:wrong_type"));
  }

  @Test
  public void objectOrArrayAgeIsNulledAsWrongType() {
    assertAge("{}", null, List.of("nulled:age:wrong_type"));
    assertAge("[45]", null, List.of("nulled:age:wrong_type"));
  }

  @Test
  public void missingAgeIsNulledAsMissing() {
    Row row = userWithoutAge();
    assertNull(row.getInt64("age"));
    assertEquals(List.of("nulled:age:missing"), row.getArray(RecordSchemas.PARSE_ISSUES));
  }

  @Test
  public void jsonNullAgeIsNullWithoutIssue() {
    assertAge("null", null, List.of());
  }

  @Test
  public void ageBeyondInt64IsNulledAsOutOfRange() {
    assertAge("1e30", null, List.of("nulled:age:out_of_range"));
    assertAge("\"9223372036854775808\"", null, List.of("nulled:age:out_of_range"));
  }

  @Test
  public void ageBeyondDoubleRangeIsNulledRatherThanFailing() {
    assertAge("1e400", null, List.of("nulled:age:out_of_range"));
  }

  @Test(timeout = 10_000)
  public void ageStringWithHugeExponentIsNulledQuickly() {
    // Expanding these exactly took 76 s ("1e99999999") or threw ("1e999999999").
    assertAge("\"1e99999999\"", null, List.of("nulled:age:out_of_range"));
    assertAge("\"1e999999999\"", null, List.of("nulled:age:out_of_range"));
  }

  @Test
  public void ageStringInExponentNotationIsCoerced() {
    assertAge("\"4.5e1\"", 45L, List.of());
  }

  // ---- double fields ----

  @Test
  public void numericStringLatitudeIsCoerced() {
    assertLatitude("\"12.5\"", 12.5, List.of());
  }

  @Test
  public void integralLatitudeBecomesDouble() {
    assertLatitude("12", 12.0, List.of());
    assertLatitude("-45.25", -45.25, List.of());
  }

  @Test
  public void nonNumericLatitudeIsNulled() {
    assertLatitude("\"north\"", null, List.of("nulled:latitude:not_a_number"));
    assertLatitude("\"Infinity\"", null, List.of("nulled:latitude:not_a_number"));
    assertLatitude("false", null, List.of("nulled:latitude:wrong_type"));
    assertLatitude("[1, 2]", null, List.of("nulled:latitude:wrong_type"));
  }

  @Test
  public void latitudeBeyondDoubleRangeIsNulledAsOutOfRange() {
    assertLatitude("1e400", null, List.of("nulled:latitude:out_of_range"));
    assertLatitude("\"-1e400\"", null, List.of("nulled:latitude:out_of_range"));
  }

  // ---- string fields ----

  @Test
  public void stringFieldKeepsTheTextAsItIs() {
    assertEquals("  spaced  ", pinWithTitle("\"  spaced  \"").getString("title"));
  }

  @Test
  public void stringFieldFromNumberIsItsText() {
    assertEquals("437", pinWithTitle("437").getString("title"));
    assertEquals("1.5", pinWithTitle("1.5").getString("title"));
  }

  @Test
  public void stringFieldFromBooleanIsItsText() {
    assertEquals("true", pinWithTitle("true").getString("title"));
  }

  @Test
  public void followerCountSentAsNumberBecomesItsText() {
    Row row = parse(RecordKind.PIN, "{\"index\": 1, \"follower_count\": 437}");
    assertEquals("437", row.getString("follower_count"));
  }

  @Test
  public void objectOrArrayInStringFieldIsNulledAsWrongType() {
    Row object = pinWithTitle("{\"text\": \"t\"}");
    assertNull(object.getString("title"));
    assertThat(object.<String>getArray(RecordSchemas.PARSE_ISSUES), hasItem("nulled:title:wrong_type"));
    Row array = pinWithTitle("[\"t\"]");
    assertNull(array.getString("title"));
    assertThat(array.<String>getArray(RecordSchemas.PARSE_ISSUES), hasItem("nulled:title:wrong_type"));
  }

  @Test
  public void jsonNullStringIsNullWithoutIssue() {
    Row row = parse(RecordKind.GEO, "{\"ind\": 1, \"timestamp\": null, \"latitude\": 1, \"longitude\": 2, \"country\": null}");
    assertNull(row.getString("timestamp"));
    assertNull(row.getString("country"));
    assertEquals(List.of(), row.getArray(RecordSchemas.PARSE_ISSUES));
  }

  // ---- over-long values: nulled, the record kept ----

  @Test
  public void overLongNumberIsNulledAsTooLong() {
    assertAge("9".repeat(5000), null, List.of("nulled:age:too_long"));
    assertAge("1." + "0".repeat(999), null, List.of("nulled:age:too_long")); // 1,001 characters
    assertLatitude("0." + "1".repeat(5000), null, List.of("nulled:latitude:too_long"));
    Row title = pinWithTitle("9".repeat(5000));
    assertNull(title.getString("title"));
    assertThat(title.<String>getArray(RecordSchemas.PARSE_ISSUES), hasItem("nulled:title:too_long"));
  }

  @Test
  public void numberOfUpTo1000CharactersIsReadAsBefore() {
    assertAge("1." + "0".repeat(998), 1L, List.of()); // 1,000 characters: 1
    assertAge("9".repeat(1000), null, List.of("nulled:age:out_of_range"));
    assertLatitude("0." + "5".repeat(998), 0.5555555555555556, List.of());
  }

  @Test
  public void overLongStringIsNulledAsTooLong() {
    String limit = "s".repeat(65_536);
    assertEquals(limit, pinWithTitle("\"" + limit + "\"").getString("title"));
    Row title = pinWithTitle("\"" + limit + "s\"");
    assertNull(title.getString("title"));
    assertThat(title.<String>getArray(RecordSchemas.PARSE_ISSUES), hasItem("nulled:title:too_long"));
    assertAge("\"" + "4".repeat(70_000) + "\"", null, List.of("nulled:age:too_long"));
    assertLatitude("\"" + " ".repeat(70_000) + "1\"", null, List.of("nulled:latitude:too_long"));
  }

  @Test
  public void overLongRowNumberOfAnotherKindIsJustAnUnknownField() {
    Row row = parse(RecordKind.PIN, "{\"index\": 1, \"ind\": " + "9".repeat(5000) + "}");
    assertEquals(Long.valueOf(1L), row.getInt64("index"));
    assertThat(row.<String>getArray(RecordSchemas.PARSE_ISSUES), hasItem("unknown_field:ind"));
  }
}
