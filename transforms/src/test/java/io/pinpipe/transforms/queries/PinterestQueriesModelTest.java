package io.pinpipe.transforms.queries;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.pinpipe.transforms.queries.QuerySettings.Median;
import io.pinpipe.transforms.queries.QuerySettings.Ties;
import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithTimestamps;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Nexmark style: every output of {@link PinterestQueries} equals the plain-Java {@link QueryModel}
 * on seeded random records, for several settings and per fixed window.
 *
 * <p>Every output row is compared as a line {@code <label> <output id> <csv line>}, all outputs in
 * one assertion, which keeps the pipeline small and a failure readable. The direct runner's
 * immutability and encodability checks are off here because they double the time on a few thousand
 * records; the hand-fixture tests run the same transforms with them on.
 */
@RunWith(JUnit4.class)
public class PinterestQueriesModelTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.fromOptions(fastOptions());

  private static DirectOptions fastOptions() {
    DirectOptions options = TestPipeline.testingPipelineOptions().as(DirectOptions.class);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
    return options;
  }

  /** About 2,100 records; the seed is one on which every option value changes some output. */
  private static final RandomCleanRecords RECORDS = new RandomCleanRecords(4L, 700);

  private static final QuerySettings DEFAULTS = QuerySettings.defaults();
  private static final QuerySettings FIRST_LOWER_ROWS_WIDE_YEARS =
      QuerySettings.builder()
          .ties(Ties.FIRST)
          .median(Median.LOWER)
          .userCount(UserCount.ROWS)
          .postYears(2016, 2023)
          .joinYears(2013, 2022)
          .build();
  private static final QuerySettings NARROW_YEARS =
      QuerySettings.builder().postYears(2019, 2020).joinYears(2016, 2016).build();

  private PCollectionTuple inputs(RandomCleanRecords records) {
    return PinterestQueries.inputs(
        create("CreatePins", records.pins, RecordSchemas.PIN),
        create("CreateGeos", records.geos, RecordSchemas.GEO),
        create("CreateUsers", records.users, RecordSchemas.USER));
  }

  private PCollection<Row> create(String name, List<Row> rows, Schema schema) {
    return pipeline.apply(name, Create.of(rows).withRowSchema(schema));
  }

  private static Map<QueryOutput, List<Row>> model(
      RandomCleanRecords records, Predicate<Row> keep, QuerySettings settings) {
    return new QueryModel(
            filter(records.pins, keep),
            filter(records.geos, keep),
            filter(records.users, keep),
            settings)
        .outputs();
  }

  private static List<Row> filter(List<Row> rows, Predicate<Row> keep) {
    return rows.stream().filter(keep).collect(Collectors.toCollection(ArrayList::new));
  }

  /** The lines of every output of the model. */
  private static List<String> lines(String label, Map<QueryOutput, List<Row>> outputs) {
    List<String> lines = new ArrayList<>();
    outputs.forEach((output, rows) -> rows.forEach(row -> lines.add(line(label, output, row))));
    return lines;
  }

  private static String line(String label, QueryOutput output, Row row) {
    return label + " " + output.id() + " " + ResultCsv.line(row);
  }

  /** The lines of every output of the pipeline; {@code label} null labels them by window start. */
  private static PCollection<String> lines(String label, PCollectionTuple results) {
    PCollectionList<String> lines = PCollectionList.empty(results.getPipeline());
    for (QueryOutput output : QueryOutput.values()) {
      lines =
          lines.and(
              results
                  .get(output.tag())
                  .apply("Lines" + label + output.id(), ParDo.of(new ToLineFn(label, output))));
    }
    return lines.apply("FlattenLines" + label, Flatten.pCollections());
  }

  private static final class ToLineFn extends DoFn<Row, String> {
    private final String label;
    private final QueryOutput output;

    ToLineFn(String label, QueryOutput output) {
      this.label = label;
      this.output = output;
    }

    @ProcessElement
    public void process(@Element Row row, BoundedWindow window, OutputReceiver<String> out) {
      String windowLabel =
          window instanceof IntervalWindow ? ((IntervalWindow) window).start().toString() : "";
      out.output(line(label + windowLabel, output, row));
    }
  }

  @Test
  public void testEveryOutputEqualsTheModelForSeveralSettings() {
    PCollectionTuple inputs = inputs(RECORDS);
    List<PCollection<String>> actual = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    List<QuerySettings> settings = List.of(DEFAULTS, FIRST_LOWER_ROWS_WIDE_YEARS, NARROW_YEARS);
    for (int i = 0; i < settings.size(); i++) {
      String label = "settings" + i;
      actual.add(
          lines(label, inputs.apply("Queries" + label, PinterestQueries.with(settings.get(i)))));
      expected.addAll(lines(label, model(RECORDS, row -> true, settings.get(i))));
    }
    PAssert.that(PCollectionList.of(actual).apply("AllLines", Flatten.pCollections()))
        .containsInAnyOrder(expected);
    pipeline.run();
  }

  /** Guards the test above: on these records every option value changes some output. */
  @Test
  public void testEveryOptionChangesSomeOutputOfTheRandomRecords() {
    Map<QueryOutput, List<Row>> defaults = model(RECORDS, row -> true, DEFAULTS);
    assertChanges(
        defaults,
        DEFAULTS.toBuilder().ties(Ties.FIRST).build(),
        QueryOutput.Q1,
        QueryOutput.Q2,
        QueryOutput.Q3A,
        QueryOutput.Q3B,
        QueryOutput.Q4);
    assertChanges(
        defaults,
        DEFAULTS.toBuilder().median(Median.LOWER).build(),
        QueryOutput.Q5,
        QueryOutput.Q7,
        QueryOutput.Q8);
    assertChanges(defaults, DEFAULTS.toBuilder().userCount(UserCount.ROWS).build(), QueryOutput.Q6);
    assertChanges(defaults, DEFAULTS.toBuilder().postYears(2017, 2023).build(), QueryOutput.Q2);
    assertChanges(defaults, NARROW_YEARS, QueryOutput.Q2);
    assertChanges(
        defaults,
        DEFAULTS.toBuilder().joinYears(2014, 2021).build(),
        QueryOutput.Q6,
        QueryOutput.Q7,
        QueryOutput.Q8);
    assertChanges(defaults, NARROW_YEARS, QueryOutput.Q6, QueryOutput.Q7, QueryOutput.Q8);
    // Every age group occurs, and the five-way order matters.
    assertEquals(5, defaults.get(QueryOutput.Q5).size());
  }

  private static void assertChanges(
      Map<QueryOutput, List<Row>> defaults, QuerySettings other, QueryOutput... outputs) {
    Map<QueryOutput, List<Row>> changed = model(RECORDS, row -> true, other);
    for (QueryOutput output : outputs) {
      assertNotEquals(
          output.id() + " should differ with " + other,
          new HashSet<>(defaults.get(output)),
          new HashSet<>(changed.get(output)));
    }
  }

  @Test
  public void testQueriesRunPerFixedWindow() {
    // Three one-hour windows; the records of a post (one ind) share a window, as the streaming
    // pipeline's windowing gives them. Each window's results are the model's on its records.
    RandomCleanRecords records = new RandomCleanRecords(7L, 180);
    Instant start = Instant.parse("2022-01-01T00:00:00Z");
    Duration hour = Duration.standardHours(1);
    PCollectionTuple inputs = inputs(records);
    PCollectionTuple windowed = PCollectionTuple.empty(pipeline);
    for (TupleTag<Row> tag :
        List.of(PinterestQueries.PINS, PinterestQueries.GEOS, PinterestQueries.USERS)) {
      windowed =
          windowed.and(
              tag,
              inputs
                  .get(tag)
                  .apply(
                      "Timestamp" + tag.getId(),
                      WithTimestamps.of(
                          (Row row) -> start.plus(hour.multipliedBy(row.getInt64("ind") % 3))))
                  .apply("Window" + tag.getId(), Window.into(FixedWindows.of(hour))));
    }
    QuerySettings settings = FIRST_LOWER_ROWS_WIDE_YEARS;
    PCollection<String> actual =
        lines("", windowed.apply("Queries", PinterestQueries.with(settings)));

    List<String> expected = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      long window = w;
      expected.addAll(
          lines(
              start.plus(hour.multipliedBy(w)).toString(),
              model(records, row -> row.getInt64("ind") % 3 == window, settings)));
    }
    PAssert.that(actual).containsInAnyOrder(expected);
    pipeline.run();
  }
}
