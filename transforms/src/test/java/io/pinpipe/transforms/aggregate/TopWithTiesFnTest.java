package io.pinpipe.transforms.aggregate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The top-value combiner of q3a and q3b: which rows win, with every tie or the first. */
@RunWith(JUnit4.class)
public class TopWithTiesFnTest {
  private static final QueryOutput Q3A = QueryOutput.Q3A;

  private static List<Row> top(Ties ties, Row... rows) {
    TopWithTiesFn fn = TopWithTiesFn.of(Q3A, ties);
    List<Row> acc = fn.createAccumulator();
    for (Row row : rows) {
      acc = fn.addInput(acc, row);
    }
    return fn.extractOutput(acc);
  }

  @Test
  public void tiesAllKeepsEveryDistinctRowWithTheMaximum() {
    assertEquals(
        List.of(Q3A.row("A", "ann", 9L), Q3A.row("A", "bob", 9L)),
        top(
            Ties.ALL,
            Q3A.row("A", "bob", 9L),
            Q3A.row("A", "cat", 3L),
            Q3A.row("A", "ann", 9L),
            Q3A.row("A", "bob", 9L)));
  }

  @Test
  public void tiesFirstKeepsTheSmallestRowByOutputOrder() {
    assertEquals(
        List.of(Q3A.row("A", "Zoe", 9L)),
        top(
            Ties.FIRST,
            Q3A.row("A", "bob", 9L),
            Q3A.row("A", "Zoe", 9L), // 'Z' < 'b' by code point
            Q3A.row("A", "ann", 9L),
            Q3A.row("A", "aaa", 8L)));
  }

  @Test
  public void aHigherValueReplacesEarlierTies() {
    assertEquals(
        List.of(Q3A.row("A", "zed", 10L)),
        top(Ties.ALL, Q3A.row("A", "ann", 9L), Q3A.row("A", "bob", 9L), Q3A.row("A", "zed", 10L)));
  }

  @Test
  public void theWinnersDoNotDependOnBundlingOrOrder() {
    Random random = new Random(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rows.add(Q3A.row("A", "p" + random.nextInt(6), (long) random.nextInt(3)));
    }
    long max = rows.stream().mapToLong(r -> r.getInt64("follower_count")).max().getAsLong();
    List<Row> winners = new ArrayList<>();
    rows.stream().filter(r -> r.getInt64("follower_count") == max).distinct().forEach(winners::add);
    Collections.sort(winners, Q3A.comparator());
    CombineFnTester.testCombineFn(TopWithTiesFn.of(Q3A, Ties.ALL), rows, winners);
    CombineFnTester.testCombineFn(TopWithTiesFn.of(Q3A, Ties.FIRST), rows, winners.subList(0, 1));
  }

  @Test
  public void anAccumulatorOfTiedRowsSurvivesItsCoder() throws Exception {
    TopWithTiesFn fn = TopWithTiesFn.of(Q3A, Ties.ALL);
    CoderProperties.coderDecodeEncodeEqual(
        fn.getAccumulatorCoder(CoderRegistry.createDefault(), RowCoder.of(Q3A.schema())),
        top(Ties.ALL, Q3A.row("A", "ann", 9L), Q3A.row("A", "bob", 9L)));
  }

  @Test
  public void aValueColumnThatIsNotInt64IsRejected() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new TopWithTiesFn(
                QueryOutput.Q5.schema(),
                "median_follower_count",
                QueryOutput.Q5.comparator(),
                Ties.ALL));
  }
}
