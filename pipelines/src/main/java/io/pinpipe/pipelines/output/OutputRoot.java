package io.pinpipe.pipelines.output;

import io.pinpipe.pipelines.io.layout.Paths;
import java.io.IOException;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedMap;
import org.apache.beam.sdk.io.FileSystems;

/**
 * The files under an output root, by path relative to it ({@code results/x.csv}), on a local disk
 * or an object store. Only what ownership and the batch commit need: list, read, replace one file
 * atomically, delete given files. Nothing here follows a symbolic link when listing or deleting.
 */
public abstract class OutputRoot {
  private final String root;

  OutputRoot(String root) {
    this.root = Paths.withoutTrailingSlash(root);
  }

  /** A local folder (no scheme, or {@code file:}) or any other Beam filesystem (s3://...). */
  public static OutputRoot of(String root) {
    String scheme = FileSystems.matchNewResource(Paths.withoutTrailingSlash(root), true).getScheme();
    return "file".equals(scheme) ? new LocalOutputRoot(root) : new ObjectStoreOutputRoot(root);
  }

  public final String root() {
    return root;
  }

  /** The full path of a relative one, as Beam's filesystems take it. */
  public final String path(String relative) {
    return relative.isEmpty() ? root : Paths.join(root, relative);
  }

  /**
   * Takes the lock that keeps other runs off this root while this one writes ({@link RunLock});
   * an object store has none and gives {@link RunLock#NONE}.
   */
  abstract RunLock lock(String holder) throws IOException, RunLock.HeldElsewhere;

  /** Whether this is a local disk, where atomic rename and symbolic links exist. */
  public abstract boolean isLocal();

  /**
   * Every file under the root (locally also every symbolic link, as an entry of its own, never
   * followed), relative and {@code /}-separated, with its size; empty when the root does not exist.
   */
  public abstract SortedMap<String, Long> files() throws IOException;

  /** Whether {@code relative} is a symbolic link (only local roots have them). */
  public abstract boolean isLink(String relative);

  /** A file's text, or empty when there is no such file. */
  public abstract Optional<String> read(String relative) throws IOException;

  /** Writes a file whole, where it is not yet read by anyone: a run's own folder. */
  public abstract void write(String relative, String text) throws IOException;

  /**
   * Replaces a file in one step, so a reader sees the old text or the new, never a part: locally a
   * temporary file, flushed to disk, renamed over it; on an object store one PUT (an object appears
   * whole when its upload completes). {@code staged} runs just before that step.
   */
  public abstract void replace(String relative, String text, Runnable staged) throws IOException;

  /** Deletes these files (or links; a link's target is never touched); missing ones are skipped. */
  public abstract void delete(Collection<String> relatives) throws IOException;

  /** Locally, removes the empty folders at and under {@code relative}; object stores have none. */
  public abstract void removeEmptyFolders(String relative) throws IOException;

  /**
   * Locally, removes the folders that held {@code deleted} files and are now empty, up to the root
   * (not a folder that held nothing of ours).
   */
  public abstract void removeEmptyParents(Collection<String> deleted) throws IOException;
}
