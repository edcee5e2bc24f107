package io.pinpipe.transforms.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * Reads only a raw record's row number ({@code index} for pins, {@code ind} for geo and user), for
 * routing records by event before they are parsed. It stops at that field, which the emulator
 * writes first, so it costs a few tokens, not a parse. It is lenient: whatever it returns, the
 * record is still parsed and checked by {@link JsonRecordParser} later, and a record without a
 * readable row number is simply not routed.
 */
public final class RowNumbers {
  private static final JsonFactory JSON = new JsonFactory();

  private RowNumbers() {}

  public static OptionalLong of(RecordKind kind, byte[] payload) {
    try (JsonParser parser = JSON.createParser(payload)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return OptionalLong.empty();
      }
      for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (field.equals(kind.rowNumberField())) {
          if (value == JsonToken.VALUE_NUMBER_INT) {
            return OptionalLong.of(parser.getLongValue());
          }
          if (value == JsonToken.VALUE_STRING && parser.getText().matches("-?\\d{1,18}")) {
            return OptionalLong.of(Long.parseLong(parser.getText()));
          }
          return OptionalLong.empty();
        }
        parser.skipChildren();
      }
      return OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
