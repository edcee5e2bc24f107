package io.pinpipe.pipelines.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.pipelines.iceberg.StreamTables;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.io.layout.Paths;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What a bounded streaming run prints at its end: totals over its windows, from the summary files it
 * wrote, and its tables: with Iceberg each kind's table as its current snapshot has it, else the
 * Parquet files under {@code tables/}.
 */
final class StreamingConsole {
  private StreamingConsole() {}

  static void print(
      OutputLayout output, StreamWindowing windowing, double seconds, @Nullable StreamTables tables, PrintStream out) {
    List<String> summaries =
        windowing.isGlobal()
            ? List.of(output.summaryJson())
            : matches(Paths.join(output.summaryDir(), "summary-*.json"));
    Map<String, Long> totals = new TreeMap<>();
    for (String path : summaries) {
      JsonNode summary = RunSummary.parse(read(path));
      for (RecordKind kind : RecordKind.values()) {
        JsonNode counts = summary.path("kinds").path(kind.id());
        for (String measure : List.of("read", "cleaned", "dead_lettered", "duplicates")) {
          totals.merge(kind.id() + " " + measure, counts.path(measure).asLong(), Long::sum);
        }
      }
      summary.path("posts").fields().forEachRemaining(e -> totals.merge("posts " + e.getKey(), e.getValue().asLong(), Long::sum));
    }
    out.printf("streaming: done in %.1f s, %d window%s written to %s%n",
        seconds, summaries.size(), summaries.size() == 1 ? "" : "s", output.root());
    out.println(String.format("  %-6s %10s %10s %14s %11s", "kind", "read", "cleaned", "dead_lettered", "duplicates"));
    for (RecordKind kind : RecordKind.values()) {
      String k = kind.id();
      out.println(String.format("  %-6s %10d %10d %14d %11d", k, totals.getOrDefault(k + " read", 0L),
          totals.getOrDefault(k + " cleaned", 0L), totals.getOrDefault(k + " dead_lettered", 0L),
          totals.getOrDefault(k + " duplicates", 0L)));
    }
    out.println("  posts: " + totals.getOrDefault("posts complete", 0L) + " complete, "
        + totals.getOrDefault("posts incomplete", 0L) + " incomplete");
    if (tables != null) {
      List<String> kinds = new ArrayList<>();
      for (RecordKind kind : RecordKind.values()) {
        kinds.add(kind.id());
      }
      tables.currentSnapshots(kinds).forEach((name, current) -> out.println("  " + StreamTables.identifier(name) + ": " + current));
      return;
    }
    for (RecordKind kind : RecordKind.values()) {
      out.println("  tables/" + kind.id() + ": " + matches(Paths.join(output.tableDir(kind), "*.parquet")).size() + " files");
    }
  }

  static List<String> matches(String pattern) {
    try {
      MatchResult match = FileSystems.match(pattern);
      List<String> paths = new ArrayList<>();
      if (match.status() == MatchResult.Status.OK) {
        for (MatchResult.Metadata m : match.metadata()) {
          paths.add(m.resourceId().toString());
        }
      }
      paths.sort(null);
      return paths;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(String path) {
    try {
      ResourceId resource = FileSystems.matchSingleFileSpec(path).resourceId();
      try (InputStream in = Channels.newInputStream(FileSystems.open(resource))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
