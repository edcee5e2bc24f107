package io.pinpipe.transforms.clean;

import static io.pinpipe.transforms.clean.CleanFixtures.assertReport;
import static io.pinpipe.transforms.clean.CleanFixtures.clean;
import static io.pinpipe.transforms.clean.CleanFixtures.raw;
import static io.pinpipe.transforms.clean.CleanFixtures.utc;

import io.pinpipe.transforms.onepass.CleanAndQuery;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Users through {@link CleanAndQuery} (the other kinds empty): user_name from the name parts, age
 * coercion, UTC date_joined.
 */
@RunWith(JUnit4.class)
public class CleanUsersTest {

  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final Instant JOINED = utc(2016, 4, 2, 7, 11, 59, 0);

  private static String user(long ind, String first, String last, String ageJson) {
    return "{\"ind\": " + ind + ", \"first_name\": " + first + ", \"last_name\": " + last
        + ", \"age\": " + ageJson + ", \"date_joined\": \"2016-04-02 07:11:59\"}";
  }

  @Test
  public void userNameJoinsFirstAndLastName() {
    PCollectionTuple out =
        clean(p, RecordKind.USER, raw(user(7528, "\"Andrea\"", "\"Alvarez\"", "45")));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.USER)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.USER).addValues(7528L, "Andrea Alvarez", 45, JOINED).build());
    PAssert.that(out.get(CleanAndQuery.deadLetters(RecordKind.USER))).empty();
    assertReport(
        out,
        RecordKind.USER,
        "read=1 cleaned=1 dead_lettered=0 duplicates=0 conflicts=0 nulled={}"
            + " rules={user_name_from_first_and_last=1} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void userNameIsOnePartAloneWhenTheOtherIsMissingNullOrBlank() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.USER,
            raw("{\"ind\": 1, \"first_name\": \"Andrea\", \"age\": 45, \"date_joined\": \"2016-04-02 07:11:59\"}"),
            raw(user(2, "null", "\"Alvarez\"", "45")),
            raw(user(3, "\"  \"", "\"Alvarez\"", "45")),
            raw(user(4, "\" Andrea\"", "\"\"", "45")),
            raw(user(5, "null", "\"\"", "45")));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.USER)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.USER).addValues(1L, "Andrea", 45, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(2L, "Alvarez", 45, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(3L, "Alvarez", 45, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(4L, "Andrea", 45, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(5L, null, 45, JOINED).build());
    assertReport(
        out,
        RecordKind.USER,
        "read=5 cleaned=5 dead_lettered=0 duplicates=0 conflicts=0"
            + " nulled={last_name={missing=1}}"
            + " rules={first_name_blank_to_null=1, last_name_blank_to_null=2, user_name_from_one_part=4}"
            + " unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void userNameIsTrimmedOnTheOutsideOnly() {
    PCollectionTuple out =
        clean(p, RecordKind.USER, raw(user(1, "\" Mary Ann \"", "\"Lee \"", "30")));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.USER)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.USER).addValues(1L, "Mary Ann  Lee", 30, JOINED).build());
    assertReport(
        out,
        RecordKind.USER,
        "read=1 cleaned=1 dead_lettered=0 duplicates=0 conflicts=0 nulled={}"
            + " rules={user_name_from_first_and_last=1} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void userAgeIsCoercedOrNulledAndCounted() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.USER,
            raw(user(1, "\"A\"", "\"B\"", "\"45\"")),
            raw(user(2, "\"A\"", "\"B\"", "\"45.0\"")),
            raw(user(3, "\"A\"", "\"B\"", "\" 45 \"")),
            raw(user(4, "\"A\"", "\"B\"", "\"abc\"")),
            raw(user(5, "\"A\"", "\"B\"", "1.5")),
            raw(user(6, "\"A\"", "\"B\"", "true")),
            raw(user(7, "\"A\"", "\"B\"", "3000000000")),
            raw(user(8, "\"A\"", "\"B\"", "null")));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.USER)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.USER).addValues(1L, "A B", 45, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(2L, "A B", 45, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(3L, "A B", 45, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(4L, "A B", null, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(5L, "A B", null, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(6L, "A B", null, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(7L, "A B", null, JOINED).build(),
            Row.withSchema(RecordSchemas.USER).addValues(8L, "A B", null, JOINED).build());
    assertReport(
        out,
        RecordKind.USER,
        "read=8 cleaned=8 dead_lettered=0 duplicates=0 conflicts=0"
            + " nulled={age={not_a_number=1, not_integral=1, out_of_range=1, wrong_type=1}}"
            + " rules={user_name_from_first_and_last=8} unknown_fields={}");
    p.run().waitUntilFinish();
  }

  @Test
  public void userDateJoinedParsesBothFormsAsUtc() {
    PCollectionTuple out =
        clean(
            p,
            RecordKind.USER,
            raw("{\"ind\": 1, \"first_name\": \"A\", \"last_name\": \"B\", \"age\": 20, \"date_joined\": \"2015-10-20T23:00:00-01:30\"}"),
            raw("{\"ind\": 2, \"first_name\": \"A\", \"last_name\": \"B\", \"age\": 20, \"date_joined\": \"2017-01-01 00:00:00.999\"}"),
            raw("{\"ind\": 3, \"first_name\": \"A\", \"last_name\": \"B\", \"age\": 20, \"date_joined\": \"1/1/2017\"}"));
    PAssert.that(out.get(CleanAndQuery.table(RecordKind.USER)))
        .containsInAnyOrder(
            Row.withSchema(RecordSchemas.USER).addValues(1L, "A B", 20, utc(2015, 10, 21, 0, 30, 0, 0)).build(),
            Row.withSchema(RecordSchemas.USER).addValues(2L, "A B", 20, utc(2017, 1, 1, 0, 0, 0, 999)).build(),
            Row.withSchema(RecordSchemas.USER).addValues(3L, "A B", 20, null).build());
    assertReport(
        out,
        RecordKind.USER,
        "read=3 cleaned=3 dead_lettered=0 duplicates=0 conflicts=0"
            + " nulled={date_joined={unparseable_datetime=1}}"
            + " rules={user_name_from_first_and_last=3} unknown_fields={}");
    p.run().waitUntilFinish();
  }
}
