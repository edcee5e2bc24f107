package io.pinpipe.pipelines.output;

import io.pinpipe.pipelines.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where batch runs go in an output root, and how one is committed (docs/design.md#outputs):
 *
 * <pre>
 * _pinpipe.json              names the committed run: the commit point, replaced in one step
 * runs/run-000002/           one run's results/, tables/, dead-letter/, summary.json, report.html
 * runs/run-000002/_SUCCESS   written last in the run's folder: every file of the run and its size
 * current -> runs/run-000002 (local disk) a link, replaced in one step after the commit
 * results -> current/results (local disk) and tables, dead-letter, summary.json, report.html, _SUCCESS
 * </pre>
 *
 * A run writes only into its own folder, then writes its {@code _SUCCESS}, then commits by replacing
 * the manifest (a temporary file renamed over it locally; one PUT on S3), then points {@code current}
 * at it, then deletes the previous run's folder. A process killed at any instant leaves a manifest
 * that names a complete run, or none yet; the next run removes whatever folder no manifest names.
 */
public final class BatchRuns {
  static final String SUCCESS = "_SUCCESS";
  static final String CURRENT = "current";
  static final String RUN_NAME = "run-[0-9]{6}";
  private static final Pattern RUN_FILE = Pattern.compile("runs/(" + RUN_NAME + ")/.+");
  /** What Beam's file writes leave in a run's folder once they are done. */
  private static final Pattern TEMPORARY = Pattern.compile("(.+/)?\\.temp-beam[^/]*/.+");

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private BatchRuns() {}

  /**
   * Prepares the next run in a claimed root: refuses earlier results without {@code overwrite},
   * puts the links right after a crash between commit and link, removes the folders of runs that
   * never committed, and names the new run.
   */
  public static Run begin(OwnedOutput owned, boolean overwrite, PrintStream out) {
    OutputRoot root = owned.root();
    Optional<String> committed = owned.manifest().committedRun();
    List<String> legacy = legacyFiles(owned);
    if (committed.isPresent()) {
      refuseUnlisted(owned, committed.get());
    }
    if ((committed.isPresent() || !legacy.isEmpty()) && !overwrite) {
      throw new UserError(
          "output " + root.root() + " already holds the results of an earlier run; pass --overwrite to replace them");
    }
    owned.own();
    try {
      if (committed.isPresent()) {
        // A run committed after this output was adopted: the adopted files are its past.
        showAtTheRoot(root, committed.get(), legacy);
        legacy = List.of();
      }
      int last = 0;
      TreeSet<String> unfinished = new TreeSet<>();
      for (String file : owned.files().keySet()) {
        Matcher m = RUN_FILE.matcher(file);
        if (m.matches()) {
          String run = "runs/" + m.group(1);
          last = Math.max(last, number(run));
          if (!committed.filter(run::equals).isPresent()) {
            unfinished.add(run);
          }
        }
      }
      if (committed.isPresent()) {
        last = Math.max(last, number(committed.get()));
      }
      for (String run : unfinished) {
        deleteRun(root, run, owned.files(), () -> {});
        out.println("batch: removed " + root.path(run) + ", which no commit names (left by a run that stopped)");
      }
      String run = String.format(java.util.Locale.ROOT, "runs/run-%06d", last + 1);
      return new Run(owned, run, committed.orElse(null), legacy);
    } catch (IOException e) {
      throw new UserError("cannot prepare " + root.root() + ": " + e.getMessage());
    }
  }

  /**
   * The committed run's {@code _SUCCESS} lists its files: anything else in its folder (a file a user
   * put in {@code <output>/results/}, which is a link into it) is not the job's, and is never deleted.
   */
  private static void refuseUnlisted(OwnedOutput owned, String run) {
    OutputRoot root = owned.root();
    Set<String> listed = new HashSet<>();
    try {
      Optional<String> success = root.read(run + "/" + SUCCESS);
      if (success.isEmpty()) {
        throw new UserError(
            "output " + root.root() + ": its committed run " + run + " has no " + SUCCESS
                + " (changed by hand?); give another --output, or remove this one");
      }
      JSON.readTree(success.get()).path("files").fieldNames().forEachRemaining(listed::add);
    } catch (IOException e) {
      throw new UserError("cannot read " + root.path(run + "/" + SUCCESS) + ": " + e.getMessage());
    }
    for (String file : owned.files().keySet()) {
      if (file.startsWith(run + "/")) {
        String inRun = file.substring(run.length() + 1);
        if (!inRun.equals(SUCCESS) && !listed.contains(inRun)) {
          throw new UserError(
              "output " + root.root() + " holds " + file + ", which batch did not write; move it out"
                  + " before running batch on this output again");
        }
      }
    }
  }

  private static int number(String run) {
    return Integer.parseInt(run.substring(run.lastIndexOf('-') + 1));
  }

  /** Result files an earlier version wrote at the root, adopted with --adoptOutput. */
  private static List<String> legacyFiles(OwnedOutput owned) {
    List<String> legacy = new ArrayList<>();
    for (String file : owned.files().keySet()) {
      // The root's links into the committed run have the same names, and are not results.
      if (JobFiles.BATCH.wroteBeforeManifests(file) && !owned.root().isLink(file)) {
        legacy.add(file);
      }
    }
    return legacy;
  }

  /**
   * What follows a commit at the root: locally {@code current} pointed at {@code run} in one step;
   * an adopted output's files deleted (they are the past now); locally the fixed links into {@code
   * current} created where missing (after those files, which had their names, are gone).
   */
  private static void showAtTheRoot(OutputRoot root, String run, List<String> legacy) throws IOException {
    LocalOutputRoot local = root instanceof LocalOutputRoot ? (LocalOutputRoot) root : null;
    if (local != null && !local.linkTarget(CURRENT).filter(run::equals).isPresent()) {
      local.link(CURRENT, run);
    }
    if (!legacy.isEmpty()) {
      root.delete(legacy);
      root.removeEmptyParents(legacy);
    }
    if (local != null) {
      for (String name : JobFiles.BATCH_LINKS) {
        if (local.isAbsent(name)) {
          local.link(name, CURRENT + "/" + name);
        }
      }
    }
  }

  /** Deletes one run's files (as listed) and then its folders. */
  private static void deleteRun(OutputRoot root, String run, Map<String, Long> files, Runnable afterFirst)
      throws IOException {
    List<String> inRun = new ArrayList<>();
    for (String file : files.keySet()) {
      if (file.startsWith(run + "/")) {
        inRun.add(file);
      }
    }
    for (int i = 0; i < inRun.size(); i++) {
      root.delete(List.of(inRun.get(i)));
      if (i == 0) {
        afterFirst.run();
      }
    }
    root.removeEmptyFolders(run);
    root.removeEmptyParents(List.of(run));
  }

  /** A run being written: its folder, and the commit that makes it the output. */
  public static final class Run {
    private final OwnedOutput owned;
    private final String folder;
    private final String previous;
    private final List<String> legacy;

    private Run(OwnedOutput owned, String folder, String previous, List<String> legacy) {
      this.owned = owned;
      this.folder = folder;
      this.previous = previous;
      this.legacy = legacy;
    }

    /** The run's folder, where the pipeline writes everything. */
    public String path() {
      return owned.root().path(folder);
    }

    /** The run's folder relative to the root, as the manifest names it. */
    public String name() {
      return folder;
    }

    /**
     * Commits the run: removes what Beam's writes left in its folder, writes {@code _SUCCESS}, replaces
     * the manifest, shows the run at the root and deletes the previous run. Each step is a named
     * {@link io.pinpipe.pipelines.CrashPoint} for the crash tests.
     */
    public void commit() {
      OutputRoot root = owned.root();
      try {
        io.pinpipe.pipelines.CrashPoint.reach("batch-files-written");
        SortedMap<String, Long> files = filesOf(root, folder);
        List<String> temporary = new ArrayList<>();
        for (String file : files.keySet()) {
          if (TEMPORARY.matcher(file).matches()) {
            temporary.add(folder + "/" + file);
          }
        }
        root.delete(temporary);
        root.removeEmptyFolders(folder);
        files.keySet().removeIf(f -> TEMPORARY.matcher(f).matches());
        root.write(folder + "/" + SUCCESS, successJson(folder, files));
        io.pinpipe.pipelines.CrashPoint.reach("batch-success-written");

        root.replace(
            OutputManifest.FILE,
            owned.manifest().committing(folder).toJson(),
            () -> io.pinpipe.pipelines.CrashPoint.reach("batch-commit-staged"));
        io.pinpipe.pipelines.CrashPoint.reach("batch-committed");

        showAtTheRoot(root, folder, legacy);
        io.pinpipe.pipelines.CrashPoint.reach("batch-shown");
        if (previous != null && !previous.equals(folder)) {
          deleteRun(root, previous, root.files(), () -> io.pinpipe.pipelines.CrashPoint.reach("batch-removing-previous"));
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot commit " + path() + ": " + e.getMessage(), e);
      }
    }

    /** Removes the folder of a run that failed, so a failure leaves the previous output alone and tidy. */
    public void abandon() {
      try {
        deleteRun(owned.root(), folder, owned.root().files(), () -> {});
      } catch (IOException | RuntimeException e) {
        // The next run removes it.
      }
    }
  }

  /** {@code _SUCCESS}: the run and each of its files with its size, so a reader can check it is whole. */
  static String successJson(String folder, SortedMap<String, Long> files) {
    com.fasterxml.jackson.databind.node.ObjectNode node = JSON.createObjectNode();
    node.put("run", folder);
    com.fasterxml.jackson.databind.node.ObjectNode sizes = node.putObject("files");
    files.forEach(sizes::put);
    return node.toPrettyString() + "\n";
  }

  /** The files under one run's folder, relative to it. */
  private static SortedMap<String, Long> filesOf(OutputRoot root, String folder) throws IOException {
    SortedMap<String, Long> files = new java.util.TreeMap<>();
    for (Map.Entry<String, Long> e : root.files().entrySet()) {
      if (e.getKey().startsWith(folder + "/")) {
        files.put(e.getKey().substring(folder.length() + 1), e.getValue());
      }
    }
    return files;
  }
}
