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

/** q5 on a hand-computed fixture. */
@RunWith(JUnit4.class)
public class MedianFollowersByAgeGroupTest {
  private static final QueryOutput Q5 = QueryOutput.Q5;
  private static final String JOINED = "2016-01-01T00:00:00Z";

  private static final List<Row> PINS =
      List.of(
          pin(1, "art", "p", null),
          pin(15, "art", "p", null),
          pin(2, "art", "p", 1000L),
          pin(3, "art", "p", 2000L),
          pin(4, "art", "p", 4000L),
          pin(5, "art", "p", null),
          pin(6, "art", "p", 8000L),
          pin(7, "art", "p", 26000L),
          pin(8, "art", "p", 26000L),
          pin(9, "art", "p", 5_000_000L),
          pin(9, "art", "q", 7_000_000L), // conflicting pins share ind 9: both count
          pin(10, "art", "p", 300L),
          pin(11, "art", "p", 500L),
          pin(12, "art", "p", 59000L),
          pin(13, "art", "p", 60001L),
          pin(14, "art", "p", 1L),
          pin(16, "art", "p", 700L));

  private static final List<Row> USERS =
      List.of(
          user(1, "u", 17, JOINED), // <18: only null follower counts, no row
          user(15, "u", 3, JOINED),
          user(2, "u", 18, JOINED), // 18-24: 1000 2000 4000 8000 (null ignored)
          user(3, "u", 24, JOINED),
          user(4, "u", 24, JOINED),
          user(5, "u", 18, JOINED),
          user(6, "u", 24, JOINED),
          user(7, "u", 25, JOINED), // 25-35: 26000 26000 5000000 7000000
          user(8, "u", 35, JOINED),
          user(9, "u", 35, JOINED),
          user(10, "u", 36, JOINED), // 36-50: 300 500 700, an odd count
          user(11, "u", 50, JOINED),
          user(16, "u", 44, JOINED),
          user(12, "u", 51, JOINED), // +50: 59000 60001
          user(13, "u", 60, JOINED),
          user(14, "u", null, JOINED)); // no age: left out

  private static List<Row> medians(QuerySettings settings) {
    return PostQueries.run(new MedianFollowersByAgeGroup(settings), PINS, List.of(), USERS);
  }

  @Test
  public void exactMediansInterpolateAndLowerMediansTakeTheLowerMiddle() {
    assertThat(
        medians(QuerySettings.defaults()),
        containsInAnyOrder(
            Q5.row("18-24", 3000.0),
            Q5.row("25-35", 2_513_000.0),
            Q5.row("36-50", 500.0),
            Q5.row("+50", 59500.5)));
    assertThat(
        medians(QuerySettings.builder().median(Median.LOWER).build()),
        containsInAnyOrder(
            Q5.row("18-24", 2000.0),
            Q5.row("25-35", 26000.0),
            Q5.row("36-50", 500.0),
            Q5.row("+50", 59000.0)));
  }
}
