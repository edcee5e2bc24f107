package io.pinpipe.transforms.queries;

import static io.pinpipe.transforms.testing.CleanRows.pin;
import static io.pinpipe.transforms.testing.CleanRows.user;
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

/** q4 on a hand-computed fixture with every age group boundary. */
@RunWith(JUnit4.class)
public class TopCategoryByAgeGroupTest {
  private static final QueryOutput Q4 = QueryOutput.Q4;
  private static final String JOINED = "2016-01-01T00:00:00Z";

  private static final List<Row> PINS =
      List.of(
          pin(1, "art", "p", 1L),
          pin(2, "beauty", "p", 1L),
          pin(3, "beauty", "p", 1L),
          pin(4, "diy", "p", 1L),
          pin(5, "diy", "p", 1L),
          pin(6, "travel", "p", 1L),
          pin(7, "travel", "p", 1L),
          pin(8, "art", "p", null), // a null follower count still counts as a post
          pin(9, "beauty", "p", 1L),
          pin(10, "quotes", "p", 1L),
          pin(11, "quotes", "p", 1L),
          pin(12, "art", "p", 1L),
          pin(13, null, "p", 1L),
          pin(14, "diy", "p", 1L),
          pin(14, "diy", "q", 2L)); // conflicting pins share ind 14: counted twice

  private static final List<Row> USERS =
      List.of(
          user(1, "u1", 17, JOINED), // <18: art 1
          user(2, "u2", 18, JOINED), // 18-24: beauty 2, diy 3 (ind 4, 14 twice)
          user(3, "u3", 24, JOINED),
          user(4, "u4", 24, JOINED),
          user(14, "u14", 18, JOINED),
          user(5, "u5", 25, JOINED), // 25-35: diy 1, travel 2 (one recurring person)
          user(6, "Ann Lee", 35, JOINED),
          user(7, "Ann Lee", 35, JOINED),
          user(8, "u8", 36, JOINED), // 36-50: art, beauty, quotes 1 each
          user(9, "u9", 50, JOINED),
          user(10, "u10", 51, JOINED), // +50: quotes 2
          user(11, "u11", 50, JOINED), // conflicting users share ind 11: 50 and 51
          user(11, "u11", 51, JOINED),
          user(12, "u12", null, JOINED), // no age: left out
          user(13, "u13", 20, JOINED)); // no category: left out

  private static List<Row> topCategories(Ties ties) {
    return PostQueries.run(
        new TopCategoryByAgeGroup(QuerySettings.builder().ties(ties).build()), PINS, List.of(), USERS);
  }

  @Test
  public void tiesAllKeepsEveryTopCategoryOfAnAgeGroup() {
    assertThat(
        topCategories(Ties.ALL),
        containsInAnyOrder(
            Q4.row("<18", "art", 1L),
            Q4.row("18-24", "diy", 3L),
            Q4.row("25-35", "travel", 2L),
            Q4.row("36-50", "art", 1L),
            Q4.row("36-50", "beauty", 1L),
            Q4.row("36-50", "quotes", 1L),
            Q4.row("+50", "quotes", 2L)));
  }

  @Test
  public void tiesFirstKeepsTheSmallestTopCategoryOfAnAgeGroup() {
    assertThat(
        topCategories(Ties.FIRST),
        containsInAnyOrder(
            Q4.row("<18", "art", 1L),
            Q4.row("18-24", "diy", 3L),
            Q4.row("25-35", "travel", 2L),
            Q4.row("36-50", "art", 1L),
            Q4.row("+50", "quotes", 2L)));
  }
}
