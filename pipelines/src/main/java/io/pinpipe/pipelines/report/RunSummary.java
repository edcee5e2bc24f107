package io.pinpipe.pipelines.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pinpipe.pipelines.io.source.InputFiles;
import io.pinpipe.pipelines.io.layout.WindowedFiles;
import io.pinpipe.transforms.assemble.AssemblePosts;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.transforms.quality.QualityReport;
import io.pinpipe.contract.RecordKind;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;

/**
 * The run's {@code summary.json} (docs/semantics.md#data-quality-counts-summaryjson):
 * input, runner, the data-quality counts per kind and
 * the row count of every result. Keys of summed counts that start with {@link #RESULT_ROWS} are
 * result row counts; all others are {@link io.pinpipe.transforms.quality.QualityMetrics} keys.
 */
public final class RunSummary {
  private RunSummary() {}

  public static final String RESULT_ROWS = QualityMetrics.RESULT_ROWS;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public static String toJson(String input, String runner, Map<String, Long> sums) {
    return toJson(input, runner, InputFiles.none(), null, sums);
  }

  /** A batch run's summary, with the files it read per kind when its input was files. */
  public static String toJson(String input, String runner, InputFiles files, Map<String, Long> sums) {
    return toJson(input, runner, files, null, sums);
  }

  /**
   * The summary of one streaming window: the same counts, the window's bounds, and how many posts
   * were assembled complete or let go incomplete.
   */
  public static String toJson(String input, String runner, IntervalWindow window, Map<String, Long> sums) {
    return toJson(input, runner, InputFiles.none(), window, sums);
  }

  private static String toJson(
      String input, String runner, InputFiles files, IntervalWindow window, Map<String, Long> sums) {
    Map<String, Long> quality = new TreeMap<>();
    Map<String, Long> results = new TreeMap<>();
    Map<String, Long> posts = new TreeMap<>();
    sums.forEach(
        (key, n) -> {
          if (key.startsWith(RESULT_ROWS)) {
            results.put(key.substring(RESULT_ROWS.length()), n);
          } else if (key.startsWith(AssemblePosts.METRIC_PREFIX)) {
            posts.put(key.substring(AssemblePosts.METRIC_PREFIX.length()), n);
          } else {
            quality.put(key, n);
          }
        });
    QualityReport report = QualityReport.fromSums(quality);

    ObjectNode root = MAPPER.createObjectNode();
    root.put("input", input);
    root.put("runner", runner);
    if (window != null) {
      root.put("window_start", WindowedFiles.isoInstant(window.start()));
      root.put("window_end", WindowedFiles.isoInstant(window.end()));
    }
    ObjectNode kinds = root.putObject("kinds");
    for (RecordKind kind : RecordKind.values()) {
      QualityReport.KindCounts counts = report.kind(kind);
      ObjectNode node = kinds.putObject(kind.id());
      if (!files.isEmpty()) {
        node.put("files", files.files(kind));
        node.put("empty_files", files.emptyFiles(kind));
      }
      node.put("read", counts.read);
      node.put("cleaned", counts.cleaned);
      node.put("dead_lettered", counts.deadLettered);
      node.put("duplicates", counts.duplicates);
      node.put("conflicts", counts.conflicts);
      ObjectNode nulled = node.putObject("nulled");
      counts.nulled.forEach(
          (field, reasons) -> {
            ObjectNode byReason = nulled.putObject(field);
            reasons.forEach(byReason::put);
          });
      ObjectNode rules = node.putObject("rules");
      counts.rules.forEach(rules::put);
      ObjectNode unknown = node.putObject("unknown_fields");
      counts.unknownFields.forEach(unknown::put);
    }
    if (!posts.isEmpty()) {
      ObjectNode assembled = root.putObject("posts");
      posts.forEach(assembled::put);
    }
    ObjectNode resultRows = root.putObject("results");
    results.forEach(resultRows::put);
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * {@code summary} with the Iceberg tables a batch run committed (docs/iceberg.md): the run's id,
   * the days it replaced, and per table the snapshot that holds the run's rows, committed by this
   * run now or, when a retried commit step found the run's id already committed, the one that was.
   *
   * @param commits the commit step's lines, {@code <table> <snapshot id> <days> committed|already committed}
   * @param tables the tables in the order to list them
   */
  public static String withIcebergSnapshots(
      String summary, String runId, java.util.List<String> days, java.util.List<String> tables, Iterable<String> commits) {
    Map<String, String[]> byTable = new java.util.HashMap<>();
    java.util.SortedSet<String> committedDays = new java.util.TreeSet<>(days);
    for (String line : commits) {
      String[] parts = line.split(" ", 4);
      byTable.put(parts[0], parts);
      // A run from Kafka lists no days before it: they are its records' arrival days.
      committedDays.addAll(java.util.Arrays.asList(parts[2].split(",")));
    }
    ObjectNode root = (ObjectNode) parse(summary);
    ObjectNode iceberg = root.putObject("iceberg");
    iceberg.put("run_id", runId);
    committedDays.forEach(iceberg.putArray("ingestion_dates")::add);
    ObjectNode snapshots = iceberg.putObject("tables");
    for (String table : tables) {
      String[] commit = byTable.get(table);
      if (commit == null) {
        throw new IllegalStateException("the commit step reported nothing for " + table);
      }
      ObjectNode node = snapshots.putObject(table);
      node.put("snapshot_id", Long.parseLong(commit[1]));
      node.put("committed_by_this_attempt", commit[3].equals("committed"));
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("summary.json is not valid JSON", e);
    }
  }
}
