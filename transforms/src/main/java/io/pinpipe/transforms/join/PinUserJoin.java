package io.pinpipe.transforms.join;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Inner join of clean pins with clean users on {@code ind} (DESIGN.md §6: q4, q5, q7, q8), like
 * SQL: one output row per matching (pin, user) pair, so a row number that occurs twice on one side
 * multiplies the rows of that post; a row number missing on either side gives no row.
 *
 * <p>Both sides are narrowed to the columns the queries read before they are shuffled. Output
 * columns: {@link #SCHEMA}.
 *
 * <pre>{@code
 * PCollection<Row> pinUser =
 *     PinUserJoin.inputs(pins, users).apply("JoinPinsWithUsers", PinUserJoin.create());
 * }</pre>
 *
 * <p>Applies no windowing: rows join within the window they are in.
 */
public final class PinUserJoin extends PTransform<PCollectionTuple, PCollection<Row>> {

  /** Clean pins, {@link io.pinpipe.transforms.schema.RecordSchemas#PIN}. */
  public static final TupleTag<Row> PINS = new TupleTag<>("pins");

  /** Clean users, {@link io.pinpipe.transforms.schema.RecordSchemas#USER}. */
  public static final TupleTag<Row> USERS = new TupleTag<>("users");

  /** {@code ind, category, follower_count, user_name, age, date_joined}; all but ind nullable. */
  public static final Schema SCHEMA =
      Schema.builder()
          .addInt64Field("ind")
          .addNullableStringField("category")
          .addNullableInt64Field("follower_count")
          .addNullableStringField("user_name")
          .addNullableInt32Field("age")
          .addNullableField("date_joined", Schema.FieldType.DATETIME)
          .build();

  private PinUserJoin() {}

  public static PinUserJoin create() {
    return new PinUserJoin();
  }

  /**
   * The input of this transform: {@code pins} under {@link #PINS}, {@code users} under {@link
   * #USERS}.
   */
  public static PCollectionTuple inputs(PCollection<Row> pins, PCollection<Row> users) {
    return PCollectionTuple.of(PINS, pins).and(USERS, users);
  }

  @Override
  public PCollection<Row> expand(PCollectionTuple input) {
    return input.apply(
        "JoinOnInd",
        new InnerJoinOnInd(
            PINS,
            List.of("category", "follower_count"),
            USERS,
            List.of("user_name", "age", "date_joined"),
            SCHEMA));
  }
}
