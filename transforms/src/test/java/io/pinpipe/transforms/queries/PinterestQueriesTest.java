package io.pinpipe.transforms.queries;

import static io.pinpipe.transforms.testing.CleanRows.geo;
import static io.pinpipe.transforms.testing.CleanRows.pin;
import static io.pinpipe.transforms.testing.CleanRows.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.testing.PostQueries;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The composite of the nine queries: its outputs, their schemas, and empty input. */
@RunWith(JUnit4.class)
public class PinterestQueriesTest {
  private static Map<QueryOutput, List<Row>> run(List<Row> pins, List<Row> geos, List<Row> users) {
    return PostQueries.run(PinterestQueries.with(QuerySettings.defaults()), pins, geos, users);
  }

  @Test
  public void emptyInputsGiveEveryOutputEmpty() {
    Map<QueryOutput, List<Row>> results = run(List.of(), List.of(), List.of());

    assertEquals(EnumSet.allOf(QueryOutput.class), results.keySet());
    for (QueryOutput output : QueryOutput.values()) {
      assertTrue(output.id(), results.get(output).isEmpty());
    }
  }

  @Test
  public void onePostAppearsInEveryOutputWithItsSchema() {
    Map<QueryOutput, List<Row>> results =
        run(
            List.of(pin(1, "art", "Ann", 26000L)),
            List.of(geo(1, "Chad", "2019-05-05T00:00:00Z")),
            List.of(user(1, "Bo Li", 30, "2016-01-01T00:00:00Z")));

    assertEquals(EnumSet.allOf(QueryOutput.class), results.keySet());
    results.forEach(
        (output, rows) ->
            rows.forEach(row -> assertEquals(output.id(), output.schema(), row.getSchema())));
    assertThat(
        results.get(QueryOutput.Q1), containsInAnyOrder(QueryOutput.Q1.row("Chad", "art", 1L)));
    assertThat(
        results.get(QueryOutput.Q2), containsInAnyOrder(QueryOutput.Q2.row(2019, "art", 1L)));
    assertThat(
        results.get(QueryOutput.Q3A),
        containsInAnyOrder(QueryOutput.Q3A.row("Chad", "Ann", 26000L)));
    assertThat(
        results.get(QueryOutput.Q3B), containsInAnyOrder(QueryOutput.Q3B.row("Chad", 26000L)));
    assertThat(
        results.get(QueryOutput.Q4), containsInAnyOrder(QueryOutput.Q4.row("25-35", "art", 1L)));
    assertThat(
        results.get(QueryOutput.Q5), containsInAnyOrder(QueryOutput.Q5.row("25-35", 26000.0)));
    assertThat(results.get(QueryOutput.Q6), containsInAnyOrder(QueryOutput.Q6.row(2016, 1L)));
    assertThat(
        results.get(QueryOutput.Q7), containsInAnyOrder(QueryOutput.Q7.row(2016, 26000.0)));
    assertThat(
        results.get(QueryOutput.Q8),
        containsInAnyOrder(QueryOutput.Q8.row("25-35", 2016, 26000.0)));
  }
}
