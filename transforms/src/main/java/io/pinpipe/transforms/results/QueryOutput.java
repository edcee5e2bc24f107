package io.pinpipe.transforms.results;

import java.util.Arrays;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.SerializableComparator;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The nine query outputs (docs/semantics.md#queries): their ids, the names their
 * result files take, their schemas and their sort order.
 *
 * <p>{@link io.pinpipe.transforms.queries.PinterestQueries} returns each output under {@link
 * #tag()}, so that a pipeline can write them all with one loop over {@link #values()}.
 */
public enum QueryOutput {
  Q1(
      "q1",
      "top_category_by_country",
      Schema.builder()
          .addStringField(Column.COUNTRY)
          .addStringField(Column.CATEGORY)
          .addInt64Field(Column.CATEGORY_COUNT)
          .build()),
  Q2(
      "q2",
      "top_category_by_year",
      Schema.builder()
          .addInt32Field(Column.POST_YEAR)
          .addStringField(Column.CATEGORY)
          .addInt64Field(Column.CATEGORY_COUNT)
          .build()),
  Q3A(
      "q3a",
      "top_user_by_country",
      Schema.builder()
          .addStringField(Column.COUNTRY)
          .addStringField(Column.POSTER_NAME)
          .addInt64Field(Column.FOLLOWER_COUNT)
          .build()),
  Q3B(
      "q3b",
      "top_country_by_user_followers",
      Schema.builder().addStringField(Column.COUNTRY).addInt64Field(Column.FOLLOWER_COUNT).build()),
  Q4(
      "q4",
      "top_category_by_age_group",
      Schema.builder()
          .addStringField(Column.AGE_GROUP)
          .addStringField(Column.CATEGORY)
          .addInt64Field(Column.CATEGORY_COUNT)
          .build()),
  Q5(
      "q5",
      "median_followers_by_age_group",
      Schema.builder().addStringField(Column.AGE_GROUP).addDoubleField(Column.MEDIAN_FOLLOWER_COUNT).build()),
  Q6(
      "q6",
      "users_joined_by_year",
      Schema.builder().addInt32Field(Column.POST_YEAR).addInt64Field(Column.NUMBER_USERS_JOINED).build()),
  Q7(
      "q7",
      "median_followers_by_join_year",
      Schema.builder().addInt32Field(Column.POST_YEAR).addDoubleField(Column.MEDIAN_FOLLOWER_COUNT).build()),
  Q8(
      "q8",
      "median_followers_by_age_group_and_join_year",
      Schema.builder()
          .addStringField(Column.AGE_GROUP)
          .addInt32Field(Column.POST_YEAR)
          .addDoubleField(Column.MEDIAN_FOLLOWER_COUNT)
          .build());

  /** The results' column names, one place for the job, the report and the Spark SQL baseline. */
  public static final class Column {
    private Column() {}

    public static final String COUNTRY = "country";
    public static final String CATEGORY = "category";
    public static final String CATEGORY_COUNT = "category_count";
    public static final String POST_YEAR = "post_year";
    public static final String POSTER_NAME = "poster_name";
    public static final String FOLLOWER_COUNT = "follower_count";
    public static final String AGE_GROUP = "age_group";
    public static final String MEDIAN_FOLLOWER_COUNT = "median_follower_count";
    public static final String NUMBER_USERS_JOINED = "number_users_joined";
  }

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
   * io.pinpipe.transforms.queries.PinterestQueries}.
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
