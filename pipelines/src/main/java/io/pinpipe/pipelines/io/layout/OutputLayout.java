package io.pinpipe.pipelines.io.layout;

import io.pinpipe.contract.RecordKind;

/** The files of a run under a root: batch writes into a run folder, streaming into its output (docs/design.md#outputs). */
public final class OutputLayout {
  private final String root;

  public OutputLayout(String root) {
    this.root = Paths.withoutTrailingSlash(root);
  }

  public String root() {
    return root;
  }

  public String resultsDir() {
    return Paths.join(root, "results");
  }

  public String resultCsv(String outputName) {
    return Paths.join(root, "results", outputName + ".csv");
  }

  public String tableDir(RecordKind kind) {
    return Paths.join(root, "tables", kind.id());
  }

  public String deadLetterDir() {
    return Paths.join(root, "dead-letter");
  }

  public String deadLetterFile(RecordKind kind) {
    return Paths.join(root, "dead-letter", kind.id() + ".jsonl");
  }

  /** Streaming: one folder per result, a file per window. */
  public String resultDir(String outputName) {
    return Paths.join(root, "results", outputName);
  }

  /** Streaming: a kind's dead letters, a file per window and pane. */
  public String deadLetterDir(RecordKind kind) {
    return Paths.join(root, "dead-letter", kind.id());
  }

  /** Streaming: a summary per window. */
  public String summaryDir() {
    return Paths.join(root, "summary");
  }

  public String summaryJson() {
    return Paths.join(root, "summary.json");
  }

  /** The human-readable report: charts and tables of the results, data quality. */
  public String reportHtml() {
    return Paths.join(root, "report.html");
  }
}
