package io.pinpipe.transforms.queries;

import static io.pinpipe.transforms.testing.CleanRows.user;

import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import io.pinpipe.transforms.testing.QueryInputs;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** q6 on a hand-computed fixture with recurring persons. */
@RunWith(JUnit4.class)
public class UsersJoinedByYearTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static final QueryOutput Q6 = QueryOutput.Q6;
  private static final String NEW_YEAR_2015 = "2015-01-01T00:00:00Z";
  private static final String MID_2015 = "2015-06-01T00:00:00Z";
  private static final String MID_2017 = "2017-03-03T03:03:03Z";
  private static final String END_OF_2020 = "2020-12-31T23:59:59Z";

  private static final List<Row> USERS =
      List.of(
          // 2015: 3 persons in 5 records.
          user(1, "Ann Lee", 30, NEW_YEAR_2015),
          user(2, "Ann Lee", 30, NEW_YEAR_2015), // the same person again
          user(3, "Ann Lee", 31, NEW_YEAR_2015), // another age: another person
          user(4, null, 40, MID_2015),
          user(5, null, 40, MID_2015), // nulls are equal: the same person
          // 2016: conflicting records share ind 13: 2 persons in 2 records.
          user(13, "Gil Ek", 33, "2016-04-04T00:00:00Z"),
          user(13, "Gil Ek", 34, "2016-04-04T00:00:00Z"),
          // 2017: 1 person (without an age) in 2 records.
          user(11, "Fay Wu", null, MID_2017),
          user(12, "Fay Wu", null, MID_2017),
          // 2020: 1 person in 2 records, joined at the year's last second.
          user(7, "Cy Ng", 22, END_OF_2020),
          user(8, "Cy Ng", 22, END_OF_2020),
          // Outside the default years, or without a joining date.
          user(6, "Bob Roe", 20, "2014-12-31T23:59:59Z"),
          user(9, "Dee Oh", 25, "2021-01-01T00:00:00Z"),
          user(10, "Eve Ma", 26, null));

  @Test
  public void testDistinctPersonsCountOnceAndRowsCountEveryRecord() {
    PCollection<Row> users = QueryInputs.users(pipeline, USERS);
    PAssert.that(users.apply("Distinct", new UsersJoinedByYear(QuerySettings.defaults())))
        .containsInAnyOrder(Q6.row(2015, 3L), Q6.row(2016, 2L), Q6.row(2017, 1L), Q6.row(2020, 1L));
    PAssert.that(
            users.apply(
                "Rows",
                new UsersJoinedByYear(QuerySettings.builder().userCount(UserCount.ROWS).build())))
        .containsInAnyOrder(Q6.row(2015, 5L), Q6.row(2016, 2L), Q6.row(2017, 2L), Q6.row(2020, 2L));
    pipeline.run();
  }

  @Test
  public void testJoinYearsBoundTheReportedYearsInclusively() {
    PCollection<Row> users = QueryInputs.users(pipeline, USERS);
    PAssert.that(
            users.apply(
                "From2014To2021",
                new UsersJoinedByYear(QuerySettings.builder().joinYears(2014, 2021).build())))
        .containsInAnyOrder(
            Q6.row(2014, 1L),
            Q6.row(2015, 3L),
            Q6.row(2016, 2L),
            Q6.row(2017, 1L),
            Q6.row(2020, 1L),
            Q6.row(2021, 1L));
    PAssert.that(
            users.apply(
                "Only2016And2017",
                new UsersJoinedByYear(QuerySettings.builder().joinYears(2016, 2017).build())))
        .containsInAnyOrder(Q6.row(2016, 2L), Q6.row(2017, 1L));
    pipeline.run();
  }
}
