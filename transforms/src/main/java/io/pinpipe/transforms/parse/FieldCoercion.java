package io.pinpipe.transforms.parse;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Coerces one JSON value, read from the parser's current token, to the type the contract gives its
 * field (docs/semantics.md#cleaning-per-kind).
 * Numeric strings become numbers ({@code "age": "45"}), scalars become strings;
 * anything else becomes null with a short reason that the data-quality report counts.
 *
 * <p>Numbers are read the way Jackson's tree model read them before the parser streamed (a JSON
 * integer as an int or long, one beyond int64 as a BigInteger, any other number as a double), so
 * every value and reason is what it was: {@code 12.0} is the integer 12, a string field given
 * {@code 1e5} holds {@code 100000.0}.
 */
final class FieldCoercion {
  private FieldCoercion() {}

  static final String MISSING = "missing";
  static final String WRONG_TYPE = "wrong_type";
  static final String NOT_A_NUMBER = "not_a_number";
  static final String NOT_INTEGRAL = "not_integral";
  static final String OUT_OF_RANGE = "out_of_range";
  static final String TOO_LONG = "too_long";

  /**
   * A JSON number longer than this many characters (sign, digits, point and exponent) is not read:
   * the field is nulled as {@link #TOO_LONG}, and a row number makes the record a dead letter. 1,000
   * is the limit Jackson 2.15 enforced before (a longer number made the whole record malformed), so
   * every number that was read before is still read, and no value is ever worth more digits.
   */
  static final int MAX_NUMBER_CHARS = 1000;

  /**
   * A JSON string longer than this many characters (UTF-16 units) in a field of the contract is
   * nulled as {@link #TOO_LONG}: 64 Ki, far beyond any title or description, so only garbage or an
   * attack hits it, and neither reaches the tables or the shuffles.
   */
  static final int MAX_STRING_CHARS = 65_536;

  /** Numeric strings longer than this (trimmed) are not numbers: they could only be expensive. */
  private static final int MAX_NUMERIC_STRING_CHARS = 64;

  private static final double TWO_TO_53 = 0x1p53;

  /** A coerced value, or null with the reason it could not be coerced. */
  static final class Result {
    private static final Result NULL = new Result(null, null);
    private static final Result NULLED_WRONG_TYPE = nulled(WRONG_TYPE);
    private static final Result NULLED_NOT_A_NUMBER = nulled(NOT_A_NUMBER);
    private static final Result NULLED_NOT_INTEGRAL = nulled(NOT_INTEGRAL);
    private static final Result NULLED_OUT_OF_RANGE = nulled(OUT_OF_RANGE);
    private static final Result NULLED_TOO_LONG = nulled(TOO_LONG);
    private static final Result TRUE_TEXT = new Result("true", null);
    private static final Result FALSE_TEXT = new Result("false", null);

    private final @Nullable Object value;
    private final @Nullable String issue;

    private Result(@Nullable Object value, @Nullable String issue) {
      this.value = value;
      this.issue = issue;
    }

    static Result of(Object value) {
      return new Result(value, null);
    }

    static Result nulled(String issue) {
      return new Result(null, issue);
    }

    @Nullable Object value() {
      return value;
    }

    @Nullable String issue() {
      return issue;
    }
  }

  /**
   * Coerces the value whose first token is {@code token}, the parser's current token, and leaves
   * the parser on the value's last token (an object or array is skipped).
   */
  static Result coerce(JsonParser parser, JsonToken token, FieldType type) throws IOException {
    switch (token) {
      case VALUE_NULL:
        return Result.NULL;
      case START_OBJECT:
      case START_ARRAY:
        skipValue(parser, token);
        return Result.NULLED_WRONG_TYPE;
      case VALUE_TRUE:
      case VALUE_FALSE:
        if (type.getTypeName() != FieldType.STRING.getTypeName()) {
          return Result.NULLED_WRONG_TYPE;
        }
        return token == JsonToken.VALUE_TRUE ? Result.TRUE_TEXT : Result.FALSE_TEXT;
      case VALUE_STRING:
        if (parser.getTextLength() > MAX_STRING_CHARS) {
          return Result.NULLED_TOO_LONG;
        }
        return fromText(parser.getText(), type);
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        if (parser.getTextLength() > MAX_NUMBER_CHARS) {
          return Result.NULLED_TOO_LONG;
        }
        return fromNumber(parser, token == JsonToken.VALUE_NUMBER_INT, type);
      default:
        throw new IllegalStateException("unexpected " + token + " as a field's value");
    }
  }

  /**
   * Skips the value whose first token is {@code token}, the parser's current token, leaving the
   * parser on its last. It asks for tokens as Jackson's tree reader did (an object's field names
   * with {@code nextFieldName()}, not {@code skipChildren()}'s {@code nextToken()}), because Jackson
   * words some errors differently on the two paths and a malformed record's reason must not change.
   * No recursion: one bit per level says object or array, and the parser refuses more levels than
   * {@link JsonRecordParser#MAX_NESTING_DEPTH} (64), so they fit in a long. The fast parser, which
   * does not detect duplicate keys, gives up at an object (see {@link JsonRecordParser}).
   */
  static void skipValue(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
      return;
    }
    boolean strict = JsonRecordParser.detectsDuplicates(parser);
    if (token == JsonToken.START_OBJECT && !strict) {
      throw JsonRecordParser.readStrictly(parser, "nested object");
    }
    long objects = token == JsonToken.START_OBJECT ? 1L : 0L; // bit d: level d + 1 is an object
    int depth = 1;
    while (depth > 0) {
      JsonToken next;
      if ((objects & (1L << (depth - 1))) != 0) {
        if (parser.nextFieldName() == null) { // END_OBJECT
          depth--;
          continue;
        }
        next = parser.nextToken();
      } else {
        next = parser.nextToken();
        if (next == JsonToken.END_ARRAY) {
          depth--;
          continue;
        }
      }
      if (next == null) { // the parser reports an unclosed value itself; never loop on it
        throw new JsonParseException(parser, "Unexpected end-of-input in a value");
      }
      if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY) {
        if (next == JsonToken.START_OBJECT && !strict) {
          // Its keys could repeat: only the strict parser finds that (and words it as before).
          throw JsonRecordParser.readStrictly(parser, "nested object");
        }
        if (depth == Long.SIZE) {
          throw new JsonParseException(parser, "nested deeper than " + Long.SIZE + " levels");
        }
        depth++;
        objects =
            next == JsonToken.START_OBJECT
                ? objects | (1L << (depth - 1))
                : objects & ~(1L << (depth - 1));
      }
    }
  }

  private static Result fromText(String text, FieldType type) {
    switch (type.getTypeName()) {
      case STRING:
        return Result.of(text);
      case INT64:
        return longFromText(text);
      case DOUBLE:
        return doubleFromText(text);
      default:
        throw new IllegalStateException("no coercion to " + type);
    }
  }

  private static Result fromNumber(JsonParser parser, boolean integer, FieldType type)
      throws IOException {
    switch (type.getTypeName()) {
      case STRING:
        return Result.of(numberText(parser, integer));
      case INT64:
        if (integer) {
          // An integer token that does not fit a long is beyond int64.
          return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? Result.NULLED_OUT_OF_RANGE
              : Result.of(parser.getLongValue());
        }
        return longFromDouble(parser.getDoubleValue());
      case DOUBLE:
        double value;
        if (!integer) {
          value = parser.getDoubleValue();
        } else if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
          value = parser.getBigIntegerValue().doubleValue();
        } else {
          value = (double) parser.getLongValue();
        }
        return Double.isFinite(value) ? Result.of(value) : Result.NULLED_OUT_OF_RANGE;
      default:
        throw new IllegalStateException("no coercion to " + type);
    }
  }

  /**
   * A number's text as the tree model printed it: an integer in canonical form ({@code -0} is
   * {@code 0}), any other number as {@link Double#toString(double)} of its value.
   */
  static String numberText(JsonParser parser, boolean integer) throws IOException {
    if (!integer) {
      return Double.toString(parser.getDoubleValue());
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      return parser.getText(); // JSON has no leading zeros or plus sign: already canonical
    }
    return Long.toString(parser.getLongValue());
  }

  /** A double as an integral long: non-finite or beyond int64 is out of range, 1.5 not integral. */
  static Result longFromDouble(double value) {
    if (!Double.isFinite(value)) {
      return Result.NULLED_OUT_OF_RANGE;
    }
    if (!isIntegral(value)) {
      return Result.NULLED_NOT_INTEGRAL;
    }
    Long integral = integralValue(value);
    return integral == null ? Result.NULLED_OUT_OF_RANGE : Result.of(integral);
  }

  /** Whether a finite double is a whole number (every double from 2^52 up is). */
  static boolean isIntegral(double finite) {
    return Math.floor(finite) == finite;
  }

  /**
   * A finite whole double as a long, or null beyond int64, exactly as the tree model's {@code
   * BigDecimal.valueOf(double)} made it: below 2^53 that is the double's own value, read without a
   * BigDecimal; from 2^53 up it is the value of {@link Double#toString(double)}'s digits, which can
   * differ from the double's (2^63 - 1024 prints as 9.2233720368547748E18), so it is read as before.
   */
  static @Nullable Long integralValue(double integral) {
    if (Math.abs(integral) < TWO_TO_53) {
      return (long) integral;
    }
    return integralValue(BigDecimal.valueOf(integral));
  }

  private static Result longFromText(String text) {
    String trimmed = text.trim();
    if (isShortPlainInteger(trimmed)) {
      return Result.of(Long.parseLong(trimmed));
    }
    BigDecimal decimal = parseDecimal(trimmed);
    if (decimal == null) {
      return Result.NULLED_NOT_A_NUMBER;
    }
    if (decimal.stripTrailingZeros().scale() > 0) {
      return Result.NULLED_NOT_INTEGRAL;
    }
    Long value = integralValue(decimal);
    return value == null ? Result.NULLED_OUT_OF_RANGE : Result.of(value);
  }

  private static Result doubleFromText(String text) {
    BigDecimal decimal = parseDecimal(text.trim());
    if (decimal == null) {
      return Result.NULLED_NOT_A_NUMBER;
    }
    double value = decimal.doubleValue();
    return Double.isFinite(value) ? Result.of(value) : Result.NULLED_OUT_OF_RANGE;
  }

  /**
   * An optional sign and 1 to 18 ASCII digits: always a long, and {@link Long#parseLong} reads it
   * exactly as {@link BigDecimal} would, without building one.
   */
  private static boolean isShortPlainInteger(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
    int digits = s.length() - start;
    if (digits < 1 || digits > 18) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** A plain decimal number, already trimmed (no NaN, no infinity, no hex), or null. */
  private static @Nullable BigDecimal parseDecimal(String trimmed) {
    if (trimmed.isEmpty() || trimmed.length() > MAX_NUMERIC_STRING_CHARS) {
      return null;
    }
    try {
      return new BigDecimal(trimmed);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The value as a long when it is integral and in range ({@code 12}, {@code 12.0}), else null. */
  static @Nullable Long integralValue(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() > 0) {
      return null;
    }
    // More than 19 integer digits cannot fit; refuse before toBigIntegerExact, which would expand
    // an exponent such as 1e999999999 into a billion-digit number (minutes of CPU, or out of memory).
    if (stripped.precision() - stripped.scale() > 19) {
      return null;
    }
    BigInteger integer = stripped.toBigIntegerExact();
    return integer.bitLength() < 64 ? integer.longValue() : null;
  }
}
