package io.pinpipe.pipelines.report.html;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.io.sink.WholeFile;
import io.pinpipe.transforms.parse.DeadLetterReason;
import io.pinpipe.contract.RecordKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;

/**
 * Writes {@code report.html} after a batch run, from the files the run wrote, on any Beam
 * filesystem. Reading the written files rather than the pipeline's rows keeps one source of truth:
 * the page shows what the CSVs say, whichever runner produced them.
 */
public final class ReportFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int TOP_REASONS = 10;
  static final int EXAMPLES = 3;
  static final int EXAMPLE_CHARS = 120;

  private ReportFile() {}

  /** Writes the report of the run in {@code output}; the page names {@code shown}, where users find it. */
  public static String write(OutputLayout output, String shown, List<String> resultNames, double seconds) {
    try {
      Map<String, String> csvs = new LinkedHashMap<>();
      for (String name : resultNames) {
        csvs.put(name, read(output.resultCsv(name)));
      }
      JsonNode summary = JSON.readTree(read(output.summaryJson()));
      Map<String, ResultsReport.DeadLetterDigest> dead = new LinkedHashMap<>();
      for (RecordKind kind : RecordKind.values()) {
        dead.put(kind.id(), digest(output.deadLetterFile(kind)));
      }
      String html = ResultsReport.render(new ResultsReport.Inputs(shown, seconds, summary, csvs, dead));
      WholeFile.write(output.reportHtml(), html);
      return output.reportHtml();
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the report: " + e.getMessage(), e);
    }
  }

  /**
   * Counts per kind of reason (its template, positions and values taken out: {@link
   * DeadLetterReason#groupOf}) and a few examples, each with its exact reason.
   */
  static ResultsReport.DeadLetterDigest digest(String path) throws IOException {
    MatchResult match = FileSystems.match(path, EmptyMatchTreatment.ALLOW);
    if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
      return new ResultsReport.DeadLetterDigest(0, Map.of(), Map.of());
    }
    Map<String, Long> counts = new TreeMap<>();
    Map<String, List<String>> examples = new TreeMap<>();
    long total = 0;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        Channels.newInputStream(FileSystems.open(match.metadata().get(0).resourceId())), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        total++;
        JsonNode d = JSON.readTree(line);
        String reason = d.path("reason").asText();
        String key = DeadLetterReason.groupOf(reason);
        counts.merge(key, 1L, Long::sum);
        List<String> some = examples.computeIfAbsent(key, k -> new ArrayList<>());
        if (some.size() < EXAMPLES) {
          String payload = d.has("payload") ? d.path("payload").asText() : "base64 " + d.path("payload_base64").asText();
          some.add(d.path("origin").asText() + ": " + shorten(reason) + " | " + shorten(payload));
        }
      }
    }
    Map<String, Long> top = new LinkedHashMap<>();
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .limit(TOP_REASONS)
        .forEach(e -> top.put(e.getKey(), e.getValue()));
    return new ResultsReport.DeadLetterDigest(total, top, examples);
  }

  private static String shorten(String s) {
    return s.length() <= EXAMPLE_CHARS ? s : s.substring(0, EXAMPLE_CHARS) + "…";
  }

  private static String read(String path) throws IOException {
    try (var in = Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
