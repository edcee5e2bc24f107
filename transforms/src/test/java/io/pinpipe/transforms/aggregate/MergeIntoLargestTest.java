package io.pinpipe.transforms.aggregate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import io.pinpipe.transforms.queries.UsersJoinedByYear;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.testing.CleanRows;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Merging into the largest accumulator: the result, what is reused, and the q6 combiner on it. */
@RunWith(JUnit4.class)
public class MergeIntoLargestTest {
  private static Set<String> set(String... values) {
    return new HashSet<>(List.of(values));
  }

  private static Set<String> merge(List<Set<String>> sets) {
    return MergeIntoLargest.merge(sets, Set::size, Set::addAll, HashSet::new);
  }

  @Test
  public void theLargestAccumulatorIsReturnedHoldingTheUnion() {
    Set<String> small = set("a");
    Set<String> large = set("b", "c", "d");
    Set<String> middle = set("a", "e");

    Set<String> merged = merge(List.of(small, large, middle));

    assertSame("the largest is merged into, not copied", large, merged);
    assertEquals(set("a", "b", "c", "d", "e"), merged);
    assertEquals("the others are only read", set("a"), small);
    assertEquals(set("a", "e"), middle);
  }

  @Test
  public void theFirstOfEquallyLargeAccumulatorsIsReturned() {
    Set<String> first = set("a", "b");
    Set<String> second = set("c", "d");
    assertSame(first, merge(List.of(first, second)));
    assertEquals(set("a", "b", "c", "d"), first);
  }

  @Test
  public void noAccumulatorMergesToANewEmptyOne() {
    assertTrue(merge(List.of()).isEmpty());
  }

  @Test
  public void mergingOneByOneKeepsAddingEachPartialIntoTheRunningSet() {
    // FlinkRunner's pattern: merge(running, next) once per partial. The running set stays the
    // same object, so each merge costs the partial's size, not the running size.
    Set<String> running = set();
    for (int partial = 0; partial < 100; partial++) {
      Set<String> next = new HashSet<>();
      for (int i = 0; i < 10; i++) {
        next.add(partial + "/" + i);
      }
      Set<String> merged = merge(List.of(running, next));
      if (partial > 0) {
        assertSame(running, merged);
      }
      running = merged;
    }
    assertEquals(1_000, running.size());
  }

  @Test
  public void usersJoinedCountsDistinctPersonsOrRowsUnderAnyMergeOrder() {
    // 300 posts of 120 persons; CombineFnTester merges shards of every shape, in place.
    List<String> persons = new ArrayList<>();
    IntStream.range(0, 300).forEach(i -> persons.add("person-" + (i * 7 % 120)));
    long distinct = persons.stream().collect(Collectors.toSet()).size();
    assertEquals(120, distinct);
    List<Post> posts = new ArrayList<>();
    for (int ind = 0; ind < persons.size(); ind++) {
      Row user = CleanRows.user(ind, persons.get(ind), 30, "2016-06-06T00:00:00Z");
      posts.add(Post.of(ind, List.of(), List.of(), List.of(user)));
    }
    QuerySettings rows = QuerySettings.builder().userCount(UserCount.ROWS).build();
    CombineFnTester.testCombineFn(
        new UsersJoinedByYear(QuerySettings.defaults()),
        posts,
        List.of(QueryOutput.Q6.row(2016, 120L)));
    CombineFnTester.testCombineFn(
        new UsersJoinedByYear(rows), posts, List.of(QueryOutput.Q6.row(2016, 300L)));
  }
}
