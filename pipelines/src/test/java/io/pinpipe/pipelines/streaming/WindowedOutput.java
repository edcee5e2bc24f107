package io.pinpipe.pipelines.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.contract.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads what a windowed streaming run wrote: per-window summaries summed, dead-letter origins. */
final class WindowedOutput {
  private WindowedOutput() {}

  static List<Path> files(Path folder, String suffix) throws Exception {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().collect(Collectors.toList());
    }
  }

  /** read, cleaned, dead_lettered and duplicates of one kind, summed over every window's summary. */
  static Map<String, Long> totals(Path output, RecordKind kind) throws Exception {
    Map<String, Long> totals = new TreeMap<>();
    for (Path file : files(output.resolve("summary"), ".json")) {
      JsonNode counts = RunSummary.parse(Files.readString(file)).path("kinds").path(kind.id());
      for (String measure : List.of("read", "cleaned", "dead_lettered", "duplicates")) {
        totals.merge(measure, counts.path(measure).asLong(), Long::sum);
      }
    }
    return totals;
  }

  /** The origins of one kind's dead letters over all windows and panes, sorted. */
  static List<String> deadLetterOrigins(Path output, RecordKind kind) throws Exception {
    List<String> origins = new ArrayList<>();
    for (Path file : files(output.resolve("dead-letter").resolve(kind.id()), ".jsonl")) {
      for (String line : Files.readAllLines(file)) {
        origins.add(RunSummary.parse(line).path("origin").asText());
      }
    }
    origins.sort(null);
    return origins;
  }
}
