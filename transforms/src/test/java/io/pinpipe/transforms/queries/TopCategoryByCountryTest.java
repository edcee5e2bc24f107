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

/** q1 on a hand-computed fixture. */
@RunWith(JUnit4.class)
public class TopCategoryByCountryTest {
  private static final QueryOutput Q1 = QueryOutput.Q1;
  private static final String T = "2020-01-01T00:00:00Z";

  private static final List<Row> PINS =
      List.of(
          // Albania: art 2, beauty 2, diy 1 -> a tie.
          pin(1, "art", "p", 1L),
          pin(2, "art", "p", 1L),
          pin(3, "beauty", "p", null), // a null follower count still counts as a post
          pin(4, "beauty", "p", 1L),
          pin(5, "diy", "p", 1L),
          // Chad: two conflicting pins share ind 10, so the join counts travel twice: 2 against
          // quotes 1 (counted once per pin, it would be a tie).
          pin(10, "travel", "p", 1L),
          pin(10, "travel", "q", 2L),
          pin(11, "quotes", "p", 1L),
          // Left out: null category; null country (ind 14); no geo (ind 15).
          pin(13, null, "p", 1L),
          pin(14, "quotes", "p", 1L),
          pin(15, "quotes", "p", 1L),
          // ind 20 has two conflicting geos: its pin counts in Denmark and in Egypt.
          pin(20, "event-planning", "p", 1L),
          pin(21, "education", "p", 1L));

  private static final List<Row> GEOS =
      List.of(
          geo(1, "Albania", T),
          geo(2, "Albania", T),
          geo(3, "Albania", T),
          geo(4, "Albania", T),
          geo(5, "Albania", T),
          geo(10, "Chad", T),
          geo(11, "Chad", T),
          geo(13, "Chad", T),
          geo(14, null, T),
          geo(16, "Chad", T), // no pin
          geo(20, "Denmark", T),
          geo(20, "Egypt", T),
          geo(21, "Egypt", null)); // the timestamp does not matter to q1

  private static List<Row> topCategories(Ties ties) {
    return PostQueries.run(
        new TopCategoryByCountry(QuerySettings.builder().ties(ties).build()), PINS, GEOS, List.of());
  }

  @Test
  public void tiesAllKeepsEveryTopCategoryOfACountry() {
    assertThat(
        topCategories(Ties.ALL),
        containsInAnyOrder(
            Q1.row("Albania", "art", 2L),
            Q1.row("Albania", "beauty", 2L),
            Q1.row("Chad", "travel", 2L),
            Q1.row("Denmark", "event-planning", 1L),
            Q1.row("Egypt", "education", 1L),
            Q1.row("Egypt", "event-planning", 1L)));
  }

  @Test
  public void tiesFirstKeepsTheSmallestTopCategoryOfACountry() {
    assertThat(
        topCategories(Ties.FIRST),
        containsInAnyOrder(
            Q1.row("Albania", "art", 2L),
            Q1.row("Chad", "travel", 2L),
            Q1.row("Denmark", "event-planning", 1L),
            Q1.row("Egypt", "education", 1L)));
  }
}
