package io.pinpipe.transforms.queries;

import static io.pinpipe.transforms.testing.CleanRows.pin;
import static io.pinpipe.transforms.testing.CleanRows.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import io.pinpipe.transforms.aggregate.Median;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.testing.PostQueries;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** q7 on a hand-computed fixture. */
@RunWith(JUnit4.class)
public class MedianFollowersByJoinYearTest {
  private static final QueryOutput Q7 = QueryOutput.Q7;

  private static final List<Row> PINS =
      List.of(
          pin(1, "art", "p", 100L),
          pin(2, "art", "p", 300L),
          pin(3, "art", "p", 999L),
          pin(4, "art", "p", null),
          pin(5, "art", "p", 5000L),
          pin(5, "art", "q", 7000L), // conflicting pins share ind 5: both count
          pin(6, "art", "p", 1000L),
          pin(7, "art", "p", 10L),
          pin(8, "art", "p", 20L),
          pin(9, "art", "p", 40L));

  private static final List<Row> USERS =
      List.of(
          user(1, "u", null, "2015-01-01T00:00:00Z"), // 2015: 100 300; no age is fine for q7
          user(2, "u", 30, "2015-12-31T23:59:59Z"),
          user(3, "u", 30, "2014-12-31T23:59:59Z"), // 2014: outside the default years
          user(4, "u", 30, "2016-02-02T00:00:00Z"), // 2016: only a null follower count
          user(5, "u", 30, "2020-12-31T23:59:59Z"), // 2020: 1000 5000 7000
          user(6, "u", 30, "2020-06-01T00:00:00Z"),
          user(7, "u", 30, "2021-01-01T00:00:00Z"), // 2021: outside
          user(8, "u", 30, null), // no joining date: left out
          user(9, "u", 30, "2017-01-01T00:00:00Z"), // conflicting users share ind 9
          user(9, "u", 31, "2018-01-01T00:00:00Z"));

  private static List<Row> medians(QuerySettings settings) {
    return PostQueries.run(new MedianFollowersByJoinYear(settings), PINS, List.of(), USERS);
  }

  @Test
  public void mediansArePerJoinYearExactOrLowerWithinTheJoinYears() {
    assertThat(
        medians(QuerySettings.defaults()),
        containsInAnyOrder(
            Q7.row(2015, 200.0), Q7.row(2017, 40.0), Q7.row(2018, 40.0), Q7.row(2020, 5000.0)));
    assertThat(
        medians(QuerySettings.builder().median(Median.LOWER).build()),
        containsInAnyOrder(
            Q7.row(2015, 100.0), Q7.row(2017, 40.0), Q7.row(2018, 40.0), Q7.row(2020, 5000.0)));
    assertThat(
        medians(QuerySettings.builder().joinYears(2014, 2021).build()),
        containsInAnyOrder(
            Q7.row(2014, 999.0),
            Q7.row(2015, 200.0),
            Q7.row(2017, 40.0),
            Q7.row(2018, 40.0),
            Q7.row(2020, 5000.0),
            Q7.row(2021, 10.0)));
  }
}
