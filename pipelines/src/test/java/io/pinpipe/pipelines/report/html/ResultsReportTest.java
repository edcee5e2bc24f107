package io.pinpipe.pipelines.report.html;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/** The page drawn from small hand-made results: marks per row, ties, escaping, empty results. */
public class ResultsReportTest {
  private static final String SUMMARY =
      "{\"input\": \"in<put>\", \"runner\": \"DirectRunner\", \"kinds\": {\"pin\": {\"read\": 5, \"cleaned\": 4,"
          + " \"dead_lettered\": 1, \"duplicates\": 0, \"conflicts\": 0, \"rules\": {\"r1\": 3}, \"nulled\": {}}}}";

  private static Map<String, String> results() {
    Map<String, String> csv = new LinkedHashMap<>();
    csv.put("top_category_by_country", "country,category,category_count\nChile,art,3\nPeru,<b>beauty</b>,2\nPeru,travel,2\n");
    csv.put("top_category_by_year", "post_year,category,category_count\n2018,art,5\n2018,diy,5\n2019,travel,7\n");
    csv.put("top_user_by_country", "country,poster_name,follower_count\nChile,\"Ann, the \"\"best\"\"\",1000\nPeru,Bo,9000\n");
    csv.put("top_country_by_user_followers", "country,follower_count\nPeru,9000\n");
    csv.put("top_category_by_age_group", "age_group,category,category_count\n18-24,art,1\n");
    csv.put("median_followers_by_age_group", "age_group,median_follower_count\n18-24,1500.5\n25-35,20\n");
    csv.put("users_joined_by_year", "post_year,number_users_joined\n");
    csv.put("median_followers_by_join_year", "post_year,median_follower_count\n2015,10\n2016,30\n2017,20\n");
    csv.put("median_followers_by_age_group_and_join_year",
        "age_group,post_year,median_follower_count\n18-24,2015,1\n18-24,2016,2\n25-35,2015,3\n");
    return csv;
  }

  private static String page() throws Exception {
    return ResultsReport.render(new ResultsReport.Inputs("out", 1.5, new ObjectMapper().readTree(SUMMARY), results(),
        Map.of("pin", new ResultsReport.DeadLetterDigest(1, Map.of("malformed JSON", 1L),
            Map.of("malformed JSON", List.of("f.json:2: malformed JSON: x | <script>alert(1)</script>"))))));
  }

  static int marks(String html, String chart, String mark) {
    Matcher m = Pattern.compile("<svg data-chart=\"" + chart + "\".*?</svg>", Pattern.DOTALL).matcher(html);
    if (!m.find()) {
      return -1;
    }
    return m.group().split("<rect class=\"" + mark + "\"", -1).length - 1;
  }

  @Test
  public void eachChartHasOneMarkPerResultRow() throws Exception {
    String html = page();
    assertEquals(3, marks(html, "top_category_by_year", "bar"));
    assertEquals(1, marks(html, "top_category_by_age_group", "bar"));
    assertEquals(2, marks(html, "median_followers_by_age_group", "bar"));
    assertEquals(3, marks(html, "median_followers_by_join_year", "bar"));
    assertEquals(3, marks(html, "median_followers_by_age_group_and_join_year", "cell"));
  }

  @Test
  public void tiesAreMarkedOnceAndEveryTiedValueIsNamed() throws Exception {
    String html = page();
    assertTrue(html.contains(">2018</tspan><tspan x=\"56\" y=\"69\">(tie)</tspan></text>"));
    assertTrue(html.contains(">art · 5</text>"));
    assertTrue(html.contains(">diy · 5</text>"));
    assertEquals(1, html.split("\\(tie\\)", -1).length - 1);
    assertTrue(html.contains("Peru ★"));
    assertTrue(html.contains("&lt;b&gt;beauty&lt;/b&gt; (2) / travel (2)"));
  }

  @Test
  public void dataIsHtmlEscapedAndQuotedCsvFieldsAreReadWhole() throws Exception {
    String html = page();
    assertFalse(html.contains("<b>beauty</b>"));
    assertFalse(html.contains("<script>alert(1)"));
    assertTrue(html.contains("in&lt;put&gt;"));
    assertTrue(html.contains("Ann, the &quot;best&quot; (1,000)"));
    assertTrue(html.contains(">1,500.5</text>"));
  }

  @Test
  public void anEmptyResultSaysSoInsteadOfAnEmptyChart() throws Exception {
    String html = page();
    assertEquals(-1, marks(html, "users_joined_by_year", "bar"));
    assertTrue(html.contains("<section id=\"users_joined_by_year\"><h2>Users joined per year <code>users_joined_by_year.csv</code></h2>"
        + "<p class=\"empty\">No rows: nothing in the input matched this query.</p></section>"));
  }

  @Test
  public void thePageReferencesNothingOnTheNetwork() throws Exception {
    String html = page();
    assertFalse(html.contains("http://"));
    assertFalse(html.contains("https://"));
    assertFalse(html.contains(" src="));
  }

  @Test
  public void heatMapLabelsAreBlackOrWhiteWhicheverContrastsMore() {
    // The ramp's ends and its middle: white on the darkest, black on the lightest.
    assertEquals("#ffffff", Charts.labelColour(Charts.ramp(1)));
    assertEquals("#000000", Charts.labelColour(Charts.ramp(0)));
    for (int i = 0; i <= 100; i++) {
      String fill = Charts.ramp(i / 100.0);
      assertTrue(fill, Charts.contrast(fill, Charts.labelColour(fill)) >= 4.5);
    }
    assertEquals(21, Charts.contrast("#000000", "#ffffff"), 1e-9);
    assertEquals(4.54, Charts.contrast("#767676", "#ffffff"), 0.01);
  }

  @Test
  public void numericColumnsAreRightAlignedInHeaderAndCells() throws Exception {
    String html = page();
    assertTrue(html.contains("<th class=\"num\">post_year</th><th>category</th><th class=\"num\">category_count</th>"));
    assertTrue(html.contains("<td class=\"num\">2018</td><td>art</td><td class=\"num\">5</td>"));
    assertTrue(html.contains("<th class=\"num\">median_follower_count</th>"));
    assertTrue(html.contains("<td class=\"num\">1500.5</td>"));
  }

  @Test
  public void compactNumbersAbbreviateOnlyWhenExact() {
    assertEquals("22k", Html.compact(22_000));
    assertEquals("21.5k", Html.compact(21_500));
    assertEquals("22,250", Html.compact(22_250));
    assertEquals("15M", Html.compact(15_000_000));
    assertEquals("8.25M", Html.compact(8_250_000));
    assertEquals("999.5", Html.compact(999.5));
  }
}
