package io.pinpipe.pipelines.output;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What each job writes under its output root, as patterns of relative paths: the files a job owns
 * there (and so may replace or delete), and the subset that earlier versions, which wrote no
 * manifest, left (so an old output can be recognised and adopted). Anything else in a root is
 * someone else's, and the job refuses to start.
 */
public final class JobFiles {
  private static final String KIND = "(pin|geo|user)";
  private static final String NAME = "[a-z0-9_]+";
  /** FileIO's temporary files, and the hidden ones a file is written under before its rename. */
  private static final String TEMPORARY = "(.+/)?\\.temp-beam[^/]*/.+|(.+/)?\\.[^/]+\\.inprogress";

  /** What one batch run writes into its folder (and, before run folders, into the root). */
  private static final String BATCH_RESULTS =
      "results/" + NAME + "\\.csv"
          + "|tables/" + KIND + "/part-[^/]+\\.parquet"
          + "|tables/" + KIND + "/\\.temp-beam[^/]*/.+"
          + "|tables/" + KIND + "/\\.part-[^/]+\\.parquet\\.[^/]+\\.inprogress"
          + "|dead-letter/" + KIND + "\\.jsonl"
          + "|summary\\.json|report\\.html";

  /** The local links that show the committed run at the root (see {@link BatchRuns}). */
  static final List<String> BATCH_LINKS =
      List.of("results", "tables", "dead-letter", "summary.json", "report.html", BatchRuns.SUCCESS);

  /**
   * Batch's Iceberg warehouse when it is in the output ({@code --tableFormat=iceberg}): its tables
   * are committed by their catalog, so the output's own code accepts these files and never stages,
   * renames or deletes them (docs/iceberg.md#the-outputs-own-code-leaves-the-warehouse-alone).
   */
  static final String WAREHOUSE = "warehouse/.+";

  public static final JobFiles BATCH =
      new JobFiles(
          "batch",
          "(" + BATCH_RESULTS + ")",
          "runs/" + BatchRuns.RUN_NAME + "/(" + BATCH_RESULTS + "|" + BatchRuns.SUCCESS + ")"
              + "|" + BatchRuns.CURRENT + "|\\." + BatchRuns.CURRENT + "\\.tmp"
              + "|(results|tables|dead-letter|summary\\.json|report\\.html|" + BatchRuns.SUCCESS + ")"
              + "|\\.(results|tables|dead-letter|summary\\.json|report\\.html|" + BatchRuns.SUCCESS + ")\\.tmp"
              + "|" + WAREHOUSE);

  private static final String STREAMING_FILES =
      "tables/" + KIND + "/[^/]+\\.parquet"
          + "|dead-letter/" + KIND + "/[^/]+\\.jsonl"
          + "|results/" + NAME + "/[^/]+\\.csv"
          + "|results/" + NAME + "\\.csv"
          + "|summary/summary-[^/]+\\.json"
          + "|summary\\.json"
          + "|(tables|dead-letter|results|summary)/(" + TEMPORARY + ")";

  /** The streaming job's own namespace of a warehouse in its output ({@code --tableFormat=iceberg}). */
  static final String STREAMING_WAREHOUSE = "warehouse/streaming/.+";

  public static final JobFiles STREAMING = new JobFiles("streaming", "(" + STREAMING_FILES + ")", STREAMING_WAREHOUSE);

  /**
   * The archive's data, dead letters, range records and last summary (and their hidden temporary
   * names); it deletes only its own temporary files and uncommitted chunks, so its names are not
   * checked further.
   */
  public static final JobFiles ARCHIVE =
      new JobFiles(
          "archive",
          "(topics|dead-letter)/.+",
          "ranges/.+|archive-summary\\.json|\\.archive-summary\\.json\\.inprogress");

  private final String job;
  private final Pattern legacy;
  private final Pattern owned;

  private JobFiles(String job, String legacy, String onlyWithManifest) {
    this.job = job;
    this.legacy = Pattern.compile(legacy);
    String manifest = Pattern.quote(OutputManifest.FILE) + "|\\." + Pattern.quote(OutputManifest.FILE) + "\\.tmp";
    this.owned =
        Pattern.compile(legacy + "|" + manifest + (onlyWithManifest.isEmpty() ? "" : "|" + onlyWithManifest));
  }

  public String job() {
    return job;
  }

  /** A file of a catalog's tables (batch's Iceberg warehouse): accepted, never deleted by the job. */
  static boolean committedByCatalog(String relative) {
    return relative.matches(WAREHOUSE);
  }

  /** A file this job writes in a root it owns. */
  boolean owns(String relative) {
    return owned.matcher(relative).matches();
  }

  /** A file an earlier version of this job wrote (before outputs had a manifest). */
  boolean wroteBeforeManifests(String relative) {
    return legacy.matcher(relative).matches();
  }
}
