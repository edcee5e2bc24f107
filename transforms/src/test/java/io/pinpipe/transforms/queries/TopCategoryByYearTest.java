package io.pinpipe.transforms.queries;

import static io.pinpipe.transforms.testing.CleanRows.geo;
import static io.pinpipe.transforms.testing.CleanRows.pin;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;

import io.pinpipe.transforms.aggregate.Ties;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.testing.PostQueries;
import java.util.List;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** q2 on a hand-computed fixture. */
@RunWith(JUnit4.class)
public class TopCategoryByYearTest {
  private static final QueryOutput Q2 = QueryOutput.Q2;

  private static final List<Row> PINS =
      List.of(
          pin(1, "art", "p", 1L),
          pin(2, "art", "p", 1L),
          pin(3, "beauty", "p", 1L),
          pin(4, "diy", "p", null), // a null follower count still counts as a post
          pin(5, "travel", "p", 1L),
          pin(6, "travel", "p", 1L),
          pin(6, "travel", "q", 2L), // conflicting pins share ind 6: travel counts twice
          pin(7, "quotes", "p", 1L),
          pin(8, "art", "p", 1L),
          pin(9, null, "p", 1L),
          pin(10, "art", "p", 1L),
          pin(11, "diy", "p", 1L));

  private static final List<Row> GEOS =
      List.of(
          geo(1, "A", "2017-12-31T23:59:59Z"), // 2017: outside the default years
          geo(2, "A", "2017-06-01T00:00:00Z"),
          geo(3, "A", "2018-01-01T00:00:00Z"), // first instant of the first year
          geo(4, "A", "2018-05-05T05:05:05Z"), // 2018: beauty 1, diy 1, a tie
          geo(5, "A", "2022-12-31T23:59:59.999Z"), // last instant of the last year
          geo(6, "A", "2022-03-01T00:00:00Z"), // 2022: travel 3 against quotes 1
          geo(7, "A", "2022-03-01T00:00:00Z"),
          geo(8, "A", "2023-01-01T00:00:00Z"), // 2023: outside
          geo(9, "A", "2019-01-01T00:00:00Z"), // null category: left out
          geo(10, "A", null), // null timestamp: left out
          // 2017-12-31T23:00Z in UTC, although 2018 where it was posted: counts in 2017.
          geo(11, "A", "2018-01-01T01:00:00+02:00"));

  private static List<Row> topCategories(QuerySettings settings) {
    return PostQueries.run(new TopCategoryByYear(settings), PINS, GEOS, List.of());
  }

  @Test
  public void defaultYearsAreInclusiveAndUtcAndTiesAllKeepsEveryTopCategory() {
    assertThat(
        topCategories(QuerySettings.defaults()),
        containsInAnyOrder(
            Q2.row(2018, "beauty", 1L), Q2.row(2018, "diy", 1L), Q2.row(2022, "travel", 3L)));
  }

  @Test
  public void tiesFirstKeepsTheSmallestTopCategoryAndPostYearsPickTheYears() {
    assertThat(
        topCategories(QuerySettings.builder().ties(Ties.FIRST).build()),
        containsInAnyOrder(Q2.row(2018, "beauty", 1L), Q2.row(2022, "travel", 3L)));
    assertThat(
        topCategories(QuerySettings.builder().postYears(2017, 2017).build()),
        containsInAnyOrder(Q2.row(2017, "art", 2L)));
    assertThat(
        topCategories(QuerySettings.builder().postYears(2022, 2023).build()),
        containsInAnyOrder(Q2.row(2022, "travel", 3L), Q2.row(2023, "art", 1L)));
  }
}
