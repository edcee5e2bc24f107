package io.pinpipe.pipelines.report.html;

import static io.pinpipe.transforms.results.QueryOutput.Q1;
import static io.pinpipe.transforms.results.QueryOutput.Q2;
import static io.pinpipe.transforms.results.QueryOutput.Q3A;
import static io.pinpipe.transforms.results.QueryOutput.Q3B;
import static io.pinpipe.transforms.results.QueryOutput.Q4;
import static io.pinpipe.transforms.results.QueryOutput.Q5;
import static io.pinpipe.transforms.results.QueryOutput.Q6;
import static io.pinpipe.transforms.results.QueryOutput.Q7;
import static io.pinpipe.transforms.results.QueryOutput.Q8;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.pipelines.report.html.Charts.Bar;
import io.pinpipe.transforms.results.QueryOutput;
import io.pinpipe.transforms.results.QueryOutput.Column;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code report.html}: the run's facts, the nine results as charts with their tables, and the
 * data-quality counts, in one self-contained page (inline CSS, SVG and a few lines of script; no
 * network). It is drawn from the files the run wrote (results/*.csv, summary.json,
 * dead-letter/*.jsonl), so the charts show exactly the rows the CSVs hold.
 */
public final class ResultsReport {
  private ResultsReport() {}

  /** Dead letters of one kind, summarised: count per reason and a few examples. */
  public record DeadLetterDigest(long total, Map<String, Long> byReason, Map<String, List<String>> examples) {}

  /** Everything the page shows. */
  public record Inputs(
      String outputRoot,
      double seconds,
      JsonNode summary,
      Map<String, String> resultCsvs,
      Map<String, DeadLetterDigest> deadLetters) {}

  public static String render(Inputs in) {
    Map<String, CsvTable> results = new LinkedHashMap<>();
    in.resultCsvs().forEach((name, csv) -> results.put(name, CsvTable.parse(csv)));
    StringBuilder page = new StringBuilder(64 * 1024);
    page.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Pinterest pipeline: batch results</title><style>").append(CSS).append("</style></head><body>")
        .append("<script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message));});</script>")
        .append("<header><h1>Pinterest pipeline: batch results</h1>");
    facts(page, in);
    page.append("</header><main>");

    section(page, "Top category per year", Q2, results,
        t -> Charts.bars(Q2.outputName(), "year", "posts in the top category",
            bars(t, Column.POST_YEAR, Column.CATEGORY, Column.CATEGORY_COUNT), true));
    section(page, "Top category per age group", Q4, results,
        t -> Charts.bars(Q4.outputName(), "age group", "posts in the top category",
            bars(t, Column.AGE_GROUP, Column.CATEGORY, Column.CATEGORY_COUNT), true));
    section(page, "Median follower count per age group", Q5, results,
        t -> Charts.bars(Q5.outputName(), "age group", "median followers",
            bars(t, Column.AGE_GROUP, null, Column.MEDIAN_FOLLOWER_COUNT), false));
    section(page, "Users joined per year", Q6, results,
        t -> Charts.bars(Q6.outputName(), "year joined", "users",
            bars(t, Column.POST_YEAR, null, Column.NUMBER_USERS_JOINED), false));
    section(page, "Median follower count per join year", Q7, results,
        t -> Charts.bars(Q7.outputName(), "year joined", "median followers",
            bars(t, Column.POST_YEAR, null, Column.MEDIAN_FOLLOWER_COUNT), false));
    section(page, "Median follower count by age group and join year", Q8, results, ResultsReport::heatMap);
    countries(page, results);
    quality(page, in);
    page.append("</main>").append(RENDER_CHECK).append("</body></html>\n");
    return page.toString();
  }

  private static void facts(StringBuilder page, Inputs in) {
    JsonNode s = in.summary();
    page.append("<dl class=\"facts\">");
    fact(page, "input", s.path("input").asText());
    fact(page, "output", in.outputRoot());
    fact(page, "runner", s.path("runner").asText());
    fact(page, "time taken", String.format(Locale.ROOT, "%.1f s", in.seconds()));
    for (RecordKind kind : RecordKind.values()) {
      JsonNode k = s.path("kinds").path(kind.id());
      fact(page, kind.id() + " records", Html.number(k.path("read").asLong()) + " read, "
          + Html.number(k.path("cleaned").asLong()) + " cleaned");
    }
    JsonNode iceberg = s.path("iceberg");
    if (!iceberg.isMissingNode()) {
      // The Iceberg tables the run committed (docs/iceberg.md#summaryjson): each one's snapshot.
      List<String> days = new java.util.ArrayList<>();
      iceberg.path("ingestion_dates").forEach(d -> days.add(d.asText()));
      fact(page, "iceberg run", iceberg.path("run_id").asText() + ", ingestion_date " + String.join(", ", days));
      List<String> snapshots = new java.util.ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> tables = iceberg.path("tables").fields(); tables.hasNext(); ) {
        Map.Entry<String, JsonNode> table = tables.next();
        snapshots.add(table.getKey() + " " + table.getValue().path("snapshot_id").asText());
      }
      fact(page, "iceberg snapshots", String.join(", ", snapshots));
    }
    page.append("</dl>");
  }

  private static void fact(StringBuilder page, String name, String value) {
    page.append("<div><dt>").append(Html.escape(name)).append("</dt><dd>").append(Html.escape(value)).append("</dd></div>");
  }

  private interface Drawing {
    String draw(CsvTable table);
  }

  private static void section(
      StringBuilder page, String title, QueryOutput output, Map<String, CsvTable> results, Drawing chart) {
    String name = output.outputName();
    CsvTable table = results.get(name);
    page.append("<section id=\"").append(name).append("\"><h2>").append(Html.escape(title))
        .append(" <code>").append(name).append(".csv</code></h2>");
    if (table == null || table.rows().isEmpty()) {
      page.append("<p class=\"empty\">No rows: nothing in the input matched this query.</p></section>");
      return;
    }
    page.append("<div class=\"chart\">").append(chart.draw(table)).append("</div>");
    table(page, table);
    page.append("</section>");
  }

  static List<Bar> bars(CsvTable t, String group, String label, String value) {
    List<Bar> bars = new ArrayList<>();
    for (List<String> row : t.rows()) {
      String v = row.get(t.column(value));
      if (v.isEmpty()) {
        continue;
      }
      bars.add(new Bar(row.get(t.column(group)), label == null ? "" : row.get(t.column(label)), Double.parseDouble(v)));
    }
    return bars;
  }

  private static String heatMap(CsvTable t) {
    Set<String> rows = new LinkedHashSet<>();
    Set<String> columns = new java.util.TreeSet<>();
    Map<String, Double> values = new LinkedHashMap<>();
    for (List<String> row : t.rows()) {
      String ageGroup = row.get(t.column(Column.AGE_GROUP));
      String year = row.get(t.column(Column.POST_YEAR));
      rows.add(ageGroup);
      columns.add(year);
      values.put(ageGroup + "|" + year, Double.parseDouble(row.get(t.column(Column.MEDIAN_FOLLOWER_COUNT))));
    }
    return Charts.heatMap(Q8.outputName(), "age group", "year joined",
        "median followers", new ArrayList<>(rows), new ArrayList<>(columns), values);
  }

  /** q1 and q3a side by side per country, searchable; q3b's countries highlighted. */
  private static void countries(StringBuilder page, Map<String, CsvTable> results) {
    CsvTable q1 = results.get(Q1.outputName());
    CsvTable q3a = results.get(Q3A.outputName());
    CsvTable q3b = results.get(Q3B.outputName());
    Map<String, List<String>> categories = new TreeMap<>();
    Map<String, List<String>> users = new TreeMap<>();
    if (q1 != null) {
      for (List<String> r : q1.rows()) {
        categories
            .computeIfAbsent(r.get(q1.column(Column.COUNTRY)), c -> new ArrayList<>())
            .add(r.get(q1.column(Column.CATEGORY)) + " (" + r.get(q1.column(Column.CATEGORY_COUNT)) + ")");
      }
    }
    if (q3a != null) {
      for (List<String> r : q3a.rows()) {
        users
            .computeIfAbsent(r.get(q3a.column(Column.COUNTRY)), c -> new ArrayList<>())
            .add(r.get(q3a.column(Column.POSTER_NAME))
                + " (" + Html.number(Double.parseDouble(r.get(q3a.column(Column.FOLLOWER_COUNT)))) + ")");
      }
    }
    Set<String> top = new LinkedHashSet<>();
    String topFollowers = "";
    if (q3b != null) {
      for (List<String> r : q3b.rows()) {
        top.add(r.get(q3b.column(Column.COUNTRY)));
        topFollowers = Html.number(Double.parseDouble(r.get(q3b.column(Column.FOLLOWER_COUNT))));
      }
    }
    Set<String> all = new java.util.TreeSet<>(categories.keySet());
    all.addAll(users.keySet());
    page.append("<section id=\"countries\"><h2>Per country <code>").append(Q1.outputName()).append(".csv</code>, ")
        .append("<code>").append(Q3A.outputName()).append(".csv</code>, <code>").append(Q3B.outputName())
        .append(".csv</code></h2>");
    if (all.isEmpty()) {
      page.append("<p class=\"empty\">No rows: nothing in the input matched these queries.</p></section>");
      return;
    }
    page.append("<p>Highlighted: the countr").append(top.size() == 1 ? "y" : "ies")
        .append(" whose top user has the most followers (").append(Html.escape(topFollowers)).append(")")
        .append(top.size() > 1 ? ", a tie" : "").append(". Ties within a country are separated by “/”.</p>")
        .append("<input type=\"search\" id=\"country-filter\" placeholder=\"Filter countries, categories, users…\" ")
        .append("aria-label=\"Filter the table\" oninput=\"filterCountries(this.value)\">")
        .append("<div class=\"scroll\"><table id=\"country-table\"><thead><tr><th>country</th><th>top category (posts)</th>")
        .append("<th>top user (followers)</th></tr></thead><tbody>");
    for (String country : all) {
      page.append("<tr").append(top.contains(country) ? " class=\"highlight\"" : "").append("><td>")
          .append(Html.escape(country)).append(top.contains(country) ? " ★" : "").append("</td><td>")
          .append(Html.escape(String.join(" / ", categories.getOrDefault(country, List.of()))))
          .append("</td><td>").append(Html.escape(String.join(" / ", users.getOrDefault(country, List.of()))))
          .append("</td></tr>");
    }
    page.append("</tbody></table></div>").append(FILTER_SCRIPT).append("</section>");
  }

  private static void quality(StringBuilder page, Inputs in) {
    JsonNode kinds = in.summary().path("kinds");
    page.append("<section id=\"quality\"><h2>Data quality <code>summary.json</code></h2>")
        .append("<div class=\"scroll\"><table><thead><tr><th>kind</th><th class=\"num\">read</th><th class=\"num\">cleaned</th>")
        .append("<th class=\"num\">dead-lettered</th><th class=\"num\">duplicates</th><th class=\"num\">conflicts</th></tr></thead><tbody>");
    for (RecordKind kind : RecordKind.values()) {
      JsonNode k = kinds.path(kind.id());
      page.append("<tr><td>").append(kind.id()).append("</td>");
      for (String f : List.of("read", "cleaned", "dead_lettered", "duplicates", "conflicts")) {
        page.append("<td class=\"num\">").append(Html.number(k.path(f).asLong())).append("</td>");
      }
      page.append("</tr>");
    }
    page.append("</tbody></table></div><p>Every record read is cleaned, dead-lettered or counted as an exact duplicate;")
        .append(" conflicts are records sharing a row number with different contents.</p>");
    page.append("<h3>Cleaning rules fired</h3><div class=\"scroll\"><table><thead><tr><th>kind</th><th>rule</th>")
        .append("<th class=\"num\">records</th></tr></thead><tbody>");
    for (RecordKind recordKind : RecordKind.values()) {
      String kind = recordKind.id();
      for (Map.Entry<String, Long> rule : sorted(kinds.path(kind).path("rules"))) {
        page.append("<tr><td>").append(kind).append("</td><td><code>").append(Html.escape(rule.getKey()))
            .append("</code></td><td class=\"num\">").append(Html.number(rule.getValue())).append("</td></tr>");
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = kinds.path(kind).path("nulled").fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        for (Map.Entry<String, Long> reason : sorted(field.getValue())) {
          page.append("<tr><td>").append(kind).append("</td><td><code>").append(Html.escape(field.getKey()))
              .append("</code> set to null: ").append(Html.escape(reason.getKey())).append("</td><td class=\"num\">")
              .append(Html.number(reason.getValue())).append("</td></tr>");
        }
      }
    }
    page.append("</tbody></table></div><h3>Dead letters <code>dead-letter/</code></h3>");
    boolean any = false;
    for (Map.Entry<String, DeadLetterDigest> kind : in.deadLetters().entrySet()) {
      DeadLetterDigest d = kind.getValue();
      if (d.total() == 0) {
        continue;
      }
      any = true;
      page.append("<h4>").append(Html.escape(kind.getKey())).append(": ").append(Html.number(d.total()))
          .append("</h4><div class=\"scroll\"><table><thead><tr><th>reason</th><th class=\"num\">records</th><th>examples</th></tr></thead><tbody>");
      for (Map.Entry<String, Long> reason : d.byReason().entrySet()) {
        page.append("<tr><td>").append(Html.escape(reason.getKey())).append("</td><td class=\"num\">")
            .append(Html.number(reason.getValue())).append("</td><td><ul class=\"examples\">");
        for (String example : d.examples().getOrDefault(reason.getKey(), List.of())) {
          page.append("<li><code>").append(Html.escape(example)).append("</code></li>");
        }
        page.append("</ul></td></tr>");
      }
      page.append("</tbody></table></div>");
    }
    if (!any) {
      page.append("<p>None: every record parsed.</p>");
    }
    page.append("</section>");
  }

  private static List<Map.Entry<String, Long>> sorted(JsonNode counts) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>();
    counts.fields().forEachRemaining(e -> entries.add(Map.entry(e.getKey(), e.getValue().asLong())));
    entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    return entries;
  }

  private static void table(StringBuilder page, CsvTable t) {
    page.append("<details><summary>").append(t.rows().size()).append(t.rows().size() == 1 ? " row" : " rows")
        .append("</summary><div class=\"scroll\"><table><thead><tr>");
    boolean[] numeric = numericColumns(t);
    for (int c = 0; c < t.header().size(); c++) {
      page.append(numeric[c] ? "<th class=\"num\">" : "<th>").append(Html.escape(t.header().get(c))).append("</th>");
    }
    page.append("</tr></thead><tbody>");
    for (List<String> row : t.rows()) {
      page.append("<tr>");
      for (int c = 0; c < row.size(); c++) {
        boolean number = c < numeric.length && numeric[c];
        page.append(number ? "<td class=\"num\">" : "<td>").append(Html.escape(row.get(c))).append("</td>");
      }
      page.append("</tr>");
    }
    page.append("</tbody></table></div></details>");
  }

  /** Columns whose every non-empty value is a number: right-aligned, header and cells alike. */
  static boolean[] numericColumns(CsvTable t) {
    boolean[] numeric = new boolean[t.header().size()];
    for (int c = 0; c < numeric.length; c++) {
      boolean any = false;
      boolean all = true;
      for (List<String> row : t.rows()) {
        String v = c < row.size() ? row.get(c) : "";
        if (v.isEmpty()) {
          continue;
        }
        any = true;
        if (!NUMBER.matcher(v).matches()) {
          all = false;
          break;
        }
      }
      numeric[c] = any && all;
    }
    return numeric;
  }

  private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?");

  private static final String FILTER_SCRIPT =
      "<script>function filterCountries(q){q=q.toLowerCase();"
          + "document.querySelectorAll('#country-table tbody tr').forEach(function(r){"
          + "r.style.display=r.textContent.toLowerCase().indexOf(q)>=0?'':'none';});}</script>";

  /**
   * After layout, records per chart how many marks have a non-empty box, and any script error,
   * as attributes a headless browser's DOM dump shows (the report test reads them).
   */
  private static final String RENDER_CHECK =
      "<script>window.addEventListener('load',function(){var charts=document.querySelectorAll('svg[data-chart]');"
          + "charts.forEach(function(svg){var n=0;svg.querySelectorAll('rect.bar,rect.cell').forEach(function(r){"
          + "var b=r.getBBox();if(b.width>0&&b.height>0){n++;}});svg.setAttribute('data-drawn',String(n));});"
          + "document.documentElement.setAttribute('data-errors',window.__errors.join(' | '));"
          + "document.documentElement.setAttribute('data-render-check','done');});</script>";

  /**
   * Numbers are right-aligned in their cells and headers alike; at phone widths the page keeps to the
   * viewport (long names wrap, wide tables scroll inside their box) and the charts' text, drawn at
   * 14 units in a 400-unit-wide chart, stays above 12 px. A chart is at most 460 px wide, so that
   * on a wide screen its text is about 16 px.
   */
  private static final String CSS =
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}"
          + "header,main{max-width:1100px;margin:0 auto;padding:0 16px}"
          + "h1{font-size:1.6rem;margin:24px 0 8px}h2{font-size:1.2rem;margin:0 0 12px;overflow-wrap:anywhere}"
          + "h2 code{font-size:.8rem;color:#555;font-weight:normal}h4{overflow-wrap:anywhere}"
          + "section{background:#fff;border:1px solid #e2e2e2;border-radius:8px;padding:16px;margin:16px 0}"
          + ".facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:8px;margin:0 0 8px}"
          + ".facts div{background:#fff;border:1px solid #e2e2e2;border-radius:6px;padding:8px}"
          + ".facts dt{font-size:.75rem;color:#555;text-transform:uppercase}.facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}"
          + ".chart svg{display:block;width:100%;max-width:460px;height:auto}"
          + "svg text{font-size:14px;fill:#1a1a1a}svg .axis-title{fill:#555}svg .tick.tie{font-weight:bold}svg .axis{stroke:#888}"
          + "table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eee}"
          + "th.num,td.num{text-align:right;font-variant-numeric:tabular-nums}.scroll{overflow-x:auto;max-height:480px;overflow-y:auto}"
          + "tr.highlight td{background:#fff3cd;font-weight:600}"
          + "input[type=search]{width:100%;max-width:420px;padding:8px;margin:0 0 8px;font-size:1rem;box-sizing:border-box}"
          + ".empty{color:#555;font-style:italic}ul.examples{margin:0;padding-left:16px}ul.examples code{font-size:.75rem;overflow-wrap:anywhere}"
          + "@media (max-width:600px){header,main{padding:0 8px}h1{font-size:1.25rem}section{padding:8px}}";
}
