package io.pinpipe.transforms.results;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The nine outputs' ids, names and columns, and the order their rows are written in. */
@RunWith(JUnit4.class)
public class QueryOutputTest {

  private static List<Row> sorted(QueryOutput output, Row... rows) {
    List<Row> list = new ArrayList<>(Arrays.asList(rows));
    list.sort(output.comparator());
    return list;
  }

  @Test
  public void theNineOutputsHaveTheirDocumentedIdsNamesAndColumns() {
    assertEquals(
        "q1 top_category_by_country country,category,category_count\n"
            + "q2 top_category_by_year post_year,category,category_count\n"
            + "q3a top_user_by_country country,poster_name,follower_count\n"
            + "q3b top_country_by_user_followers country,follower_count\n"
            + "q4 top_category_by_age_group age_group,category,category_count\n"
            + "q5 median_followers_by_age_group age_group,median_follower_count\n"
            + "q6 users_joined_by_year post_year,number_users_joined\n"
            + "q7 median_followers_by_join_year post_year,median_follower_count\n"
            + "q8 median_followers_by_age_group_and_join_year"
            + " age_group,post_year,median_follower_count",
        Arrays.stream(QueryOutput.values())
            .map(o -> o.id() + " " + o.outputName() + " " + ResultCsv.header(o.schema()))
            .collect(Collectors.joining("\n")));
    assertEquals(QueryOutput.Q3A, QueryOutput.ofId("Q3a"));
  }

  @Test
  public void stringsSortByCodePoint() {
    QueryOutput q1 = QueryOutput.Q1;
    assertEquals(
        List.of(
            q1.row("Zambia", "art", 1L),
            q1.row("a", "Beauty", 1L),
            q1.row("a", "art", 1L),
            q1.row("Åland", "art", 1L)),
        sorted(
            q1,
            q1.row("Åland", "art", 1L),
            q1.row("a", "art", 1L),
            q1.row("a", "Beauty", 1L),
            q1.row("Zambia", "art", 1L)));
  }

  @Test
  public void numbersSortNumerically() {
    QueryOutput q7 = QueryOutput.Q7;
    assertEquals(
        List.of(q7.row(2015, 100.0), q7.row(2015, 59500.5), q7.row(2016, 9.0), q7.row(2020, 1.0)),
        sorted(
            q7, q7.row(2020, 1.0), q7.row(2016, 9.0), q7.row(2015, 59500.5), q7.row(2015, 100.0)));
  }

  @Test
  public void ageGroupsSortYoungestFirstThenYears() {
    QueryOutput q8 = QueryOutput.Q8;
    assertEquals(
        List.of(
            q8.row("<18", 2020, 1.0),
            q8.row("18-24", 2015, 1.0),
            q8.row("18-24", 2016, 1.0),
            q8.row("36-50", 2015, 1.0),
            q8.row("+50", 2015, 1.0)),
        sorted(
            q8,
            q8.row("+50", 2015, 1.0),
            q8.row("18-24", 2016, 1.0),
            q8.row("36-50", 2015, 1.0),
            q8.row("<18", 2020, 1.0),
            q8.row("18-24", 2015, 1.0)));
  }

  @Test
  public void theComparatorSortsTheSameAfterSerialization() {
    QueryOutput q4 = QueryOutput.Q4;
    assertEquals(
        -1,
        Integer.signum(
            SerializableUtils.clone(q4.comparator())
                .compare(q4.row("25-35", "z", 1L), q4.row("+50", "a", 1L))));
  }
}
