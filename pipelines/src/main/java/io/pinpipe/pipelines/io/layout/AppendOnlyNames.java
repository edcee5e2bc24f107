package io.pinpipe.pipelines.io.layout;

import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Names for the streaming job's appended files (tables, dead letters) that never replace a file
 * already there (docs/streaming.md#restarts-what-resumes-where). A restarted job computes a window's panes again
 * from the records it reads again, numbering them from pane 0: written under the same names, the
 * part read again would replace files that also hold records below the committed offsets, which no
 * run reads again. So a taken name gets {@code -again-<k>} before its extension instead: the first
 * run that writes a pane keeps its name, and a run without restarts writes exactly the names it
 * always did.
 */
public final class AppendOnlyNames {
  private AppendOnlyNames() {}

  /** {@code name} in {@code directory} if no file has it, else the first free {@code -again-<k>} name. */
  public static ResourceId free(String directory, String name) throws IOException {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    int dot = name.indexOf('.');
    String stem = dot < 0 ? name : name.substring(0, dot);
    String extension = dot < 0 ? "" : name.substring(dot);
    for (int k = 0; ; k++) {
      ResourceId candidate =
          dir.resolve(k == 0 ? name : stem + "-again-" + k + extension, StandardResolveOptions.RESOLVE_FILE);
      if (!exists(candidate)) {
        return candidate;
      }
    }
  }

  private static boolean exists(ResourceId file) throws IOException {
    MatchResult match = FileSystems.match(List.of(file.toString()), EmptyMatchTreatment.ALLOW).get(0);
    return match.status() == MatchResult.Status.OK && !match.metadata().isEmpty();
  }
}
