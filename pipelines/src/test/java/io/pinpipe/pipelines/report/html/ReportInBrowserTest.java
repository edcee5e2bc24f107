package io.pinpipe.pipelines.report.html;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.pipelines.batch.BatchPipeline;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Assume;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The report of a generated run, rendered by headless Chromium: every chart laid out one mark per
 * result row (counted by the page's own check after layout) and no script error. Outside CI the
 * test skips when Chromium is missing; under CI=true it must run.
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

  static String chromium() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    return null;
  }

  @Test
  public void testEveryChartDrawsOneMarkPerRowWithoutErrors() throws Exception {
    String chromium = chromium();
    if (chromium == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true requires Chromium (.ci/run installs Debian's chromium)");
      }
      Assume.assumeTrue("Chromium not installed (apt-get install chromium); skipping the browser test", false);
    }
    Path archive = TMP.newFolder("archive").toPath();
    ArchiveWriter.generate(archive, "pinterest", 1_500, 31, GeneratorSettings.defaults());
    Path output = TMP.newFolder("out").toPath();
    assertEquals(0, BatchPipeline.run("--input=" + archive, "--output=" + output));
    Path report = output.resolve("report.html");

    Process browser =
        new ProcessBuilder(
                chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + TMP.newFolder("chromium-profile"), "--virtual-time-budget=5000",
                "--dump-dom", report.toUri().toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    String dom = new String(browser.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(browser.waitFor(60, TimeUnit.SECONDS));

    assertTrue("the page's check did not run: " + dom.substring(0, Math.min(300, dom.length())),
        dom.contains("data-render-check=\"done\""));
    assertTrue("script errors: " + dom.substring(0, 300), dom.contains("data-errors=\"\""));
    for (Map.Entry<String, String> chart : CHARTS.entrySet()) {
      long rows = Files.readAllLines(output.resolve("results/" + chart.getKey() + ".csv")).size() - 1;
      Matcher m = Pattern.compile("<svg data-chart=\"" + chart.getKey() + "\"[^>]*data-drawn=\"(\\d+)\"").matcher(dom);
      assertTrue("no drawn chart " + chart.getKey(), m.find());
      assertEquals(chart.getKey(), rows, Long.parseLong(m.group(1)));
      assertTrue(rows > 0);
    }
    assertTrue(dom.contains("<tr class=\"highlight\">"));
  }
}
