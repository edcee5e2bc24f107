package io.pinpipe.transforms.join;

import java.util.List;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Inner join of clean pins with clean geos on {@code ind} (DESIGN.md §6: q1, q2, q3a, q3b), like
 * SQL: one output row per matching (pin, geo) pair, so a row number that occurs twice on one side
 * (a conflict the cleaning keeps) multiplies the rows of that post; a row number missing on either
 * side gives no row.
 *
 * <p>Both sides are narrowed to the columns the queries read before they are shuffled, which keeps
 * the join cheap on millions of records. Output columns: {@link #SCHEMA}. A row number with many
 * records on both sides yields their product, as in SQL.
 *
 * <pre>{@code
 * PCollection<Row> pinGeo =
 *     PinGeoJoin.inputs(pins, geos).apply("JoinPinsWithGeos", PinGeoJoin.create());
 * }</pre>
 *
 * <p>Applies no windowing: rows join within the window they are in.
 */
public final class PinGeoJoin extends PTransform<PCollectionTuple, PCollection<Row>> {

  /** Clean pins, {@link io.pinpipe.transforms.schema.RecordSchemas#PIN}. */
  public static final TupleTag<Row> PINS = new TupleTag<>("pins");

  /** Clean geos, {@link io.pinpipe.transforms.schema.RecordSchemas#GEO}. */
  public static final TupleTag<Row> GEOS = new TupleTag<>("geos");

  /**
   * {@code ind, category, poster_name, follower_count, country, timestamp}; all but ind nullable.
   */
  public static final Schema SCHEMA =
      Schema.builder()
          .addInt64Field("ind")
          .addNullableStringField("category")
          .addNullableStringField("poster_name")
          .addNullableInt64Field("follower_count")
          .addNullableStringField("country")
          .addNullableField("timestamp", Schema.FieldType.DATETIME)
          .build();

  private PinGeoJoin() {}

  public static PinGeoJoin create() {
    return new PinGeoJoin();
  }

  /**
   * The input of this transform: {@code pins} under {@link #PINS}, {@code geos} under {@link
   * #GEOS}.
   */
  public static PCollectionTuple inputs(PCollection<Row> pins, PCollection<Row> geos) {
    return PCollectionTuple.of(PINS, pins).and(GEOS, geos);
  }

  @Override
  public PCollection<Row> expand(PCollectionTuple input) {
    return input.apply(
        "JoinOnInd",
        new InnerJoinOnInd(
            PINS,
            List.of("category", "poster_name", "follower_count"),
            GEOS,
            List.of("country", "timestamp"),
            SCHEMA));
  }
}
