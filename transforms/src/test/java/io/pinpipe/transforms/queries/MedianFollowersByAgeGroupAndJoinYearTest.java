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

/** q8 on a hand-computed fixture. */
@RunWith(JUnit4.class)
public class MedianFollowersByAgeGroupAndJoinYearTest {
  private static final QueryOutput Q8 = QueryOutput.Q8;

  private static final List<Row> PINS =
      List.of(
          pin(1, "art", "p", 100L),
          pin(2, "art", "p", 200L),
          pin(3, "art", "p", 300L),
          pin(4, "art", "p", 400L),
          pin(5, "art", "p", 400L),
          pin(6, "art", "p", 1000L),
          pin(7, "art", "p", 500L),
          pin(7, "art", "q", 600L), // conflicting pins share ind 7: both count
          pin(8, "art", "p", 700L),
          pin(9, "art", "p", 800L),
          pin(10, "art", "p", null),
          pin(11, "art", "p", 900L),
          pin(12, "art", "p", 50L),
          pin(13, "art", "p", 60L));

  private static final List<Row> USERS =
      List.of(
          user(1, "u1", 24, "2015-03-01T00:00:00Z"), // (18-24, 2015): 100 200
          user(2, "u2", 18, "2015-01-01T00:00:00Z"),
          user(3, "u3", 25, "2015-07-01T00:00:00Z"), // (25-35, 2015): 300
          user(4, "Ann Lee", 35, "2016-01-01T00:00:00Z"), // (25-35, 2016): 400 400 1000
          user(5, "Ann Lee", 35, "2016-01-01T00:00:00Z"), // the same person again
          user(6, "u6", 35, "2016-09-09T00:00:00Z"),
          user(7, "u7", 36, "2020-12-31T23:59:59Z"), // (36-50, 2020): 500 600
          user(8, "u8", 50, "2021-01-01T00:00:00Z"), // 2021: outside the default years
          user(9, "u9", 51, "2014-12-31T23:59:59Z"), // 2014: outside
          user(10, "u10", 51, "2019-01-01T00:00:00Z"), // (+50, 2019): only null, no row
          user(11, "u11", null, "2019-01-01T00:00:00Z"), // no age: left out
          user(12, "u12", 17, "2019-01-01T00:00:00Z"), // (<18, 2019): 50
          user(13, "u13", 60, null)); // no joining date: left out

  private static List<Row> medians(QuerySettings settings) {
    return PostQueries.run(
        new MedianFollowersByAgeGroupAndJoinYear(settings), PINS, List.of(), USERS);
  }

  @Test
  public void mediansArePerAgeGroupAndJoinYearExactOrLowerWithinTheJoinYears() {
    assertThat(
        medians(QuerySettings.defaults()),
        containsInAnyOrder(
            Q8.row("<18", 2019, 50.0),
            Q8.row("18-24", 2015, 150.0),
            Q8.row("25-35", 2015, 300.0),
            Q8.row("25-35", 2016, 400.0),
            Q8.row("36-50", 2020, 550.0)));
    assertThat(
        medians(QuerySettings.builder().median(Median.LOWER).build()),
        containsInAnyOrder(
            Q8.row("<18", 2019, 50.0),
            Q8.row("18-24", 2015, 100.0),
            Q8.row("25-35", 2015, 300.0),
            Q8.row("25-35", 2016, 400.0),
            Q8.row("36-50", 2020, 500.0)));
    assertThat(
        medians(QuerySettings.builder().joinYears(2014, 2021).build()),
        containsInAnyOrder(
            Q8.row("<18", 2019, 50.0),
            Q8.row("18-24", 2015, 150.0),
            Q8.row("25-35", 2015, 300.0),
            Q8.row("25-35", 2016, 400.0),
            Q8.row("36-50", 2020, 550.0),
            Q8.row("36-50", 2021, 700.0),
            Q8.row("+50", 2014, 800.0)));
  }
}
