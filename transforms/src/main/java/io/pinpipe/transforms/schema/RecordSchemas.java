package io.pinpipe.transforms.schema;

import io.pinpipe.contract.RecordKind;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;

/**
 * Beam schemas of the three record kinds, in the two shapes the pipeline handles (docs/semantics.md).
 *
 * <p><b>Parsed</b>: the raw contract's fields with the types the emulator sends, after per-field
 * coercion ({@code "age": "45"} becomes 45). Every field but the row number is nullable: a value that
 * could not be coerced is nulled and the reason recorded in {@link #PARSE_ISSUES}. Exact-duplicate
 * detection compares parsed records, without their issues.
 *
 * <p><b>Clean</b>: the output tables, columns in the order docs/semantics.md#clean-schemas fixes.
 */
public final class RecordSchemas {
  private RecordSchemas() {}

  /** Issues found while parsing one record: {@code nulled:<field>:<reason>} or {@code unknown_field:<name>}. */
  public static final String PARSE_ISSUES = "parse_issues";


  public static final Schema PIN_PARSED =
      Schema.builder()
          .addInt64Field("index")
          .addNullableStringField("unique_id")
          .addNullableStringField("title")
          .addNullableStringField("description")
          .addNullableStringField("poster_name")
          .addNullableStringField("follower_count")
          .addNullableStringField("tag_list")
          .addNullableStringField("is_image_or_video")
          .addNullableStringField("image_src")
          .addNullableInt64Field("downloaded")
          .addNullableStringField("save_location")
          .addNullableStringField("category")
          .addArrayField(PARSE_ISSUES, FieldType.STRING)
          .build();

  public static final Schema GEO_PARSED =
      Schema.builder()
          .addInt64Field("ind")
          .addNullableStringField("timestamp")
          .addNullableDoubleField("latitude")
          .addNullableDoubleField("longitude")
          .addNullableStringField("country")
          .addArrayField(PARSE_ISSUES, FieldType.STRING)
          .build();

  public static final Schema USER_PARSED =
      Schema.builder()
          .addInt64Field("ind")
          .addNullableStringField("first_name")
          .addNullableStringField("last_name")
          .addNullableInt64Field("age")
          .addNullableStringField("date_joined")
          .addArrayField(PARSE_ISSUES, FieldType.STRING)
          .build();

  /** Cleaned pin: {@code ind, unique_id, title, description, follower_count, poster_name, tag_list, is_image_or_video, image_src, save_location, category}. */
  public static final Schema PIN =
      Schema.builder()
          .addInt64Field("ind")
          .addNullableStringField("unique_id")
          .addNullableStringField("title")
          .addNullableStringField("description")
          .addNullableInt64Field("follower_count")
          .addNullableStringField("poster_name")
          .addNullableStringField("tag_list")
          .addNullableStringField("is_image_or_video")
          .addNullableStringField("image_src")
          .addNullableStringField("save_location")
          .addNullableStringField("category")
          .build();

  /** Cleaned geo: {@code ind, country, coordinates [latitude, longitude], timestamp (UTC)}. */
  public static final Schema GEO =
      Schema.builder()
          .addInt64Field("ind")
          .addNullableStringField("country")
          .addNullableField("coordinates", FieldType.array(FieldType.DOUBLE.withNullable(true)))
          .addNullableField("timestamp", FieldType.DATETIME)
          .build();

  /** Cleaned user: {@code ind, user_name, age, date_joined (UTC)}. */
  public static final Schema USER =
      Schema.builder()
          .addInt64Field("ind")
          .addNullableStringField("user_name")
          .addNullableInt32Field("age")
          .addNullableField("date_joined", FieldType.DATETIME)
          .build();

  /** The kind's fields as parsed, before cleaning (docs/semantics.md#cleaning-per-kind). */
  public static Schema parsed(RecordKind kind) {
    switch (kind) {
      case PIN:
        return PIN_PARSED;
      case GEO:
        return GEO_PARSED;
      default:
        return USER_PARSED;
    }
  }

  /** The kind's clean table row: the columns of its table (docs/semantics.md#clean-schemas). */
  public static Schema clean(RecordKind kind) {
    switch (kind) {
      case PIN:
        return PIN;
      case GEO:
        return GEO;
      default:
        return USER;
    }
  }
}
