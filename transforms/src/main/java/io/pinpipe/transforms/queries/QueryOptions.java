package io.pinpipe.transforms.queries;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Command-line options of the queries (docs/semantics.md#queries). Pipelines compose this interface into their
 * own options and turn it into {@link QuerySettings} with {@link QuerySettings#fromOptions}, which
 * validates the values. Enum-valued options are strings so that {@code --ties=FIRST} and {@code
 * --ties=first} both work and a wrong value gets a message listing the allowed ones.
 */
public interface QueryOptions extends PipelineOptions {

  @Description(
      "How top queries treat ties: 'all' keeps every row with the maximal value,"
          + " 'first' keeps one per group, the smallest by the output's sort order.")
  @Default.String("all")
  String getTies();

  void setTies(String value);

  @Description(
      "How medians are taken: 'exact' (mean of the two middle values for an even count)"
          + " or 'lower' (the value at rank ceil(n/2)).")
  @Default.String("exact")
  String getMedian();

  void setMedian(String value);

  @Description(
      "What users_joined_by_year counts: 'distinct' persons (user_name, age, date_joined)"
          + " or user 'rows'.")
  @Default.String("distinct")
  String getUserCount();

  void setUserCount(String value);

  @Description("First post year (inclusive) of top_category_by_year.")
  @Default.Integer(QuerySettings.DEFAULT_POST_YEAR_FROM)
  Integer getPostYearFrom();

  void setPostYearFrom(Integer value);

  @Description("Last post year (inclusive) of top_category_by_year.")
  @Default.Integer(QuerySettings.DEFAULT_POST_YEAR_TO)
  Integer getPostYearTo();

  void setPostYearTo(Integer value);

  @Description(
      "First joining year (inclusive) of the users_joined_by_year and median_*_join_year outputs.")
  @Default.Integer(QuerySettings.DEFAULT_JOIN_YEAR_FROM)
  Integer getJoinYearFrom();

  void setJoinYearFrom(Integer value);

  @Description(
      "Last joining year (inclusive) of the users_joined_by_year and median_*_join_year outputs.")
  @Default.Integer(QuerySettings.DEFAULT_JOIN_YEAR_TO)
  Integer getJoinYearTo();

  void setJoinYearTo(Integer value);
}
