package io.pinpipe.pipelines.report.html;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.pipelines.batch.BatchPipeline;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Assume;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The report of a generated run (with a few bad records), rendered by headless Chromium at once in
 * a wide frame and in a 390 px phone frame, and measured there as a reader sees it (the script
 * {@code measure-report.js}): every chart laid out one mark per result row, no script error, every
 * heat-map label at least 4.5:1 against its cell (WCAG 2), every table header aligned as its
 * column's cells, on the phone no sideways scrolling and no chart text under 11 px, and the dead
 * letters grouped by reason template with the positions kept in the examples. Outside CI the test
 * skips when Chromium is missing; under CI=true it must run. One Chromium start for all of it.
 */
public class ReportInBrowserTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Map<String, String> CHARTS =
      Map.of(
          "top_category_by_year", "bar",
          "top_category_by_age_group", "bar",
          "median_followers_by_age_group", "bar",
          "users_joined_by_year", "bar",
          "median_followers_by_join_year", "bar",
          "median_followers_by_age_group_and_join_year", "cell");

  private static final int PHONE = 390;
  private static Path output;
  private static JsonNode measured;

  static String chromium() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    return null;
  }

  @BeforeClass
  public static void renderTheReportOfARunWithBadRecords() throws Exception {
    String chromium = chromium();
    if (chromium == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true requires Chromium (.ci/run installs Debian's chromium)");
      }
      Assume.assumeTrue("Chromium not installed (apt-get install chromium); skipping the browser test", false);
    }
    Path archive = TMP.newFolder("archive").toPath();
    ArchiveWriter.generate(archive, "pinterest", 1_500, 31, GeneratorSettings.defaults());
    Path bad = archive.resolve("topics/pinterest.pin/partition=0/pinterest.pin+0+0000999000.json");
    Files.write(bad, badLines());
    output = TMP.newFolder("out").toPath();
    assertEquals(0, BatchPipeline.run("--tableFormat=parquet", "--input=" + archive, "--output=" + output));

    // Both frames in one page: Chromium's headless window is at least 500 px wide, a frame is not.
    Path page = TMP.getRoot().toPath().resolve("frames.html");
    String report = output.resolve("report.html").toRealPath().toUri().toString();
    String script;
    try (InputStream in = ReportInBrowserTest.class.getResourceAsStream("measure-report.js")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.writeString(page, "<!DOCTYPE html><html><body style=\"margin:0\">"
        + "<iframe id=\"wide\" src=\"" + report + "\" style=\"width:1280px;height:900px;border:0\"></iframe>"
        + "<iframe id=\"phone\" src=\"" + report + "\" style=\"width:" + PHONE + "px;height:844px;border:0\"></iframe>"
        + "<script>" + script + "</script></body></html>");
    Process browser =
        new ProcessBuilder(
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // Frames of file:// pages may read each other (the measuring script reads the report's);
                // scrollbars hidden, as on a phone, so that they take no width.
                "--allow-file-access-from-files", "--hide-scrollbars", "--window-size=1700,1000",
                "--user-data-dir=" + TMP.newFolder("chromium-profile"), "--virtual-time-budget=10000",
                "--dump-dom", page.toUri().toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String dom = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(browser.waitFor(60, TimeUnit.SECONDS));
    Matcher m = Pattern.compile("data-measure=\"([A-Za-z0-9+/=]+)\"").matcher(dom);
    assertTrue("the measuring script did not finish: " + dom.substring(0, Math.min(400, dom.length())), m.find());
    measured = new ObjectMapper().readTree(Base64.getDecoder().decode(m.group(1)));
  }

  /** Five records with invalid UTF-8 at bytes 0, 1, 2, 3 and 7, and two with an unexpected character. */
  private static byte[] badLines() {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    for (int at : new int[] {0, 1, 2, 3, 7}) {
      byte[] line = "{\"index\": 900001, \"title\": \"x\"}".getBytes(StandardCharsets.UTF_8);
      line[at] = (byte) 0xC3; // a lead byte, then one that cannot continue it
      line[at + 1] = (byte) 0x28;
      lines.writeBytes(line);
      lines.write('\n');
    }
    lines.writeBytes("{index: 900002}\n{\"index\": 900003, \"title\": @}\n".getBytes(StandardCharsets.UTF_8));
    return lines.toByteArray();
  }

  private static List<JsonNode> frames() {
    return List.of(measured.path("wide"), measured.path("phone"));
  }

  @Test
  public void everyChartDrawsOneMarkPerRowWithoutAScriptError() throws Exception {
    for (JsonNode frame : frames()) {
      assertEquals("done", frame.path("renderCheck").asText());
      assertEquals("script errors", "", frame.path("errors").asText());
      for (Map.Entry<String, String> chart : CHARTS.entrySet()) {
        long rows = Files.readAllLines(output.resolve("results/" + chart.getKey() + ".csv")).size() - 1;
        assertTrue(rows > 0);
        assertEquals(chart.getKey(), rows, frame.path("drawn").path(chart.getKey()).asLong());
      }
    }
    assertTrue(Files.readString(output.resolve("report.html")).contains("<tr class=\"highlight\">"));
  }

  @Test
  public void everyHeatMapLabelHasAContrastOfAtLeast4point5() throws Exception {
    long cells = Files.readAllLines(output.resolve("results/median_followers_by_age_group_and_join_year.csv")).size() - 1;
    for (JsonNode frame : frames()) {
      assertEquals(cells, frame.path("cells").size());
      for (JsonNode cell : frame.path("cells")) {
        assertTrue("label " + cell.path("label").asText() + " has contrast " + cell.path("contrast").asDouble(),
            cell.path("contrast").asDouble() >= 4.5);
      }
    }
  }

  @Test
  public void everyColumnHeaderIsAlignedAsItsCells() {
    for (JsonNode frame : frames()) {
      assertTrue(frame.path("columns").asInt() > 20);
      assertEquals("[]", frame.path("misaligned").toString());
    }
  }

  @Test
  public void onAPhoneThePageDoesNotScrollSidewaysAndChartTextIsAtLeast11px() {
    JsonNode phone = measured.path("phone");
    assertEquals(PHONE, phone.path("viewportWidth").asInt());
    assertTrue("scrollWidth " + phone.path("scrollWidth"), phone.path("scrollWidth").asInt() <= PHONE);
    assertTrue(phone.path("chartTexts").asInt() > 50);
    for (JsonNode frame : frames()) {
      JsonNode smallest = frame.path("smallestChartText");
      assertTrue("smallest chart text " + smallest, smallest.path("px").asDouble() >= 11);
    }
  }

  @Test
  public void deadLettersAreGroupedByTemplateWithThePositionsInTheExamples() {
    JsonNode deadLetters = measured.path("wide").path("deadLetters");
    assertEquals(1, deadLetters.size());
    assertEquals("pin: 7", deadLetters.get(0).path("heading").asText());
    JsonNode rows = deadLetters.get(0).path("rows");
    List<String> groups = new ArrayList<>();
    rows.forEach(r -> groups.add(r.path("reason").asText() + " = " + r.path("records").asText()));
    assertEquals(
        List.of("invalid UTF-8 at byte <byte> = 5", "malformed JSON: Unexpected character … at column <column> = 2"),
        groups);
    List<String> examples = new ArrayList<>();
    rows.get(0).path("examples").forEach(e -> examples.add(e.asText().replaceAll("^.*\\+0000999000\\.json", "")));
    assertEquals(3, examples.size());
    for (int i = 0; i < 3; i++) {
      assertTrue(examples.get(i), examples.get(i).startsWith(":" + (i + 1) + ": invalid UTF-8 at byte " + i + " | base64 "));
    }
  }
}
