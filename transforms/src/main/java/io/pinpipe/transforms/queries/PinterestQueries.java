package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.join.PinGeoJoin;
import io.pinpipe.transforms.join.PinUserJoin;
import java.util.Objects;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * All nine query outputs (DESIGN.md §6) from the clean pin, geo and user records, applying each
 * join once. Batch and streaming apply this same transform.
 *
 * <pre>{@code
 * PCollectionTuple results =
 *     PinterestQueries.inputs(pins, geos, users)
 *         .apply("Queries", PinterestQueries.with(QuerySettings.fromOptions(options)));
 * for (QueryOutput output : QueryOutput.values()) {
 *   PCollection<Row> rows = results.get(output.tag()); // schema: output.schema()
 * }
 * }</pre>
 *
 * <h3>Windowing and triggers</h3>
 *
 * <p>No windowing is applied here: every query runs in the windows its input carries (the global
 * window in batch, e.g. fixed windows in streaming), because it is built only of per-window
 * operations. The joins group both sides by row-number bucket and match {@code ind}s within it, so
 * records join only with records of the same window; counts, tops, medians and q6's distinct persons
 * per year are {@code Combine.perKey}s (lifted by hand, {@link LiftedCombine}). The one overall
 * aggregation, q3b's top country, is a {@code
 * Combine.globally(...).withoutDefaults()}: with a default, Beam would refuse it in non-global
 * windows and an empty global window would emit an empty result; without it, a window without rows
 * simply has no row, like every other output.
 *
 * <p>Results are exact when each window fires once: the default trigger, with late data dropped.
 * Most queries chain two aggregations (count then top; q3a then q3b), so a later stage sees every
 * pane an earlier one fires. With early or late panes in accumulating mode the tops (q1–q4), the
 * medians (q5, q7, q8) and q6's distinct persons should remain correct for the latest pane, since
 * counts, maxima and sets only grow (reasoned, not tested); in discarding mode the tops would be
 * computed over partial counts and q6 would count a person again in every pane. A pipeline that needs
 * intermediate results should fire each window once, or recompute from the accumulated clean
 * records.
 */
public final class PinterestQueries extends PTransform<PCollectionTuple, PCollectionTuple> {

  /** Clean pins, {@link io.pinpipe.transforms.schema.RecordSchemas#PIN}. */
  public static final TupleTag<Row> PINS = new TupleTag<>("pins");

  /** Clean geos, {@link io.pinpipe.transforms.schema.RecordSchemas#GEO}. */
  public static final TupleTag<Row> GEOS = new TupleTag<>("geos");

  /** Clean users, {@link io.pinpipe.transforms.schema.RecordSchemas#USER}. */
  public static final TupleTag<Row> USERS = new TupleTag<>("users");

  private final QuerySettings settings;

  private PinterestQueries(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The queries with {@code settings}. */
  public static PinterestQueries with(QuerySettings settings) {
    return new PinterestQueries(settings);
  }

  /**
   * The input of this transform: the three clean record kinds under {@link #PINS}, {@link #GEOS},
   * {@link #USERS}.
   */
  public static PCollectionTuple inputs(
      PCollection<Row> pins, PCollection<Row> geos, PCollection<Row> users) {
    return PCollectionTuple.of(PINS, pins).and(GEOS, geos).and(USERS, users);
  }

  public QuerySettings settings() {
    return settings;
  }

  /**
   * @return every {@link QueryOutput} under its {@link QueryOutput#tag()}
   */
  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    PCollection<Row> pins = input.get(PINS);
    PCollection<Row> pinGeo =
        PinGeoJoin.inputs(pins, input.get(GEOS)).apply("JoinPinsWithGeos", PinGeoJoin.create());
    PCollection<Row> pinUser =
        PinUserJoin.inputs(pins, input.get(USERS)).apply("JoinPinsWithUsers", PinUserJoin.create());

    PCollection<Row> topUserByCountry =
        pinGeo.apply("TopUserByCountry", new TopUserByCountry(settings));
    return PCollectionTuple.of(
            QueryOutput.Q1.tag(),
            pinGeo.apply("TopCategoryByCountry", new TopCategoryByCountry(settings)))
        .and(
            QueryOutput.Q2.tag(),
            pinGeo.apply("TopCategoryByYear", new TopCategoryByYear(settings)))
        .and(QueryOutput.Q3A.tag(), topUserByCountry)
        .and(
            QueryOutput.Q3B.tag(),
            topUserByCountry.apply(
                "TopCountryByUserFollowers", new TopCountryByUserFollowers(settings)))
        .and(
            QueryOutput.Q4.tag(),
            pinUser.apply("TopCategoryByAgeGroup", new TopCategoryByAgeGroup(settings)))
        .and(
            QueryOutput.Q5.tag(),
            pinUser.apply("MedianFollowersByAgeGroup", new MedianFollowersByAgeGroup(settings)))
        .and(
            QueryOutput.Q6.tag(),
            input.get(USERS).apply("UsersJoinedByYear", new UsersJoinedByYear(settings)))
        .and(
            QueryOutput.Q7.tag(),
            pinUser.apply("MedianFollowersByJoinYear", new MedianFollowersByJoinYear(settings)))
        .and(
            QueryOutput.Q8.tag(),
            pinUser.apply(
                "MedianFollowersByAgeGroupAndJoinYear",
                new MedianFollowersByAgeGroupAndJoinYear(settings)));
  }
}
