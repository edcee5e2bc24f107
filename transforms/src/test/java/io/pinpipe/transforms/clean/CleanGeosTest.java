package io.pinpipe.transforms.clean;

import static io.pinpipe.transforms.clean.CleanFixtures.assertReport;
import static io.pinpipe.transforms.clean.CleanFixtures.clean;
import static io.pinpipe.transforms.clean.CleanFixtures.raw;
import static io.pinpipe.transforms.clean.CleanFixtures.utc;

import io.pinpipe.transforms.onepass.CleanAndQuery;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.Arrays;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Geos through {@link CleanAndQuery} (the other kinds empty): coordinates [latitude, longitude] and
 * UTC timestamps.
 */
@RunWith(JUnit4.class)
public class CleanGeosTest {

  @Rule public final transient TestPipeline p = TestPipeline.create();

  @Test
  public void geoCoordinatesAreLatitudeThenLongitudeAndSpaceFormTimestampIsUtc() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.GEO,
            raw(
                "{\"ind\": 7528, \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": -89.9787,"
                    + " \"longitude\": -173.293, \"country\": \"Albania\"}"));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.GEO)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.GEO)
                .addValues(
                    7528L, "Albania", Arrays.asList(-89.9787, -173.293), utc(2020, 8, 28, 3, 52, 47, 0))
                .build());
    PAssert.that(out.get(CleanAndQuery.deadLetters(RecordKind.GEO))).empty();
    assertReport(
        out,
        RecordKind.GEO,
        "read=1 cleaned=1 dead_lettered=0 duplicates=0 conflicts=0 nulled={}"
            + " rules={coordinates_from_latitude_longitude=1} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void geoIsoTimestampsWithFractionAndOffsetAreUtc() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.GEO,
            raw("{\"ind\": 1, \"timestamp\": \"2020-08-28T03:52:47\", \"latitude\": 1.5, \"longitude\": 2.5, \"country\": \"Chile\"}"),
            raw("{\"ind\": 2, \"timestamp\": \"2020-08-28T05:52:47.5+02:00\", \"latitude\": 1.5, \"longitude\": 2.5, \"country\": \"Chile\"}"),
            raw("{\"ind\": 3, \"timestamp\": \"2017-10-01T23:30:00Z\", \"latitude\": 1.5, \"longitude\": 2.5, \"country\": \"Chile\"}"));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.GEO)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.GEO)
                .addValues(1L, "Chile", Arrays.asList(1.5, 2.5), utc(2020, 8, 28, 3, 52, 47, 0))
                .build(),
            Row.withSchema(RecordSchemas.GEO)
                .addValues(2L, "Chile", Arrays.asList(1.5, 2.5), utc(2020, 8, 28, 3, 52, 47, 500))
                .build(),
            Row.withSchema(RecordSchemas.GEO)
                .addValues(3L, "Chile", Arrays.asList(1.5, 2.5), utc(2017, 10, 1, 23, 30, 0, 0))
                .build());
    assertReport(
        out,
        RecordKind.GEO,
        "read=3 cleaned=3 dead_lettered=0 duplicates=0 conflicts=0 nulled={}"
            + " rules={coordinates_from_latitude_longitude=3} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void geoWithUnparseableTimestampHasNullTimestampAndIsCounted() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.GEO,
            raw("{\"ind\": 1, \"timestamp\": \"yesterday\", \"latitude\": 1.5, \"longitude\": 2.5, \"country\": \"Chile\"}"),
            raw("{\"ind\": 2, \"timestamp\": \"2020-08-28\", \"latitude\": 1.5, \"longitude\": 2.5, \"country\": \"Chile\"}"),
            raw("{\"ind\": 3, \"timestamp\": \"\", \"latitude\": 1.5, \"longitude\": 2.5, \"country\": \"Chile\"}"));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.GEO)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.GEO).addValues(1L, "Chile", Arrays.asList(1.5, 2.5), null).build(),
            Row.withSchema(RecordSchemas.GEO).addValues(2L, "Chile", Arrays.asList(1.5, 2.5), null).build(),
            Row.withSchema(RecordSchemas.GEO).addValues(3L, "Chile", Arrays.asList(1.5, 2.5), null).build());
    assertReport(
        out,
        RecordKind.GEO,
        "read=3 cleaned=3 dead_lettered=0 duplicates=0 conflicts=0"
            + " nulled={timestamp={unparseable_datetime=2}}"
            + " rules={coordinates_from_latitude_longitude=3, timestamp_blank_to_null=1} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void geoCoordinatesAreNullOnlyWhenBothPartsAreNull() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.GEO,
            raw("{\"ind\": 1, \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": null, \"longitude\": null, \"country\": \"Chile\"}"),
            raw("{\"ind\": 2, \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": \"12.5\", \"country\": \"Chile\"}"),
            raw("{\"ind\": 3, \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": \"north\", \"longitude\": -7, \"country\": \"Chile\"}"));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.GEO)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.GEO)
                .addValues(1L, "Chile", null, utc(2020, 8, 28, 3, 52, 47, 0))
                .build(),
            Row.withSchema(RecordSchemas.GEO)
                .addValues(2L, "Chile", Arrays.asList(12.5, null), utc(2020, 8, 28, 3, 52, 47, 0))
                .build(),
            Row.withSchema(RecordSchemas.GEO)
                .addValues(3L, "Chile", Arrays.asList(null, -7.0), utc(2020, 8, 28, 3, 52, 47, 0))
                .build());
    assertReport(
        out,
        RecordKind.GEO,
        "read=3 cleaned=3 dead_lettered=0 duplicates=0 conflicts=0"
            + " nulled={latitude={not_a_number=1}, longitude={missing=1}}"
            + " rules={coordinates_from_latitude_longitude=2} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void geoWithBlankCountryHasNullCountry() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.GEO,
            raw("{\"ind\": 1, \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": 0, \"longitude\": 0, \"country\": \"  \"}"));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.GEO)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.GEO)
                .addValues(1L, null, Arrays.asList(0.0, 0.0), utc(2020, 8, 28, 3, 52, 47, 0))
                .build());
    assertReport(
        out,
        RecordKind.GEO,
        "read=1 cleaned=1 dead_lettered=0 duplicates=0 conflicts=0 nulled={}"
            + " rules={coordinates_from_latitude_longitude=1, country_blank_to_null=1} unknown_fields={}");
    p.run().waitUntilFinish();
  }
}
