package io.pinpipe.transforms.join;

import static io.pinpipe.transforms.testing.CleanRows.geo;
import static io.pinpipe.transforms.testing.CleanRows.instant;
import static io.pinpipe.transforms.testing.CleanRows.pin;
import static io.pinpipe.transforms.testing.CleanRows.user;
import static org.junit.Assert.assertEquals;

import io.pinpipe.transforms.schema.RecordSchemas;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

@RunWith(JUnit4.class)
public class PinJoinsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final String T1 = "2019-05-01T10:00:00Z";
  private static final String T2 = "2021-07-01T00:00:00Z";

  private PCollection<Row> pins() {
    return pipeline.apply(
        "Pins",
        Create.of(
                pin(1, "art", "ann", 1000L),
                // ind 2 twice: two conflicting pins with the same row number
                pin(2, "diy", "bob", 26000L),
                pin(2, "travel", null, null),
                pin(3, "beauty", "cat", 5L), // no geo, no user
                pin(5, null, "dan", 7L))
            .withRowSchema(RecordSchemas.PIN));
  }

  private static Row pinGeo(
      long ind, String category, String poster, Long followers, String country, String ts) {
    return Row.withSchema(PinGeoJoin.SCHEMA)
        .addValues(ind, category, poster, followers, country, instant(ts))
        .build();
  }

  private static Row pinUser(
      long ind, String category, Long followers, String name, Integer age, String joined) {
    return Row.withSchema(PinUserJoin.SCHEMA)
        .addValues(ind, category, followers, name, age, instant(joined))
        .build();
  }

  @Test
  public void testPinGeoJoinEmitsOneRowPerMatchingPairLikeSql() {
    PCollection<Row> geos =
        pipeline.apply(
            "Geos",
            Create.of(
                    geo(1, "Chad", T1),
                    // ind 2 twice as well: 2 pins x 2 geos = 4 rows
                    geo(2, "Chad", T1),
                    geo(2, "Peru", null),
                    geo(4, "Peru", T2), // no pin
                    geo(5, null, T2))
                .withRowSchema(RecordSchemas.GEO));

    PCollection<Row> joined =
        PinGeoJoin.inputs(pins(), geos).apply("JoinPinsWithGeos", PinGeoJoin.create());

    assertEquals(PinGeoJoin.SCHEMA, joined.getSchema());
    PAssert.that(joined)
        .containsInAnyOrder(
            pinGeo(1, "art", "ann", 1000L, "Chad", T1),
            pinGeo(2, "diy", "bob", 26000L, "Chad", T1),
            pinGeo(2, "diy", "bob", 26000L, "Peru", null),
            pinGeo(2, "travel", null, null, "Chad", T1),
            pinGeo(2, "travel", null, null, "Peru", null),
            pinGeo(5, null, "dan", 7L, null, T2));
    pipeline.run();
  }

  @Test
  public void testPinUserJoinEmitsOneRowPerMatchingPairLikeSql() {
    String joinedAt = "2016-02-29T12:00:00Z";
    PCollection<Row> users =
        pipeline.apply(
            "Users",
            Create.of(
                    user(1, "Ann Lee", 24, joinedAt),
                    user(2, "Bob Roe", null, null),
                    user(4, "Nobody", 40, joinedAt), // no pin
                    user(5, null, 51, joinedAt),
                    user(5, "Dan Poe", 51, joinedAt))
                .withRowSchema(RecordSchemas.USER));

    PCollection<Row> joined =
        PinUserJoin.inputs(pins(), users).apply("JoinPinsWithUsers", PinUserJoin.create());

    assertEquals(PinUserJoin.SCHEMA, joined.getSchema());
    PAssert.that(joined)
        .containsInAnyOrder(
            pinUser(1, "art", 1000L, "Ann Lee", 24, joinedAt),
            pinUser(2, "diy", 26000L, "Bob Roe", null, null),
            pinUser(2, "travel", null, "Bob Roe", null, null),
            pinUser(5, null, 7L, null, 51, joinedAt),
            pinUser(5, null, 7L, "Dan Poe", 51, joinedAt));
    pipeline.run();
  }
}
