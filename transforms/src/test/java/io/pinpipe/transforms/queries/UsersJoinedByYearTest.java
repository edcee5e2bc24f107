package io.pinpipe.transforms.queries;

import static io.pinpipe.transforms.testing.CleanRows.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.testing.PostQueries;
import io.pinpipe.transforms.testing.PostQueries.Merge;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** q6 on a hand-computed fixture with recurring persons. */
@RunWith(JUnit4.class)
public class UsersJoinedByYearTest {
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

  private static List<Row> usersJoined(QuerySettings settings) {
    return PostQueries.run(new UsersJoinedByYear(settings), List.of(), List.of(), USERS);
  }

  @Test
  public void distinctPersonsCountOnceAndRowsCountEveryRecord() {
    assertThat(
        usersJoined(QuerySettings.defaults()),
        containsInAnyOrder(Q6.row(2015, 3L), Q6.row(2016, 2L), Q6.row(2017, 1L), Q6.row(2020, 1L)));
    assertThat(
        usersJoined(QuerySettings.builder().userCount(UserCount.ROWS).build()),
        containsInAnyOrder(Q6.row(2015, 5L), Q6.row(2016, 2L), Q6.row(2017, 2L), Q6.row(2020, 2L)));
  }

  @Test
  public void joinYearsBoundTheReportedYearsInclusively() {
    assertThat(
        usersJoined(QuerySettings.builder().joinYears(2014, 2021).build()),
        containsInAnyOrder(
            Q6.row(2014, 1L),
            Q6.row(2015, 3L),
            Q6.row(2016, 2L),
            Q6.row(2017, 1L),
            Q6.row(2020, 1L),
            Q6.row(2021, 1L)));
    assertThat(
        usersJoined(QuerySettings.builder().joinYears(2016, 2017).build()),
        containsInAnyOrder(Q6.row(2016, 2L), Q6.row(2017, 1L)));
  }

  @Test
  public void personsCountedInDisjointShardsAndSettledAddUpToTheDistinctCount() {
    // As a pipeline counts them: each person (personKey) goes to one shard by its hash, each shard
    // settles its persons into counts, and the settled shards are merged.
    for (QuerySettings settings :
        List.of(QuerySettings.defaults(), QuerySettings.builder().joinYears(2014, 2021).build())) {
      UsersJoinedByYear q6 = new UsersJoinedByYear(settings);
      List<Row> oneAccumulator = usersJoined(settings);
      for (int shards : new int[] {1, 2, 3, 5}) {
        List<UsersJoinedByYear.Users> accumulators = new ArrayList<>();
        List<Set<String>> personsPerShard = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
          accumulators.add(q6.createAccumulator());
          personsPerShard.add(new HashSet<>());
        }
        for (Row user : USERS) {
          Integer year = q6.joinYear(user);
          if (year != null) {
            String person = UsersJoinedByYear.personKey(user);
            int shard = Math.floorMod(person.hashCode(), shards);
            q6.addPerson(accumulators.get(shard), year, person);
            personsPerShard.get(shard).add(person);
          }
        }
        long nonEmpty = personsPerShard.stream().filter(persons -> !persons.isEmpty()).count();
        assertTrue(shards + " shards should split the persons", shards == 1 || nonEmpty > 1);
        for (Merge merge : Merge.values()) {
          List<UsersJoinedByYear.Users> settled = new ArrayList<>();
          for (UsersJoinedByYear.Users shard : accumulators) {
            // Settle a copy (through the coder, as a pipeline's shard travels): the next merge
            // needs the unsettled shards again.
            settled.add(PostQueries.roundTrip(q6, q6.settle(PostQueries.roundTrip(q6, shard))));
          }
          assertEquals(
              settings + ", " + shards + " shards, merged " + merge,
              oneAccumulator,
              q6.extractOutput(PostQueries.merge(q6, settled, merge)));
        }
      }
    }
  }
}
