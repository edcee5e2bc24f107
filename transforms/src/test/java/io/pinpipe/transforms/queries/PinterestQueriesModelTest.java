package io.pinpipe.transforms.queries;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.pinpipe.transforms.aggregate.Median;
import io.pinpipe.transforms.aggregate.Ties;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.results.ResultCsv;
import io.pinpipe.transforms.testing.PostQueries.Merge;
import io.pinpipe.transforms.testing.PostQueries;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Nexmark style: every output of {@link PinterestQueries} equals its query's plain-Java model
 * ({@link TopCategoryByCountryModel} ... {@link MedianFollowersByAgeGroupAndJoinYearModel}, over
 * {@link ModelRecords}) on seeded random records, for several settings and per subset of row
 * numbers.
 *
 * <p>The records are fed as a pipeline feeds them: grouped by {@code ind} into {@link Post}s. Each
 * comparison is made for one accumulator of every post, and for the posts dealt at random into
 * several accumulators that are encoded and decoded with the accumulator coder, then merged (as
 * bundles' accumulators cross the runner). Every output row is compared as a line {@code <label>
 * <output id> <csv line>}, all outputs in one assertion, which keeps a failure readable.
 */
@RunWith(JUnit4.class)
public class PinterestQueriesModelTest {
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
  private static final List<QuerySettings> SETTINGS =
      List.of(DEFAULTS, FIRST_LOWER_ROWS_WIDE_YEARS, NARROW_YEARS);

  /** How many accumulators the posts are dealt into, for the merged runs. */
  private static final int[] PARTS = {2, 7, 64};

  private static List<Post> posts(RandomCleanRecords records, Predicate<Row> keep) {
    return PostQueries.posts(
        filter(records.pins, keep), filter(records.geos, keep), filter(records.users, keep));
  }

  /** Every output as its model gives it. */
  private static Map<QueryOutput, List<Row>> model(
      RandomCleanRecords records, Predicate<Row> keep, QuerySettings settings) {
    ModelRecords joined =
        new ModelRecords(
            filter(records.pins, keep), filter(records.geos, keep), filter(records.users, keep));
    Map<QueryOutput, List<Row>> outputs = new EnumMap<>(QueryOutput.class);
    outputs.put(QueryOutput.Q1, TopCategoryByCountryModel.rows(joined, settings));
    outputs.put(QueryOutput.Q2, TopCategoryByYearModel.rows(joined, settings));
    outputs.put(QueryOutput.Q3A, TopUserByCountryModel.rows(joined, settings));
    outputs.put(QueryOutput.Q3B, TopCountryByUserFollowersModel.rows(joined, settings));
    outputs.put(QueryOutput.Q4, TopCategoryByAgeGroupModel.rows(joined, settings));
    outputs.put(QueryOutput.Q5, MedianFollowersByAgeGroupModel.rows(joined, settings));
    outputs.put(QueryOutput.Q6, UsersJoinedByYearModel.rows(joined, settings));
    outputs.put(QueryOutput.Q7, MedianFollowersByJoinYearModel.rows(joined, settings));
    outputs.put(QueryOutput.Q8, MedianFollowersByAgeGroupAndJoinYearModel.rows(joined, settings));
    return outputs;
  }

  private static List<Row> filter(List<Row> rows, Predicate<Row> keep) {
    return rows.stream().filter(keep).collect(Collectors.toCollection(ArrayList::new));
  }

  /** The lines of every output. */
  private static List<String> lines(String label, Map<QueryOutput, List<Row>> outputs) {
    List<String> lines = new ArrayList<>();
    outputs.forEach(
        (output, rows) ->
            rows.forEach(row -> lines.add(label + " " + output.id() + " " + ResultCsv.line(row))));
    return lines;
  }

  /**
   * Asserts that {@code actual} has every output, each in the output's order, and the model's rows
   * in any order; a failure lists the lines only one side has.
   */
  private static void assertEqualsModel(
      String label, Map<QueryOutput, List<Row>> model, Map<QueryOutput, List<Row>> actual) {
    assertEquals(label, EnumSet.allOf(QueryOutput.class), actual.keySet());
    actual.forEach(
        (output, rows) -> {
          for (int i = 1; i < rows.size(); i++) {
            assertTrue(
                label + " " + output.id() + " rows in the output's order: " + rows,
                output.comparator().compare(rows.get(i - 1), rows.get(i)) < 0);
          }
        });
    List<String> expected = lines(label, model);
    List<String> lines = lines(label, actual);
    Collections.sort(expected);
    Collections.sort(lines);
    if (!expected.equals(lines)) {
      List<String> missing = new ArrayList<>(expected);
      lines.forEach(missing::remove);
      List<String> extra = new ArrayList<>(lines);
      expected.forEach(extra::remove);
      fail(label + ": the model's lines missing " + missing + "; lines the model lacks " + extra);
    }
  }

  /**
   * Asserts that {@code posts} give the model's outputs from one accumulator, and from accumulators
   * of random parts merged at once and one by one.
   */
  private static void assertQueriesEqualModel(
      String label, QuerySettings settings, List<Post> posts, Map<QueryOutput, List<Row>> model) {
    PinterestQueries queries = PinterestQueries.with(settings);
    assertEqualsModel(label + " one accumulator", model, PostQueries.combine(queries, posts));
    assertEqualsModel(
        label + " one accumulator per post",
        model,
        PostQueries.combineEachAlone(queries, posts, Merge.ONE_BY_ONE));
    for (int parts : PARTS) {
      for (Merge merge : Merge.values()) {
        Random random = new Random(31L * parts + merge.ordinal());
        assertEqualsModel(
            label + " " + parts + " parts merged " + merge,
            model,
            PostQueries.combineInParts(queries, posts, random, parts, merge));
      }
    }
  }

  @Test
  public void everyOutputEqualsTheModelForSeveralSettingsAndMerges() {
    List<Post> posts = posts(RECORDS, row -> true);
    for (int i = 0; i < SETTINGS.size(); i++) {
      QuerySettings settings = SETTINGS.get(i);
      assertQueriesEqualModel(
          "settings" + i, settings, posts, model(RECORDS, row -> true, settings));
    }
  }

  @Test
  public void personsCountedInShardsGiveTheModelsOutputs() {
    // As the one-pass pipeline counts q6's distinct persons: the posts go into the queries without
    // their persons, each person goes to one shard by its hash, each shard is settled, and every
    // accumulator (through the coder) is merged.
    List<Post> posts = posts(RECORDS, row -> true);
    for (int i = 0; i < SETTINGS.size(); i++) {
      QuerySettings settings = SETTINGS.get(i);
      PinterestQueries queries = PinterestQueries.with(settings);
      UsersJoinedByYear q6 = queries.usersJoinedByYear();
      Random random = new Random(100 + i);
      List<Object[]> parts = new ArrayList<>();
      for (int part = 0; part < 5; part++) {
        parts.add(queries.createAccumulator());
      }
      List<UsersJoinedByYear.Users> shards = new ArrayList<>();
      for (int shard = 0; shard < 4; shard++) {
        shards.add(q6.createAccumulator());
      }
      for (Post post : posts) {
        int part = random.nextInt(parts.size());
        parts.set(part, queries.addInputLeavingPersonsOut(parts.get(part), post));
        if (q6.countsDistinctPersons()) {
          for (Row user : post.users()) {
            Integer year = q6.joinYear(user);
            if (year != null) {
              String person = UsersJoinedByYear.personKey(user);
              q6.addPerson(shards.get(Math.floorMod(person.hashCode(), shards.size())), year, person);
            }
          }
        }
      }
      List<Object[]> partials = new ArrayList<>();
      parts.forEach(part -> partials.add(PostQueries.roundTrip(queries, part)));
      shards.forEach(
          shard ->
              partials.add(
                  PostQueries.roundTrip(queries, queries.withUsersJoinedByYear(q6.settle(shard)))));
      Collections.shuffle(partials, random);
      assertEqualsModel(
          "settings" + i + " persons in shards",
          model(RECORDS, row -> true, settings),
          queries.extractOutput(queries.mergeAccumulators(partials)));
    }
  }

  /** Guards the tests above: on these records every option value changes some output. */
  @Test
  public void everyOptionChangesSomeOutputOfTheRandomRecords() {
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
  public void eachSubsetOfRowNumbersGetsTheModelsOutputsForItsRecords() {
    // Three subsets of row numbers (ind % 3), as the pipeline's windows hold whole posts: each
    // subset's results are the model's on its records. Windowing itself is the pipeline
    // composite's, tested with it.
    RandomCleanRecords records = new RandomCleanRecords(7L, 180);
    QuerySettings settings = FIRST_LOWER_ROWS_WIDE_YEARS;
    for (int subset = 0; subset < 3; subset++) {
      long remainder = subset;
      Predicate<Row> keep = row -> row.getInt64("ind") % 3 == remainder;
      assertQueriesEqualModel(
          "subset" + subset, settings, posts(records, keep), model(records, keep, settings));
    }
  }
}
