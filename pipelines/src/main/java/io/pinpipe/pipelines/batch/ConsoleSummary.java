package io.pinpipe.pipelines.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The short human-readable account printed at the end of a batch run, read back from the files the
 * run wrote (so it shows what is on disk): counts per kind, the rules that fired most, and the top
 * rows of every result. It also checks that every record read is accounted for.
 */
final class ConsoleSummary {
  private ConsoleSummary() {}

  private static final int TOP_ROWS = 3;
  private static final int TOP_RULES = 4;

  /** Prints the run's account from the files in {@code output}; {@code shown} is where users find them. */
  static void print(
      OutputLayout output, String shown, List<String> resultNames, double seconds, boolean plainTables, PrintStream out) {
    JsonNode summary = RunSummary.parse(read(output.summaryJson()));
    long totalRead = 0;
    List<String> unbalanced = new ArrayList<>();
    out.printf("%nbatch finished in %.1f s on %s: %s%n", seconds, summary.path("runner").asText(), shown);
    out.printf("  %-5s %10s %10s %10s %10s %10s%n", "kind", "read", "cleaned", "dead-letter", "duplicates", "conflicts");
    for (RecordKind kind : RecordKind.values()) {
      JsonNode k = summary.path("kinds").path(kind.id());
      long read = k.path("read").asLong();
      long cleaned = k.path("cleaned").asLong();
      long dead = k.path("dead_lettered").asLong();
      long duplicates = k.path("duplicates").asLong();
      totalRead += read;
      if (read != cleaned + dead + duplicates) {
        unbalanced.add(kind.id() + " (read " + read + " != " + cleaned + " + " + dead + " + " + duplicates + ")");
      }
      out.printf("  %-5s %10d %10d %10d %10d %10d%n", kind.id(), read, cleaned, dead, duplicates, k.path("conflicts").asLong());
    }
    for (RecordKind kind : RecordKind.values()) {
      out.printf("  %s rules: %s%n", kind.id(), topRules(summary.path("kinds").path(kind.id()).path("rules")));
    }
    for (String name : resultNames) {
      List<String> lines = read(output.resultCsv(name)).lines().limit(TOP_ROWS + 1L).collect(java.util.stream.Collectors.toList());
      long rows = summary.path("results").path(name).asLong();
      out.printf("%n  %s (%d rows)%n", name, rows);
      lines.forEach(line -> out.println("    " + line));
      if (rows > TOP_ROWS) {
        out.println("    ...");
      }
    }
    // With Iceberg tables the run folder has no tables/: the commits are named after this line.
    out.printf(
        "%n  all files: %s/{results,%sdead-letter,summary.json,report.html}%n", shown, plainTables ? "tables," : "");
    if (!unbalanced.isEmpty()) {
      throw new IllegalStateException("records are unaccounted for: " + String.join(", ", unbalanced));
    }
    if (totalRead == 0) {
      throw new UserError("no input records: the input files hold no records (only blank lines)");
    }
  }

  private static String topRules(JsonNode rules) {
    List<Map.Entry<String, Long>> entries = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = rules.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      entries.add(Map.entry(e.getKey(), e.getValue().asLong()));
    }
    entries.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(TOP_RULES, entries.size()); i++) {
      text.append(i == 0 ? "" : ", ").append(entries.get(i).getKey()).append(' ').append(entries.get(i).getValue());
    }
    if (entries.size() > TOP_RULES) {
      text.append(", ... (").append(entries.size()).append(" rules, see summary.json)");
    }
    return entries.isEmpty() ? "none" : text.toString();
  }

  static String read(String path) {
    try (InputStream in =
        Channels.newInputStream(FileSystems.open(FileSystems.matchSingleFileSpec(path).resourceId()))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
