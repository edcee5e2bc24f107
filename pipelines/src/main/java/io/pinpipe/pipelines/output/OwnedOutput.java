package io.pinpipe.pipelines.output;

import io.pinpipe.pipelines.UserError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * An output root a job has made its own (docs/design.md#outputs). {@link #claim} refuses, as one
 * line, any root the job may not write to: {@code /}, the home directory, one that is, holds or is
 * inside an input, one inside another job's output, one owned by another job, one holding files the
 * job did not write, and one an earlier version wrote unless the user adopts it. It writes nothing:
 * once the job's own checks have passed too, {@link #own} writes the manifest if there is none yet.
 * The job then deletes only files that {@link JobFiles} says it wrote. From {@link #own} to {@link
 * #close} the run holds the root's {@link RunLock}, so no second run writes it meanwhile.
 */
public final class OwnedOutput implements AutoCloseable {
  private final OutputRoot root;
  private final JobFiles job;
  private final OutputManifest manifest;
  private final SortedMap<String, Long> files;
  private boolean manifestWritten;
  private RunLock lock;

  private OwnedOutput(
      OutputRoot root, JobFiles job, OutputManifest manifest, SortedMap<String, Long> files, boolean manifestWritten) {
    this.root = root;
    this.job = job;
    this.manifest = manifest;
    this.files = files;
    this.manifestWritten = manifestWritten;
  }

  /**
   * Checks that {@code job} may write {@code output}; changes nothing.
   *
   * @param inputs the folders the job reads (none for Kafka or Kinesis)
   * @param adopt the user's --adoptOutput: take an output an earlier version wrote
   */
  public static OwnedOutput claim(JobFiles job, String output, List<String> inputs, boolean adopt) {
    OutputRoot root = OutputRoot.of(output);
    try {
      OutputGuards.check(root, inputs);
      SortedMap<String, Long> files = listed(root);
      Optional<String> text = root.read(OutputManifest.FILE);
      if (text.isPresent()) {
        OutputManifest manifest = OutputManifest.parse(root.root(), text.get());
        if (!manifest.job().equals(job.job())) {
          throw new UserError(
              "output " + root.root() + " belongs to the " + manifest.job() + " job (see its " + OutputManifest.FILE
                  + "); give " + job.job() + " another --output");
        }
        refuseForeign(root, job, files, job::owns);
        return new OwnedOutput(root, job, manifest, files, true);
      }
      refuseForeign(root, job, files, job::wroteBeforeManifests);
      if (!files.isEmpty() && !adopt) {
        throw new UserError(
            "output " + root.root() + " holds the files of an earlier version of pinpipe, which wrote no "
                + OutputManifest.FILE + ": pass --adoptOutput to let " + job.job()
                + " own them (and replace them with --overwrite), or remove them");
      }
      return new OwnedOutput(root, job, OutputManifest.of(job.job()), files, false);
    } catch (IOException e) {
      throw new UserError("cannot use --output=" + output + ": " + e.getMessage());
    }
  }

  /** The root's files, without the run lock's file (it is no output, and every job may find it). */
  private static SortedMap<String, Long> listed(OutputRoot root) throws IOException {
    SortedMap<String, Long> files = root.files();
    files.remove(RunLock.FILE);
    return files;
  }

  /**
   * Marks the root as the job's: takes its run lock, refusing the root while another run holds it,
   * and writes the manifest if it has none (a new root, or one adopted), so that whatever the job
   * leaves there, even if it is killed, is known to be its own.
   */
  public OwnedOutput own() {
    if (lock == null) {
      try {
        lock = root.lock(RunLock.holder(job.job()));
      } catch (RunLock.HeldElsewhere e) {
        throw new UserError(
            "output " + root.root() + " is being written by another run (" + e.holder() + "); wait for it to"
                + " end, or give " + job.job() + " another --output");
      } catch (IOException e) {
        throw new UserError("cannot lock " + root.path(RunLock.FILE) + ": " + e.getMessage());
      }
      // What claim() saw may have changed under a run that held the lock until now.
      try {
        if (!listed(root).equals(files)) {
          close();
          throw new UserError(
              "output " + root.root() + " changed while " + job.job() + " was starting (another run was"
                  + " writing it); run " + job.job() + " again");
        }
      } catch (IOException e) {
        close();
        throw new UserError("cannot use --output=" + root.root() + ": " + e.getMessage());
      }
    }
    if (!manifestWritten) {
      try {
        root.replace(OutputManifest.FILE, manifest.toJson(), () -> {});
      } catch (IOException e) {
        close();
        throw new UserError("cannot write " + root.path(OutputManifest.FILE) + ": " + e.getMessage());
      }
      manifestWritten = true;
    }
    return this;
  }

  private static void refuseForeign(
      OutputRoot root, JobFiles job, SortedMap<String, Long> files, java.util.function.Predicate<String> ours) {
    List<String> foreign = files.keySet().stream().filter(f -> !ours.test(f)).collect(Collectors.toList());
    if (foreign.isEmpty()) {
      return;
    }
    for (String file : foreign) {
      if (file.endsWith("/" + OutputManifest.FILE)) {
        String folder = root.path(file.substring(0, file.length() - OutputManifest.FILE.length() - 1));
        throw new UserError(
            "output " + root.root() + " holds the output of another pinpipe job, " + folder
                + "; give " + job.job() + " a folder of its own");
      }
    }
    String others = foreign.size() == 1 ? "" : " (and " + (foreign.size() - 1) + " more)";
    throw new UserError(
        "output " + root.root() + " holds " + foreign.get(0) + others + ", which " + job.job()
            + " did not write; give an empty or new folder, or one that " + job.job() + " wrote, as --output");
  }

  public OutputRoot root() {
    return root;
  }

  public JobFiles job() {
    return job;
  }

  public OutputManifest manifest() {
    return manifest;
  }

  /** The files found under the root when it was claimed, with their sizes. */
  public SortedMap<String, Long> files() {
    return files;
  }

  /**
   * Deletes every file the job wrote here, except the manifest (the streaming job's --overwrite),
   * and the folders that leaves empty; returns how many files.
   */
  public int deleteOwnFiles() {
    List<String> own = new ArrayList<>();
    for (String file : files.keySet()) {
      if (job.owns(file) && !file.equals(OutputManifest.FILE) && !JobFiles.committedByCatalog(file)) {
        own.add(file);
      }
    }
    try {
      root.delete(own);
      root.removeEmptyParents(own);
    } catch (IOException e) {
      throw new UserError("cannot clear " + root.root() + ": " + e.getMessage());
    }
    return own.size();
  }

  /** Releases the run lock (the process's end releases it too, however it ends). */
  @Override
  public void close() {
    if (lock == null) {
      return;
    }
    try {
      lock.close();
    } catch (IOException e) {
      // The lock goes with the process anyway; nothing the user can act on.
    } finally {
      lock = null;
    }
  }
}
