package io.pinpipe.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The tiny smoke run of the benchmark harness that CI does (the README's "Tests": benchmarks are not tests):
 * {@code bench/run.sh --smoke} on 2,000 events, every section, one repetition. It checks that the
 * harness runs end to end on the packaged jars, that every engine's results were verified equal to
 * DirectRunner's, and that only the generated block of the report is replaced. Its figures mean
 * nothing and are not asserted.
 */
public class HarnessSmokeIT {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void smokeRunMeasuresEverySectionAndKeepsTheHandWrittenText() throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).getParent();
    Path report = temp.getRoot().toPath().resolve("BENCHMARKS.md");
    Files.writeString(
        report,
        "# Benchmarks\n\nwritten by hand, kept\n\n"
            + "<!-- bench/run.sh block main: begin (generated; edit outside these markers) -->\n"
            + "old figures\n<!-- bench/run.sh block main: end -->\n\n## Optimisation log\n\nalso kept\n");
    File log = temp.newFile("run.log");

    Process run =
        new ProcessBuilder("bash", "bench/run.sh", "--smoke", "--out=" + report)
            .directory(repo.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    boolean finished = run.waitFor(20, TimeUnit.MINUTES);
    String output = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    if (!finished) {
      run.destroyForcibly();
    }
    assertTrue("bench/run.sh --smoke did not finish in 20 minutes:\n" + output, finished);
    assertEquals("bench/run.sh --smoke failed:\n" + output, 0, run.exitValue());

    String md = Files.readString(report);
    assertThat(md, containsString("written by hand, kept"));
    assertThat(md, containsString("## Optimisation log\n\nalso kept"));
    assertThat(md, not(containsString("old figures")));
    assertThat("one generated block", md.split("bench/run.sh block main: begin", -1).length, is(2));
    assertThat(md, containsString("\n### Machine and method\n"));
    assertThat(md, containsString("\n- DuckDB SQL, 2 threads: `DuckDbBatch` "));
    // The jar's own commit (git.properties from the build), not the checkout's or "unknown".
    assertThat(md, matchesPattern("(?s).*Jobs built from commit `[0-9a-f]{7,}(\\+uncommitted)?`.*"));

    assertThat(md, containsString("## Generator throughput"));
    // the generator, five batch engines and the Spark SQL baseline's warm runs
    assertThat(tableRows(md, "| 2,000 |"), hasSize(7));

    assertThat(md, containsString("median records/s: post "));

    for (String benchmark : List.of("parseJson", "clean")) {
      for (String kind : List.of("PIN", "GEO", "USER")) {
        assertThat(tableRows(md, "| " + benchmark + " | " + kind + " |"), hasSize(1));
      }
    }
    assertThat(tableRows(md, "| parseFollowerCount | - |"), hasSize(1));

    assertThat(tableRows(md, "| 2,000 | Beam on DirectRunner |"), hasSize(1));
    assertThat(tableRows(md, "| 2,000 | Beam on DirectRunner |").get(0), containsString("| (reference) |"));
    for (String engine :
        List.of(
            "Beam on FlinkRunner, parallelism 2",
            "Beam on SparkRunner, local[2]",
            "native Spark SQL baseline, local[2]",
            "DuckDB SQL, 2 threads")) {
      List<String> rows = tableRows(md, "| 2,000 | " + engine + " |");
      assertThat(engine, rows, hasSize(1));
      assertThat(rows.get(0), containsString("| identical to Beam on DirectRunner's |"));
    }
    List<String> warm = tableRows(md, "| 2,000 | native Spark SQL baseline, local[2], warm");
    assertThat(warm, hasSize(1));
    assertThat(warm.get(0), containsString("| identical to Beam on DirectRunner's (last run) |"));
    assertThat(tableRows(md, "| 4,000 | Beam on FlinkRunner, parallelism 2, -Xmx8g |"), hasSize(1));

    assertThat(md, containsString("## Streaming on FlinkRunner through Kafka"));
    assertThat(md, containsString("runner: FlinkRunner (parallelism 2)"));
    assertThat(md, containsString("events/s (JVM start to exit"));
    assertThat(md, containsString(" events in 10 s, all in the table "));
    assertThat(md, containsString("send-to-table latency ms: p50 "));
    assertThat(md, containsString("  median of 1 runs: send-to-table latency p50 "));
    assertThat(md, containsString("Sustained catch-up rate: "));
  }

  private static List<String> tableRows(String md, String prefix) {
    return md.lines().filter(line -> line.startsWith(prefix)).collect(Collectors.toList());
  }
}
