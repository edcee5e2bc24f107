package io.pinpipe.transforms.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Coerces one JSON value to the type the contract gives its field (DESIGN.md §5). Numeric strings
 * become numbers ({@code "age": "45"}), scalars become strings; anything else becomes null with a
 * short reason that the data-quality report counts.
 */
final class FieldCoercion {
  private FieldCoercion() {}

  static final String MISSING = "missing";
  static final String WRONG_TYPE = "wrong_type";
  static final String NOT_A_NUMBER = "not_a_number";
  static final String NOT_INTEGRAL = "not_integral";
  static final String OUT_OF_RANGE = "out_of_range";

  /** A coerced value, or null with the reason it could not be coerced. */
  static final class Result {
    private static final Result NULL = new Result(null, null);
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

  static Result coerce(@Nullable JsonNode node, FieldType type) {
    if (node == null) {
      return Result.nulled(MISSING);
    }
    if (node.isNull()) {
      return Result.NULL;
    }
    switch (type.getTypeName()) {
      case STRING:
        return node.isValueNode() ? Result.of(node.asText()) : Result.nulled(WRONG_TYPE);
      case INT64:
        return toLong(node);
      case DOUBLE:
        return toDouble(node);
      default:
        throw new IllegalStateException("no coercion to " + type);
    }
  }

  private static Result toLong(JsonNode node) {
    BigDecimal decimal;
    if (node.isNumber()) {
      decimal = decimalValue(node);
      if (decimal == null) {
        return Result.nulled(OUT_OF_RANGE);
      }
    } else if (node.isTextual()) {
      decimal = parseDecimal(node.asText());
      if (decimal == null) {
        return Result.nulled(NOT_A_NUMBER);
      }
    } else {
      return Result.nulled(WRONG_TYPE);
    }
    if (decimal.stripTrailingZeros().scale() > 0) {
      return Result.nulled(NOT_INTEGRAL);
    }
    Long value = integralValue(decimal);
    return value == null ? Result.nulled(OUT_OF_RANGE) : Result.of(value);
  }

  private static Result toDouble(JsonNode node) {
    double value;
    if (node.isNumber()) {
      value = node.doubleValue();
    } else if (node.isTextual()) {
      BigDecimal decimal = parseDecimal(node.asText());
      if (decimal == null) {
        return Result.nulled(NOT_A_NUMBER);
      }
      value = decimal.doubleValue();
    } else {
      return Result.nulled(WRONG_TYPE);
    }
    return Double.isFinite(value) ? Result.of(value) : Result.nulled(OUT_OF_RANGE);
  }

  /**
   * The exact value of a JSON number, or null when it is beyond the range of a double: Jackson
   * reads {@code 1e400} as an infinite double, whose {@code decimalValue()} throws.
   */
  static @Nullable BigDecimal decimalValue(JsonNode number) {
    if (number.isFloatingPointNumber() && !Double.isFinite(number.doubleValue())) {
      return null;
    }
    return number.decimalValue();
  }

  /** A plain decimal number (no NaN, no infinity, no hex), or null. */
  private static @Nullable BigDecimal parseDecimal(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty() || trimmed.length() > 64) {
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
