package io.pinpipe.transforms.parse;

import static org.junit.Assert.assertEquals;

import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.Test;

/** The row-number peek that routes records to their post before they are parsed. */
public class RowNumbersTest {
  private static OptionalLong of(RecordKind kind, String json) {
    return RowNumbers.of(kind, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  public void readsIndexForPinsAndIndForTheOtherKinds() {
    assertEquals(OptionalLong.of(7528), of(RecordKind.PIN, "{\"index\": 7528, \"unique_id\": \"x\"}"));
    assertEquals(OptionalLong.of(7528), of(RecordKind.GEO, "{\"ind\": 7528, \"country\": \"Aruba\"}"));
    // A pin's "ind" is not its row number: pins call it "index".
    assertEquals(OptionalLong.empty(), of(RecordKind.PIN, "{\"ind\": 7528}"));
  }

  @Test
  public void findsTheTopLevelFieldPastOtherFieldsAndNestedOnes() {
    assertEquals(
        OptionalLong.of(12),
        of(RecordKind.USER, "{\"first_name\": \"A\", \"tags\": {\"ind\": 99}, \"list\": [1, {\"ind\": 5}], \"ind\": 12}"));
  }

  @Test
  public void aStringOfDigitsIsARowNumberButWordsFractionsAndNullAreNot() {
    assertEquals(OptionalLong.of(42), of(RecordKind.GEO, "{\"ind\": \"42\"}"));
    assertEquals(OptionalLong.empty(), of(RecordKind.GEO, "{\"ind\": \"forty-two\"}"));
    assertEquals(OptionalLong.empty(), of(RecordKind.GEO, "{\"ind\": 4.5}"));
    assertEquals(OptionalLong.empty(), of(RecordKind.GEO, "{\"ind\": null}"));
  }

  @Test
  public void textThatIsNotOneWholeJsonObjectHasNoRowNumber() {
    assertEquals(OptionalLong.empty(), of(RecordKind.PIN, "not JSON"));
    assertEquals(OptionalLong.empty(), of(RecordKind.PIN, "[1, 2]"));
    assertEquals(OptionalLong.empty(), of(RecordKind.PIN, ""));
    assertEquals(OptionalLong.empty(), of(RecordKind.GEO, "{\"country\": \"Aruba\""));
  }
}
