package io.pinpipe.transforms.queries;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pinpipe.transforms.aggregate.Median;
import io.pinpipe.transforms.aggregate.Ties;
import io.pinpipe.transforms.queries.QuerySettings.UserCount;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.SerializableUtils;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** The query options (ties, median, user count, year ranges): defaults, parsing and refusals. */
@RunWith(JUnit4.class)
public class QuerySettingsTest {

  private static QueryOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(QueryOptions.class);
  }

  @Test
  public void defaultsAreAllTiesExactMediansDistinctUsersAndTheProjectsYears() {
    QuerySettings defaults = QuerySettings.defaults();
    assertEquals(Ties.ALL, defaults.ties());
    assertEquals(Median.EXACT, defaults.median());
    assertEquals(UserCount.DISTINCT, defaults.userCount());
    assertEquals(2018, defaults.postYearFrom());
    assertEquals(2022, defaults.postYearTo());
    assertEquals(2015, defaults.joinYearFrom());
    assertEquals(2020, defaults.joinYearTo());
  }

  @Test
  public void noOptionsGiveTheDefaultSettings() {
    assertEquals(QuerySettings.defaults(), QuerySettings.fromOptions(options()));
  }

  @Test
  public void optionValuesAreParsedCaseInsensitively() {
    QuerySettings settings =
        QuerySettings.fromOptions(
            options(
                "--ties=FIRST",
                "--median=Lower",
                "--userCount=rows",
                "--postYearFrom=2019",
                "--postYearTo=2019",
                "--joinYearFrom=2014",
                "--joinYearTo=2021"));
    assertEquals(
        QuerySettings.builder()
            .ties(Ties.FIRST)
            .median(Median.LOWER)
            .userCount(UserCount.ROWS)
            .postYears(2019, 2019)
            .joinYears(2014, 2021)
            .build(),
        settings);
  }

  @Test
  public void aBadOptionValueIsRejectedNamingTheOptionAndItsAllowedValues() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QuerySettings.fromOptions(options("--ties=some")));
    assertThat(e.getMessage(), containsString("--ties"));
    assertThat(e.getMessage(), containsString("all|first"));
    assertThat(e.getMessage(), containsString("'some'"));

    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QuerySettings.fromOptions(options("--median=mean")));
    assertThat(e.getMessage(), containsString("--median must be one of exact|lower"));

    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QuerySettings.fromOptions(options("--userCount=")));
    assertThat(e.getMessage(), containsString("--userCount must be one of distinct|rows"));
  }

  @Test
  public void aYearRangeThatStartsAfterItEndsIsRejected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QuerySettings.fromOptions(options("--postYearFrom=2023", "--postYearTo=2022")));
    assertThat(
        e.getMessage(),
        containsString("--postYearFrom (2023) must not be after --postYearTo (2022)"));

    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> QuerySettings.builder().joinYears(2021, 2020).build());
    assertThat(
        e.getMessage(),
        containsString("--joinYearFrom (2021) must not be after --joinYearTo (2020)"));
  }

  @Test
  public void aNullYearOptionIsRejectedByName() {
    QueryOptions options = options();
    options.setJoinYearTo(null);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> QuerySettings.fromOptions(options));
    assertThat(e.getMessage(), containsString("--joinYearTo"));
  }

  @Test
  public void yearBoundsAreInclusive() {
    QuerySettings settings = QuerySettings.defaults();
    assertFalse(settings.isPostYear(2017));
    assertTrue(settings.isPostYear(2018));
    assertTrue(settings.isPostYear(2022));
    assertFalse(settings.isPostYear(2023));
    assertFalse(settings.isJoinYear(2014));
    assertTrue(settings.isJoinYear(2015));
    assertTrue(settings.isJoinYear(2020));
    assertFalse(settings.isJoinYear(2021));
  }

  @Test
  public void settingsSurviveSerializationToBuilderAndToStringAsOptions() {
    QuerySettings settings =
        QuerySettings.builder().ties(Ties.FIRST).median(Median.LOWER).postYears(2000, 2030).build();
    assertEquals(settings, SerializableUtils.clone(settings));
    assertEquals(settings, settings.toBuilder().build());
    assertEquals(settings, QuerySettings.fromOptions(options(settings.toString().split(" "))));
  }
}
