package io.pinpipe.transforms.queries;

import static io.pinpipe.transforms.testing.CleanRows.geo;
import static io.pinpipe.transforms.testing.CleanRows.pin;
import static io.pinpipe.transforms.testing.CleanRows.user;
import static org.junit.Assert.assertEquals;

import io.pinpipe.transforms.schema.RecordSchemas;
import io.pinpipe.transforms.testing.QueryInputs;
import java.util.List;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The composite of the nine queries: its outputs, their schemas, and empty input. */
@RunWith(JUnit4.class)
public class PinterestQueriesTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private PCollection<Row> none(String name, Schema schema) {
    return pipeline.apply(name, Create.empty(RowCoder.of(schema))).setRowSchema(schema);
  }

  @Test
  public void testEmptyInputsGiveEveryOutputEmptyWithItsSchema() {
    PCollectionTuple results =
        PinterestQueries.inputs(
                none("NoPins", RecordSchemas.PIN),
                none("NoGeos", RecordSchemas.GEO),
                none("NoUsers", RecordSchemas.USER))
            .apply("Queries", PinterestQueries.with(QuerySettings.defaults()));

    assertEquals(QueryOutput.values().length, results.getAll().size());
    for (QueryOutput output : QueryOutput.values()) {
      assertEquals(output.schema(), results.get(output.tag()).getSchema());
      PAssert.that(output.id(), results.get(output.tag())).empty();
    }
    pipeline.run();
  }

  @Test
  public void testOnePostAppearsInEveryOutput() {
    PCollectionTuple results =
        PinterestQueries.inputs(
                QueryInputs.pins(pipeline, List.of(pin(1, "art", "Ann", 26000L))),
                QueryInputs.geos(pipeline, List.of(geo(1, "Chad", "2019-05-05T00:00:00Z"))),
                QueryInputs.users(pipeline, List.of(user(1, "Bo Li", 30, "2016-01-01T00:00:00Z"))))
            .apply("Queries", PinterestQueries.with(QuerySettings.defaults()));

    PAssert.that(results.get(QueryOutput.Q1.tag()))
        .containsInAnyOrder(QueryOutput.Q1.row("Chad", "art", 1L));
    PAssert.that(results.get(QueryOutput.Q2.tag()))
        .containsInAnyOrder(QueryOutput.Q2.row(2019, "art", 1L));
    PAssert.that(results.get(QueryOutput.Q3A.tag()))
        .containsInAnyOrder(QueryOutput.Q3A.row("Chad", "Ann", 26000L));
    PAssert.that(results.get(QueryOutput.Q3B.tag()))
        .containsInAnyOrder(QueryOutput.Q3B.row("Chad", 26000L));
    PAssert.that(results.get(QueryOutput.Q4.tag()))
        .containsInAnyOrder(QueryOutput.Q4.row("25-35", "art", 1L));
    PAssert.that(results.get(QueryOutput.Q5.tag()))
        .containsInAnyOrder(QueryOutput.Q5.row("25-35", 26000.0));
    PAssert.that(results.get(QueryOutput.Q6.tag()))
        .containsInAnyOrder(QueryOutput.Q6.row(2016, 1L));
    PAssert.that(results.get(QueryOutput.Q7.tag()))
        .containsInAnyOrder(QueryOutput.Q7.row(2016, 26000.0));
    PAssert.that(results.get(QueryOutput.Q8.tag()))
        .containsInAnyOrder(QueryOutput.Q8.row("25-35", 2016, 26000.0));
    pipeline.run();
  }
}
