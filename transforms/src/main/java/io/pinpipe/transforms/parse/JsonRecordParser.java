package io.pinpipe.transforms.parse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.pinpipe.transforms.schema.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns one raw record into a parsed {@link Row} of its kind, or a {@link DeadLetter} (DESIGN.md §5).
 *
 * <p>Dead-lettered: invalid UTF-8, not JSON, not a JSON object, a row number that is missing, null or
 * not an integral JSON number. Everything else is kept: a field that cannot be coerced to its
 * contract type is set to null and the reason recorded in the row's {@code parse_issues}, as are
 * unknown extra fields.
 */
public final class JsonRecordParser implements Serializable {

  /** Longest payload excerpt quoted inside a reason, so reasons stay readable. */
  private static final int MAX_QUOTED = 40;

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // An object that names a field twice is ambiguous: refuse it rather than pick one value.
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          // Jackson 2.15 otherwise quotes up to 500 characters of the payload in some messages
          // ("start marker at [Source: (String)\"{...\"; ..."); the dead letter has the payload.
          .disable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION);

  private final RecordKind kind;

  public JsonRecordParser(RecordKind kind) {
    this.kind = kind;
  }

  /** The result of parsing one record: exactly one of {@link #row()} and {@link #deadLetter()}. */
  public static final class Outcome {
    private final @Nullable Row row;
    private final @Nullable DeadLetter deadLetter;

    private Outcome(@Nullable Row row, @Nullable DeadLetter deadLetter) {
      this.row = row;
      this.deadLetter = deadLetter;
    }

    public @Nullable Row row() {
      return row;
    }

    public @Nullable DeadLetter deadLetter() {
      return deadLetter;
    }
  }

  public Outcome parse(RawRecord raw) {
    String text;
    try {
      text = decodeStrictUtf8(raw.payload);
    } catch (CharacterCodingException e) {
      return dead(raw, invalidUtf8Reason(raw.payload, e), null);
    }
    if (text.isBlank()) {
      return dead(raw, "empty record", text);
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      return dead(raw, "malformed JSON: " + e.getOriginalMessage() + locationOf(e), text);
    }
    if (node == null || !node.isObject()) {
      String found = node == null ? "nothing" : describe(node.getNodeType());
      return dead(raw, "not a JSON object (found " + found + ")", text);
    }
    String rowField = kind.rowNumberField();
    JsonNode rowNumber = node.get(rowField);
    if (rowNumber == null) {
      return dead(raw, "row number '" + rowField + "' is missing", text);
    }
    if (rowNumber.isNull()) {
      return dead(raw, "row number '" + rowField + "' is null", text);
    }
    if (!rowNumber.isNumber()) {
      return dead(
          raw,
          "row number '" + rowField + "' is not a JSON number: " + quote(rowNumber.toString()),
          text);
    }
    BigDecimal number = FieldCoercion.decimalValue(rowNumber);
    Long ind = number == null ? null : FieldCoercion.integralValue(number);
    if (ind == null) {
      boolean integral = number != null && number.stripTrailingZeros().scale() <= 0;
      return dead(
          raw,
          "row number '" + rowField + "' is "
              + (integral || number == null ? "out of range (int64)" : "not an integral number")
              + ": " + quote(rowNumber.asText()),
          text);
    }
    return new Outcome(toRow(ind, node), null);
  }

  private Row toRow(long ind, JsonNode object) {
    Schema schema = kind.parsedSchema();
    List<String> issues = new ArrayList<>();
    List<Object> values = new ArrayList<>(schema.getFieldCount());
    values.add(ind);
    for (int i = 1; i < schema.getFieldCount(); i++) {
      Schema.Field field = schema.getField(i);
      if (field.getName().equals(RecordSchemas.PARSE_ISSUES)) {
        continue;
      }
      FieldCoercion.Result coerced = FieldCoercion.coerce(object.get(field.getName()), field.getType());
      if (coerced.issue() != null) {
        issues.add("nulled:" + field.getName() + ":" + coerced.issue());
      }
      values.add(coerced.value());
    }
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!schema.hasField(name) || name.equals(RecordSchemas.PARSE_ISSUES)) {
        issues.add("unknown_field:" + printableFieldName(name));
      }
    }
    values.add(issues);
    // attachValues: every value already has its field's Java type, so skip build()'s per-value
    // verification (measurable per record; see BENCHMARKS.md).
    return Row.withSchema(schema).attachValues(values);
  }

  /** Field names go into report keys: keep them short and free of control characters. */
  private static String printableFieldName(String name) {
    String printable = name.replaceAll("[\\p{Cntrl}|]", "?");
    return printable.length() <= MAX_QUOTED ? printable : printable.substring(0, MAX_QUOTED) + "...";
  }

  private Outcome dead(RawRecord raw, String reason, @Nullable String text) {
    String base64 = text == null ? Base64.getEncoder().encodeToString(raw.payload) : null;
    return new Outcome(null, new DeadLetter(kind.id(), raw.origin, reason, text, base64));
  }

  static String decodeStrictUtf8(byte[] bytes) throws CharacterCodingException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes));
    return chars.toString();
  }

  private static String invalidUtf8Reason(byte[] bytes, CharacterCodingException e) {
    // CharsetDecoder does not say where it failed; find the first bad byte ourselves.
    int offset = firstInvalidUtf8Offset(bytes);
    return "invalid UTF-8 at byte " + offset + (e instanceof MalformedInputException ? "" : " (" + e + ")");
  }

  private static int firstInvalidUtf8Offset(byte[] bytes) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    decoder.decode(in, out, true);
    return in.position();
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
  }

  private static String describe(JsonNodeType type) {
    switch (type) {
      case ARRAY:
        return "an array";
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      case NULL:
        return "null";
      default:
        return type.name().toLowerCase();
    }
  }

  private static String quote(String s) {
    return s.length() <= MAX_QUOTED ? s : s.substring(0, MAX_QUOTED) + "...";
  }
}
