package io.pinpipe.transforms.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.io.IOException;
import java.io.Serializable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.values.Row;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Turns one raw record into a parsed {@link Row} of its kind, or a {@link DeadLetter} (docs/semantics.md#cleaning-per-kind).
 *
 * <p>Dead-lettered: a record larger than the size limit, invalid UTF-8, not JSON (including a field
 * named twice and anything after the value), not a JSON object, nested deeper than {@link
 * #MAX_NESTING_DEPTH} levels, a row number that is missing, null, not an integral JSON number or
 * longer than {@link FieldCoercion#MAX_NUMBER_CHARS} characters. Everything else is kept: a field
 * that cannot be coerced to its contract type, or is too long, is set to null and the reason recorded
 * in the row's {@code parse_issues}, as are unknown extra fields. A leading UTF-8 byte-order mark is
 * skipped: the record is parsed, or dead-lettered, exactly as if it were absent.
 *
 * <p>It streams the payload's bytes through Jackson's {@link JsonParser}, without decoding them to
 * a String or building a tree: it runs once per record. Only a record that turns out to be
 * malformed (or holds a nested object) is read again, as text and strictly, so that the reason
 * quotes Jackson's message and the column counted in characters exactly as the tree parser did.
 */
public final class JsonRecordParser implements Serializable {

  /**
   * The size limit of {@code new JsonRecordParser(kind)}, in bytes: 256 KiB, also the default of the
   * archive job's {@code --maxRecordBytes}.
   */
  public static final int DEFAULT_MAX_RECORD_BYTES = 262_144;

  /**
   * Objects and arrays nested deeper than this, the record's own object being level 1, make the
   * record a dead letter. Real records are one level deep; the limit keeps a hostile record from
   * costing a deep stack anywhere downstream.
   */
  public static final int MAX_NESTING_DEPTH = 64;

  /** Unknown fields are looked up in a list up to this many, then in a hash set. */
  private static final int MANY_UNKNOWN_FIELDS = 8;

  /** Longest payload excerpt quoted inside a reason, so reasons stay readable. */
  private static final int MAX_QUOTED = 40;

  /**
   * Reads the bytes of every record first. No duplicate detection by Jackson: its per-object hash
   * set cost a tenth of the parse, so {@link #read} finds a field named twice in the record's object
   * itself, and a record with an object nested anywhere (real ones have none) is read again with
   * {@link #STRICT}.
   */
  private static final JsonFactory FAST = factory(false);

  /**
   * Reads a record again, as text, when the fast read failed or met a nested object: Jackson finds
   * duplicate keys at any depth and words every error as its tree parser did before.
   */
  private static final JsonFactory STRICT = factory(true);

  private static JsonFactory factory(boolean detectDuplicates) {
    return JsonFactory.builder()
        // The bytes are UTF-8 (checked first): never guess UTF-16 or UTF-32 from NUL bytes.
        .disable(JsonFactory.Feature.CHARSET_DETECTION)
        // An object that names a field twice is ambiguous: refuse it rather than pick one value.
        .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, detectDuplicates)
        // Jackson 2.15 otherwise quotes up to 500 characters of the payload in some messages
        // ("start marker at [Source: (String)\"{...\"; ..."); the dead letter has the payload.
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .streamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                // Long numbers and strings are judged field by field (FieldCoercion), not here;
                // the record size limit bounds them.
                .maxNumberLength(Integer.MAX_VALUE)
                .maxStringLength(Integer.MAX_VALUE)
                .build())
        .build();
  }

  /** Reads a row number that is not a number as a tree, only to quote it as JSON in the reason. */
  private static final ObjectMapper TREES = new ObjectMapper();

  private static final String TRAILING_TOKEN_MESSAGE =
      "Trailing token (of type %s) found after value (bound as"
          + " `com.fasterxml.jackson.databind.JsonNode`): not allowed as per"
          + " `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`";

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final Plan[] PLANS = new Plan[RecordKind.values().length];

  static {
    for (RecordKind kind : RecordKind.values()) {
      PLANS[kind.ordinal()] = new Plan(kind);
    }
  }

  private final RecordKind kind;
  private final int maxRecordBytes;

  /** A parser whose size limit is {@link #DEFAULT_MAX_RECORD_BYTES}. */
  public JsonRecordParser(RecordKind kind) {
    this(kind, DEFAULT_MAX_RECORD_BYTES);
  }

  /** A parser that dead-letters records larger than {@code maxRecordBytes} bytes (at least 1). */
  public JsonRecordParser(RecordKind kind, int maxRecordBytes) {
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes must be at least 1, not " + maxRecordBytes);
    }
    this.kind = kind;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** The kind of record this parser reads. */
  public RecordKind kind() {
    return kind;
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

  /** A parsed row or a dead letter for every record; never throws. */
  public Outcome parse(RawRecord raw) {
    try {
      return parseRecord(raw);
    } catch (RuntimeException e) {
      // A bug, not bad input; still, the record must be accounted for, not lose the bundle.
      Payload payload = new Payload(raw.payload, Utf8Bom.startsWith(raw.payload) ? Utf8Bom.LENGTH : 0);
      return dead(raw, DeadLetterReason.PARSER_FAILURE.format(e), payload.isUtf8() ? payload.text() : null, payload);
    }
  }

  private Outcome parseRecord(RawRecord raw) {
    if (raw.payload.length > maxRecordBytes) {
      Payload whole = new Payload(raw.payload, 0);
      return dead(
          raw,
          DeadLetterReason.RECORD_TOO_LARGE.format(raw.payload.length, maxRecordBytes),
          whole.isUtf8() ? whole.text() : null,
          whole);
    }
    Payload payload = new Payload(raw.payload, Utf8Bom.startsWith(raw.payload) ? Utf8Bom.LENGTH : 0);
    int invalid = payload.firstInvalidUtf8();
    if (invalid >= 0) {
      return dead(raw, DeadLetterReason.INVALID_UTF8.format(invalid), null, payload);
    }
    try (JsonParser parser = FAST.createParser(payload.bytes, payload.from, payload.length())) {
      return read(raw, parser, payload);
    } catch (IOException e) {
      // Malformed, a duplicate key, trailing data, too deep, or a nested object: rare. Read it again
      // as text below, strictly, as the tree parser did: for its exact message, and a column counted
      // in characters, not bytes.
    }
    return parseText(raw, payload);
  }

  private Outcome parseText(RawRecord raw, Payload payload) {
    String text = payload.text();
    if (text.isBlank()) {
      return dead(raw, DeadLetterReason.EMPTY_RECORD.format(), text, payload);
    }
    JsonParser parser = null;
    try {
      parser = STRICT.createParser(text);
      return read(raw, parser, payload);
    } catch (StreamConstraintsException e) {
      if (parser != null && parser.getParsingContext().getNestingDepth() >= MAX_NESTING_DEPTH) {
        return dead(
            raw,
            DeadLetterReason.NESTED_TOO_DEEPLY.format(MAX_NESTING_DEPTH),
            text,
            payload);
      }
      return dead(raw, malformed(e), text, payload);
    } catch (JsonProcessingException e) {
      return dead(raw, malformed(e), text, payload);
    } catch (IOException e) {
      return dead(raw, DeadLetterReason.MALFORMED_JSON.format(e.getMessage()), text, payload);
    } finally {
      closeQuietly(parser);
    }
  }

  /** Reads the whole JSON value, then judges it; throws on anything that is not one JSON value. */
  private Outcome read(RawRecord raw, JsonParser parser, Payload payload) throws IOException {
    JsonToken first = parser.nextToken();
    if (first == null) {
      return dead(raw, DeadLetterReason.EMPTY_RECORD.format(), payload.text(), payload);
    }
    if (first != JsonToken.START_OBJECT) {
      FieldCoercion.skipValue(parser, first);
      refuseTrailingTokens(parser);
      return dead(raw, DeadLetterReason.NOT_AN_OBJECT.format(describe(first)), payload.text(), payload);
    }
    Plan plan = PLANS[kind.ordinal()];
    Object[] values = new Object[plan.fieldCount];
    String[] issues = new String[plan.fieldCount];
    long present = 0; // bit i: field i was in the object
    List<String> unknown = null;
    Set<String> unknownSet = null; // once there are many
    String rowNumberProblem = null;
    for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
      Integer index = plan.indexOf.get(name);
      // A field named twice: only the fast parser lets one through (the strict one has thrown).
      if (index == null) {
        if (unknown == null) {
          unknown = new ArrayList<>(2);
        }
        if (unknownSet == null && unknown.size() == MANY_UNKNOWN_FIELDS) {
          unknownSet = new HashSet<>(unknown);
        }
        if (unknownSet == null ? unknown.contains(name) : !unknownSet.add(name)) {
          throw readStrictly(parser, "field named twice");
        }
        unknown.add(name);
        FieldCoercion.skipValue(parser, parser.nextToken());
        continue;
      }
      if ((present & (1L << index)) != 0) {
        throw readStrictly(parser, "field named twice");
      }
      JsonToken token = parser.nextToken();
      if (index == 0) {
        present |= 1L;
        rowNumberProblem = readRowNumber(parser, token, values, kind.rowNumberField());
      } else {
        present |= 1L << index;
        FieldCoercion.Result coerced = FieldCoercion.coerce(parser, token, plan.types[index]);
        values[index] = coerced.value();
        issues[index] = coerced.issue();
      }
    }
    refuseTrailingTokens(parser);

    if ((present & 1L) == 0) {
      rowNumberProblem = DeadLetterReason.ROW_NUMBER_MISSING.format(kind.rowNumberField());
    }
    if (rowNumberProblem != null) {
      return dead(raw, rowNumberProblem, payload.text(), payload);
    }
    return new Outcome(toRow(plan, values, issues, present, unknown), null);
  }

  /**
   * Reads the row number into {@code values[0]}, or returns the dead letter's reason; leaves the parser
   * on the value's last token.
   */
  private static @Nullable String readRowNumber(JsonParser parser, JsonToken token, Object[] values, String field)
      throws IOException {
    switch (token) {
      case VALUE_NULL:
        return DeadLetterReason.ROW_NUMBER_NULL.format(field);
      case VALUE_NUMBER_INT:
        if (parser.getTextLength() > FieldCoercion.MAX_NUMBER_CHARS) {
          return tooLong(parser, field);
        }
        if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          return DeadLetterReason.ROW_NUMBER_OUT_OF_RANGE.format(field, quote(parser.getText()));
        }
        values[0] = parser.getLongValue();
        return null;
      case VALUE_NUMBER_FLOAT:
        if (parser.getTextLength() > FieldCoercion.MAX_NUMBER_CHARS) {
          return tooLong(parser, field);
        }
        // 12.0 is 12; as before, the number is read as a double (so 1e30 shows as 1.0E30).
        double value = parser.getDoubleValue();
        if (Double.isFinite(value) && !FieldCoercion.isIntegral(value)) {
          return DeadLetterReason.ROW_NUMBER_NOT_INTEGRAL.format(field, quote(Double.toString(value)));
        }
        Long integral = Double.isFinite(value) ? FieldCoercion.integralValue(value) : null;
        if (integral == null) {
          return DeadLetterReason.ROW_NUMBER_OUT_OF_RANGE.format(field, quote(Double.toString(value)));
        }
        values[0] = integral;
        return null;
      default:
        // A string, a boolean, an object or an array: quoted as JSON.
        if (token.isStructStart() && !detectsDuplicates(parser)) {
          throw readStrictly(parser, "row number is an object or array");
        }
        JsonNode node = TREES.readTree(parser);
        return DeadLetterReason.ROW_NUMBER_NOT_A_NUMBER.format(field, quote(node.toString()));
    }
  }

  /** Whether the parser finds duplicate keys itself, at every depth (the strict one). */
  static boolean detectsDuplicates(JsonParser parser) {
    return parser.isEnabled(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
  }

  /**
   * Makes the fast read give up, so that the record is read again strictly: from a point where only
   * the strict parser knows the outcome, or its message.
   */
  static JsonParseException readStrictly(JsonParser parser, String why) {
    return new JsonParseException(parser, why + ": read again strictly");
  }

  private static String tooLong(JsonParser parser, String field) throws IOException {
    return DeadLetterReason.ROW_NUMBER_TOO_LONG.format(field, parser.getTextLength(), FieldCoercion.MAX_NUMBER_CHARS);
  }

  /** After the value, only whitespace may follow, as with the tree parser's FAIL_ON_TRAILING_TOKENS. */
  private static void refuseTrailingTokens(JsonParser parser) throws IOException {
    JsonToken trailing = parser.nextToken();
    if (trailing != null) {
      throw new JsonParseException(
          parser, String.format(TRAILING_TOKEN_MESSAGE, trailing), parser.getTokenLocation());
    }
  }

  private Row toRow(
      Plan plan, Object[] values, String[] issues, long present, @Nullable List<String> unknown) {
    List<String> recorded = new ArrayList<>();
    for (int i = 1; i < plan.issuesIndex; i++) {
      String issue = (present & (1L << i)) == 0 ? FieldCoercion.MISSING : issues[i];
      if (issue != null) {
        recorded.add("nulled:" + plan.names[i] + ":" + issue);
      }
    }
    if (unknown != null) {
      for (String name : unknown) {
        recorded.add("unknown_field:" + printableFieldName(name));
      }
    }
    values[plan.issuesIndex] = recorded;
    // attachValues: every value already has its field's Java type, so skip build()'s per-value
    // verification (measurable per record; see BENCHMARKS.md).
    return Row.withSchema(plan.schema).attachValues(Arrays.asList(values));
  }

  /** Field names go into report keys: keep them short and free of control characters. */
  private static String printableFieldName(String name) {
    String printable = name.replaceAll("[\\p{Cntrl}|]", "?");
    return printable.length() <= MAX_QUOTED ? printable : printable.substring(0, MAX_QUOTED) + "...";
  }

  /** A dead letter with the payload as text when it is valid UTF-8 ({@code text}), else base64. */
  private Outcome dead(RawRecord raw, String reason, @Nullable String text, Payload payload) {
    String base64 = text == null ? payload.base64() : null;
    return new Outcome(null, new DeadLetter(kind.id(), raw.origin, reason, text, base64));
  }

  private static String malformed(JsonProcessingException e) {
    return e.getLocation() == null
        ? DeadLetterReason.MALFORMED_JSON.format(e.getOriginalMessage())
        : DeadLetterReason.MALFORMED_JSON_AT_COLUMN.format(e.getOriginalMessage(), e.getLocation().getColumnNr());
  }

  private static void closeQuietly(@Nullable JsonParser parser) {
    if (parser != null) {
      try {
        parser.close();
      } catch (IOException | RuntimeException e) {
        // Nothing to release that matters for an in-memory source.
      }
    }
  }

  private static String describe(JsonToken token) {
    switch (token) {
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return token.name().toLowerCase();
    }
  }

  private static String quote(String s) {
    return s.length() <= MAX_QUOTED ? s : s.substring(0, MAX_QUOTED) + "...";
  }

  /** The record's bytes from {@code from} (past a byte-order mark), decoded only when needed. */
  private static final class Payload {
    final byte[] bytes;
    final int from;
    private @Nullable String text;

    Payload(byte[] bytes, int from) {
      this.bytes = bytes;
      this.from = from;
    }

    int length() {
      return bytes.length - from;
    }

    boolean isUtf8() {
      return firstInvalidUtf8() < 0;
    }

    /** -1 when the bytes are valid UTF-8, else the offset (from {@code from}) where they stop being. */
    int firstInvalidUtf8() {
      int i = firstNonAscii(bytes, from);
      return i == bytes.length ? -1 : Utf8.firstInvalid(bytes, i, from);
    }

    /** The bytes as text; call only when they are valid UTF-8. */
    String text() {
      if (text == null) {
        text = new String(bytes, from, length(), StandardCharsets.UTF_8);
      }
      return text;
    }

    String base64() {
      return Base64.getEncoder()
          .encodeToString(from == 0 ? bytes : Arrays.copyOfRange(bytes, from, bytes.length));
    }
  }

  /**
   * The index of the first byte at or after {@code from} with its high bit set, or the length: the
   * all-ASCII fast path (ASCII is valid UTF-8), eight bytes at a time.
   */
  static int firstNonAscii(byte[] bytes, int from) {
    int i = from;
    for (int end = bytes.length - Long.BYTES; i <= end; i += Long.BYTES) {
      if (((long) LONGS.get(bytes, i) & 0x8080808080808080L) != 0) {
        break;
      }
    }
    while (i < bytes.length && bytes[i] >= 0) {
      i++;
    }
    return i;
  }

  /** Where each field of a kind's parsed schema is, by name. */
  private static final class Plan {
    final Schema schema;
    final int fieldCount;
    final int issuesIndex;
    final String[] names;
    final FieldType[] types;
    final Map<String, Integer> indexOf = new HashMap<>();

    Plan(RecordKind kind) {
      schema = RecordSchemas.parsed(kind);
      fieldCount = schema.getFieldCount();
      issuesIndex = schema.indexOf(RecordSchemas.PARSE_ISSUES);
      if (issuesIndex != fieldCount - 1
          || !schema.getField(0).getName().equals(kind.rowNumberField())
          || fieldCount > Long.SIZE) {
        throw new IllegalStateException(
            "parsed schema of " + kind + " must start with its row number, end with "
                + RecordSchemas.PARSE_ISSUES + " and have at most 64 fields: " + schema);
      }
      names = new String[fieldCount];
      types = new FieldType[fieldCount];
      for (int i = 0; i < fieldCount; i++) {
        names[i] = schema.getField(i).getName();
        types[i] = schema.getField(i).getType();
        if (i != issuesIndex) {
          indexOf.put(names[i], i);
        }
      }
    }
  }
}
