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

/** q3a and q3b, which is computed from q3a, on a hand-computed fixture. */
@RunWith(JUnit4.class)
public class TopUserByCountryTest {
  private static final QueryOutput Q3A = QueryOutput.Q3A;
  private static final QueryOutput Q3B = QueryOutput.Q3B;
  private static final String T = "2020-01-01T00:00:00Z";

  private static final List<Row> PINS =
      List.of(
          // Albania: ann and bob tie at 5000; ann posting twice is one row.
          pin(1, "art", "ann", 5000L),
          pin(2, "art", "ann", 5000L),
          pin(3, "art", "bob", 5000L),
          pin(4, "art", "ann", 3000L),
          pin(5, "art", null, 9000L), // no poster name: left out
          pin(6, "art", "cat", null), // no follower count: left out
          pin(7, "art", "dan", 4000L),
          // Brazil: eve ties Albania's top users at 5000; conflicting pins share ind 11 and
          // make gil a second top user.
          pin(10, "art", "eve", 5000L),
          pin(11, "art", "fay", 100L),
          pin(11, "art", "gil", 5000L),
          // Chad: gus 1000; ind 21 has geos in Chad and Denmark.
          pin(20, "art", "gus", 1000L),
          pin(21, "art", "hal", 2000L),
          // Estonia: only a null follower count, no row.
          pin(30, "art", "ivy", null),
          // No country: left out, though it has the most followers.
          pin(40, "art", "joe", 999_999L));

  private static final List<Row> GEOS =
      List.of(
          geo(1, "Albania", T),
          geo(2, "Albania", T),
          geo(3, "Albania", T),
          geo(4, "Albania", T),
          geo(5, "Albania", T),
          geo(6, "Albania", T),
          geo(7, "Albania", T),
          geo(10, "Brazil", T),
          geo(11, "Brazil", T),
          geo(20, "Chad", T),
          geo(21, "Chad", T),
          geo(21, "Denmark", T),
          geo(30, "Estonia", T),
          geo(40, null, T));

  @Test
  public void tiesAllKeepsEveryTopUserAndEveryTopCountry() {
    QuerySettings settings = QuerySettings.defaults();
    List<Row> q3a = PostQueries.run(new TopUserByCountry(settings), PINS, GEOS, List.of());
    List<Row> q3b = new TopCountryByUserFollowers(settings).of(q3a);

    assertThat(
        q3a,
        containsInAnyOrder(
            Q3A.row("Albania", "ann", 5000L),
            Q3A.row("Albania", "bob", 5000L),
            Q3A.row("Brazil", "eve", 5000L),
            Q3A.row("Brazil", "gil", 5000L),
            Q3A.row("Chad", "hal", 2000L),
            Q3A.row("Denmark", "hal", 2000L)));
    // Albania's (and Brazil's) two top users make one (country, follower_count) row.
    assertThat(q3b, containsInAnyOrder(Q3B.row("Albania", 5000L), Q3B.row("Brazil", 5000L)));
  }

  @Test
  public void tiesFirstKeepsTheSmallestTopUserAndTopCountry() {
    QuerySettings settings = QuerySettings.builder().ties(Ties.FIRST).build();
    List<Row> q3a = PostQueries.run(new TopUserByCountry(settings), PINS, GEOS, List.of());
    List<Row> q3b = new TopCountryByUserFollowers(settings).of(q3a);

    assertThat(
        q3a,
        containsInAnyOrder(
            Q3A.row("Albania", "ann", 5000L),
            Q3A.row("Brazil", "eve", 5000L),
            Q3A.row("Chad", "hal", 2000L),
            Q3A.row("Denmark", "hal", 2000L)));
    assertThat(q3b, containsInAnyOrder(Q3B.row("Albania", 5000L)));
  }
}
