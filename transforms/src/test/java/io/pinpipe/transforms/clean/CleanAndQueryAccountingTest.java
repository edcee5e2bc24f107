package io.pinpipe.transforms.clean;

import static io.pinpipe.transforms.clean.CleanFixtures.assertReport;
import static io.pinpipe.transforms.clean.CleanFixtures.clean;
import static io.pinpipe.transforms.clean.CleanFixtures.pin;
import static io.pinpipe.transforms.clean.CleanFixtures.raw;
import static io.pinpipe.transforms.clean.CleanFixtures.utc;

import io.pinpipe.transforms.onepass.CleanAndQuery;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * {@link CleanAndQuery} accounts for every record read: cleaned, dead-lettered or an exact duplicate
 * (docs/semantics.md#data-quality-counts-summaryjson);
 * conflicts are kept and counted; bad input does not disturb good input. Each
 * test feeds the kinds it is about and leaves the others empty.
 */
@RunWith(JUnit4.class)
public class CleanAndQueryAccountingTest {

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final String IMAGE = "https://i.pinimg.com/x.jpg";
  private static final Instant JOINED = utc(2016, 4, 2, 7, 11, 59, 0);

  private static Row defaultPin(long ind) {
    return Row.withSchema(RecordSchemas.PIN)
        .addValues(ind, "u-" + ind, "Title", "Desc", 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
        .build();
  }

  private static Row pinTitled(long ind, String title) {
    return Row.withSchema(RecordSchemas.PIN)
        .addValues(ind, "u-" + ind, title, "Desc", 437L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
        .build();
  }

  @Test
  public void exactDuplicateFromAnotherOriginIsCleanedOnceAndCounted() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.PIN,
            raw("pins.json:1", pin(1)),
            raw("pins.json:2", pin(2)),
            raw("replay/pins.json:1", pin(1)));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.PIN))).containsInAnyOrder(defaultPin(1), defaultPin(2));
    PAssert.that(out.get(CleanAndQuery.deadLetters(RecordKind.PIN))).empty();
    assertReport(
        out,
        RecordKind.PIN,
        "read=3 cleaned=2 dead_lettered=0 duplicates=1 conflicts=0 nulled={}"
            + " rules={follower_count_digits_to_number=2, save_location_prefix_stripped=2} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void recordsEqualOnceParsedAreDuplicatesWhateverTheirJsonSpelling() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.USER,
            raw("{\"ind\": 3, \"first_name\": \"A\", \"last_name\": \"B\", \"age\": 45, \"date_joined\": \"2016-04-02 07:11:59\"}"),
            // keys reordered, ind as 3.0, age as a numeric string
            raw("{\"date_joined\": \"2016-04-02 07:11:59\", \"age\": \"45\", \"last_name\": \"B\", \"first_name\": \"A\", \"ind\": 3.0}"),
            // pretty-printed
            raw("{\n  \"ind\": 3,\n  \"first_name\": \"A\",\n  \"last_name\": \"B\",\n  \"age\": 45.0,\n  \"date_joined\": \"2016-04-02 07:11:59\"\n}"),
            // the same person under another row number is another record (persons recur)
            raw("{\"ind\": 4, \"first_name\": \"A\", \"last_name\": \"B\", \"age\": 45, \"date_joined\": \"2016-04-02 07:11:59\"}"));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.USER)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.USER).addValues(3L, "A B", 45, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(4L, "A B", 45, JOINED).build());
    assertReport(
        out,
        RecordKind.USER,
        "read=4 cleaned=2 dead_lettered=0 duplicates=2 conflicts=0 nulled={}"
            + " rules={user_name_from_first_and_last=2} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void duplicatesDifferingOnlyByAnUnknownFieldCountOnce() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.PIN,
            raw(pin(1, "delivery", "retry")),
            raw(pin(1)),
            raw(pin(2, "x", 1)),
            raw(pin(2, "y", 2)));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.PIN))).containsInAnyOrder(defaultPin(1), defaultPin(2));
    // The copy kept is the one whose issues sort first: for 1 the one without the unknown field,
    // for 2 the one with "x"; the dropped copy's unknown field is not counted.
    assertReport(
        out,
        RecordKind.PIN,
        "read=4 cleaned=2 dead_lettered=0 duplicates=2 conflicts=0 nulled={}"
            + " rules={follower_count_digits_to_number=2, save_location_prefix_stripped=2}"
            + " unknown_fields={x=1}");
    p.run().waitUntilFinish();
  }

  @Test
  public void sameRowNumberWithDifferentContentIsKeptAndCountedAsConflicts() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.PIN,
            raw(pin(5, "title", "A")),
            raw(pin(5, "title", "B")),
            raw(pin(5, "title", "B")),
            raw(pin(6)),
            raw(pin(7, "title", "X")),
            raw(pin(7, "title", "Y")),
            raw(pin(7, "title", "Z")));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.PIN)))
        .containsInAnyOrder(
            pinTitled(5, "A"), pinTitled(5, "B"), defaultPin(6),
            pinTitled(7, "X"), pinTitled(7, "Y"), pinTitled(7, "Z"));
    // conflicts = records sharing a row number with different content, after exact duplicates:
    // 2 for row 5, 3 for row 7.
    assertReport(
        out,
        RecordKind.PIN,
        "read=7 cleaned=6 dead_lettered=0 duplicates=1 conflicts=5 nulled={}"
            + " rules={follower_count_digits_to_number=6, save_location_prefix_stripped=6} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void duplicatesAreFoundInEveryRowNumberBucket() {
    List<RawRecord> records = new ArrayList<>();
    List<Row> expected = new ArrayList<>();
    for (long ind = 0; ind < 40; ind++) {
      String json =
          "{\"ind\": " + ind + ", \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": " + ind
              + ", \"longitude\": 1, \"country\": \"Chile\"}";
      records.add(raw("a:" + ind, json));
      records.add(raw("b:" + ind, json));
      expected.add(
          Row.withSchema(RecordSchemas.GEO)
              .addValues(ind, "Chile", Arrays.asList((double) ind, 1.0), utc(2020, 8, 28, 3, 52, 47, 0))
              .build());
    }
    PCollectionTuple out = clean(p, RecordKind.GEO, records);
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.GEO))).containsInAnyOrder(expected);
    assertReport(
        out,
        RecordKind.GEO,
        "read=80 cleaned=40 dead_lettered=0 duplicates=40 conflicts=0 nulled={}"
            + " rules={coordinates_from_latitude_longitude=40} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void badPinsAreDeadLetteredAndGoodPinsAreUnaffected() {
    byte[] invalidUtf8 = {
      '{', '"', 'i', 'n', 'd', 'e', 'x', '"', ':', ' ', '2', ',', ' ', '"', 't', 'i', 't', 'l', 'e',
      '"', ':', ' ', '"', (byte) 0xFF, '"', '}'
    };
    String stringIndex = pin(8, "index", "12");
    String fractionalIndex = pin(9, "index", 1.5);
    PCollectionTuple out =
        clean(
            p,
            RecordKind.PIN,
            raw("pins.json:1", pin(1, "title", "No Title Data Available", "follower_count", "26k")),
            raw("pins.json:2", invalidUtf8),
            raw("pins.json:3", "{index: 3}"),
            raw("pins.json:4", "[1, 2, 3]"),
            raw("pins.json:5", "{\"title\": \"no row number\"}"),
            raw("pins.json:6", stringIndex),
            raw("pins.json:7", fractionalIndex),
            raw("pins.json:8", "   "),
            raw(
                "pins.json:9",
                pin(2,
                    "extra_field", true,
                    "follower_count", "User Info Error",
                    "poster_name", "User Info Error")),
            raw("pins.json:10", pin(1, "title", "No Title Data Available", "follower_count", "26k")));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.PIN)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.PIN)
                .addValues(1L, "u-1", null, "Desc", 26_000L, "Poster", "a,b", "image", IMAGE, "/data/art", "art")
                .build(),
            Row.withSchema(RecordSchemas.PIN)
                .addValues(2L, "u-2", "Title", "Desc", null, null, "a,b", "image", IMAGE, "/data/art", "art")
                .build());
    PAssert.that(out.get(CleanAndQuery.deadLetters(RecordKind.PIN)))
        .containsInAnyOrder(
            new DeadLetter(
                "pin", "pins.json:2", "invalid UTF-8 at byte 23", null,
                "eyJpbmRleCI6IDIsICJ0aXRsZSI6ICL/In0="),
            new DeadLetter(
                "pin", "pins.json:3",
                "malformed JSON: Unexpected character ('i' (code 105)): was expecting double-quote to"
                    + " start field name at column 3",
                "{index: 3}", null),
            new DeadLetter("pin", "pins.json:4", "not a JSON object (found an array)", "[1, 2, 3]", null),
            new DeadLetter(
                "pin", "pins.json:5", "row number 'index' is missing", "{\"title\": \"no row number\"}", null),
            new DeadLetter(
                "pin", "pins.json:6", "row number 'index' is not a JSON number: \"12\"", stringIndex, null),
            new DeadLetter(
                "pin", "pins.json:7", "row number 'index' is not an integral number: 1.5", fractionalIndex, null),
            new DeadLetter("pin", "pins.json:8", "empty record", "   ", null));
    assertReport(
        out,
        RecordKind.PIN,
        "read=10 cleaned=2 dead_lettered=7 duplicates=1 conflicts=0 nulled={}"
            + " rules={follower_count_placeholder_to_null=1, follower_count_thousands_to_number=1,"
            + " poster_name_placeholder_to_null=1, save_location_prefix_stripped=2,"
            + " title_placeholder_to_null=1} unknown_fields={extra_field=1}");
    p.run().waitUntilFinish();
  }

  @Test
  public void badGeosAndUsersAreDeadLetteredAndGoodOnesAreUnaffected() {
    PCollectionTuple geos =
        clean(
            p,
            RecordKind.GEO,
            raw("geo:1", "{\"ind\": 1, \"timestamp\": \"2020-08-28 03:52:47\", \"latitude\": 1.5, \"longitude\": 2.5, \"country\": \"Chile\"}"),
            raw("geo:2", "{\"ind\": null, \"country\": \"Chile\"}"),
            raw("geo:3", "\"geo\""));
    PCollectionTuple users =
        clean(
            p,
            RecordKind.USER,
            raw("user:1", "{\"ind\": 1e30, \"first_name\": \"A\"}"),
            raw("user:2", "{\"ind\": 1, \"first_name\": \"A\", \"last_name\": \"B\", \"age\": 45, \"date_joined\": \"2016-04-02 07:11:59\"}"),
            raw("user:3", "{\"index\": 1, \"first_name\": \"A\"}"));
    PAssert.that(geos.get(CleanAndQuery.table(RecordKind.GEO)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.GEO)
                .addValues(1L, "Chile", Arrays.asList(1.5, 2.5), utc(2020, 8, 28, 3, 52, 47, 0))
                .build());
    PAssert.that(geos.get(CleanAndQuery.deadLetters(RecordKind.GEO)))
        .containsInAnyOrder(
            new DeadLetter("geo", "geo:2", "row number 'ind' is null", "{\"ind\": null, \"country\": \"Chile\"}", null),
            new DeadLetter("geo", "geo:3", "not a JSON object (found a string)", "\"geo\"", null));
    PAssert.that(users.get(CleanAndQuery.table(RecordKind.USER)))
        .containsInAnyOrder(Row.withSchema(RecordSchemas.USER).addValues(1L, "A B", 45, JOINED).build());
    PAssert.that(users.get(CleanAndQuery.deadLetters(RecordKind.USER)))
        .containsInAnyOrder(
            new DeadLetter(
                "user", "user:1", "row number 'ind' is out of range (int64): 1.0E30",
                "{\"ind\": 1e30, \"first_name\": \"A\"}", null),
            new DeadLetter(
                "user", "user:3", "row number 'ind' is missing", "{\"index\": 1, \"first_name\": \"A\"}", null));
    assertReport(
        geos,
        RecordKind.GEO,
        "read=3 cleaned=1 dead_lettered=2 duplicates=0 conflicts=0 nulled={}"
            + " rules={coordinates_from_latitude_longitude=1} unknown_fields={}");
    assertReport(
        users,
        RecordKind.USER,
        "read=3 cleaned=1 dead_lettered=2 duplicates=0 conflicts=0 nulled={}"
            + " rules={user_name_from_first_and_last=1} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void metricKeysNameTheKindTheMeasureAndEachCleanedRecordsEvents() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.PIN,
            raw(pin(1, "title", "No Title Data Available", "extra", 1)),
            raw(pin(1, "title", "No Title Data Available", "extra", 1)),
            raw("[]"));
    // Counts are partial per bundle, and bundles are the runner's choice: sum per key. Besides the
    // data-quality keys, the counts hold each result's row count: none here, with no geo or user.
    List<KV<String, Long>> expected = new ArrayList<>();
    expected.add(KV.of("pin|read", 3L));
    expected.add(KV.of("pin|dead_lettered", 1L));
    expected.add(KV.of("pin|duplicates", 1L));
    expected.add(
        KV.of(
            "pin|cleaned|unknown_field:extra\trule:follower_count_digits_to_number"
                + "\trule:save_location_prefix_stripped\trule:title_placeholder_to_null",
            1L));
    for (QueryOutput output : QueryOutput.values()) {
      expected.add(KV.of(QualityMetrics.RESULT_ROWS + output.outputName(), 0L));
    }
    PAssert.that(out.get(CleanAndQuery.COUNTS).apply("SumPerKey", Sum.longsPerKey()))
        .containsInAnyOrder(expected);
    p.run().waitUntilFinish();
  }

  @Test
  public void emptyInputHasNoOutputsAndAZeroReport() {
    PCollectionTuple out = clean(p, RecordKind.PIN, List.of());
    for (RecordKind kind : RecordKind.values()) {
      PAssert.that(kind.id() + " table", out.get(CleanAndQuery.table(kind))).empty();
      PAssert.that(kind.id() + " dead letters", out.get(CleanAndQuery.deadLetters(kind))).empty();
    }
    for (QueryOutput output : QueryOutput.values()) {
      PAssert.that(output.outputName(), out.get(output.tag())).empty();
    }
    // Not even result row counts: a window without records has no merged result to count.
    PAssert.that(out.get(CleanAndQuery.COUNTS)).empty();
    assertReport(
        out,
        RecordKind.PIN,
        "read=0 cleaned=0 dead_lettered=0 duplicates=0 conflicts=0 nulled={} rules={} unknown_fields={}");
    p.run().waitUntilFinish();
  }
}
