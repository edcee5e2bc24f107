package io.pinpipe.transforms.queries;

import java.util.Arrays;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The nine query outputs (docs/semantics.md): their ids, the names their
 * result files take, their schemas and their sort order.
 *
 * <p>{@link PinterestQueries} returns each output under {@link #tag()}, so that a pipeline can
 * write them all with one loop over {@link #values()}.
 */
public enum QueryOutput {
  Q1(
      "q1",
      "top_category_by_country",
      Schema.builder()
          .addStringField("country")
          .addStringField("category")
          .addInt64Field("category_count")
          .build()),
  Q2(
      "q2",
      "top_category_by_year",
      Schema.builder()
          .addInt32Field("post_year")
          .addStringField("category")
          .addInt64Field("category_count")
          .build()),
  Q3A(
      "q3a",
      "top_user_by_country",
      Schema.builder()
          .addStringField("country")
          .addStringField("poster_name")
          .addInt64Field("follower_count")
          .build()),
  Q3B(
      "q3b",
      "top_country_by_user_followers",
      Schema.builder().addStringField("country").addInt64Field("follower_count").build()),
  Q4(
      "q4",
      "top_category_by_age_group",
      Schema.builder()
          .addStringField("age_group")
          .addStringField("category")
          .addInt64Field("category_count")
          .build()),
  Q5(
      "q5",
      "median_followers_by_age_group",
      Schema.builder().addStringField("age_group").addDoubleField("median_follower_count").build()),
  Q6(
      "q6",
      "users_joined_by_year",
      Schema.builder().addInt32Field("post_year").addInt64Field("number_users_joined").build()),
  Q7(
      "q7",
      "median_followers_by_join_year",
      Schema.builder().addInt32Field("post_year").addDoubleField("median_follower_count").build()),
  Q8(
      "q8",
      "median_followers_by_age_group_and_join_year",
      Schema.builder()
          .addStringField("age_group")
          .addInt32Field("post_year")
          .addDoubleField("median_follower_count")
          .build());

  private final String id;
  private final String outputName;
  private final Schema schema;
  private final SerializableComparator<Row> order;
  private final TupleTag<Row> tag;

  QueryOutput(String id, String outputName, Schema schema) {
    this.id = id;
    this.outputName = outputName;
    this.schema = schema;
    this.order = new RowOrder(schema);
    this.tag = new TupleTag<>(id);
  }

  /** Short id: {@code q1}, {@code q3a}, ... */
  public String id() {
    return id;
  }

  /**
   * Name of the output, and of its result file without extension: {@code top_category_by_country}.
   */
  public String outputName() {
    return outputName;
  }

  /** Schema of the output rows; no column is nullable. */
  public Schema schema() {
    return schema;
  }

  /**
   * The output's sort order: by every column in order, age groups youngest first, numbers
   * numerically, strings by code point. Also decides which row wins a tie under {@code
   * --ties=first}.
   */
  public SerializableComparator<Row> comparator() {
    return order;
  }

  /**
   * The tag of this output in the {@link org.apache.beam.sdk.values.PCollectionTuple} of {@link
   * PinterestQueries}.
   */
  public TupleTag<Row> tag() {
    return tag;
  }

  /** A row of this output with {@code values} in column order, each of its column's Java type. */
  public Row row(Object... values) {
    return Row.withSchema(schema).attachValues(values);
  }

  /** The output whose {@link #id()} is {@code id}, ignoring case. */
  public static QueryOutput ofId(String id) {
    return Arrays.stream(values())
        .filter(o -> o.id.equalsIgnoreCase(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown query output '"
                        + id
                        + "', expected one of "
                        + Arrays.stream(values()).map(QueryOutput::id).toList()));
  }
}
