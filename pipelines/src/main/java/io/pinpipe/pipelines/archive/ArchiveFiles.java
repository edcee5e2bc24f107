package io.pinpipe.pipelines.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * File operations of the archive through Beam's {@link FileSystems}, so that a local directory and
 * {@code s3://} behave alike: whole-file writes (temporary name, then rename) and listings.
 */
final class ArchiveFiles {
  private ArchiveFiles() {}

  /**
   * Writes {@code lines} (each followed by a newline) under the hidden temporary name {@code
   * .<name>.inprogress}, then renames it over {@code path}: a reader never sees half a file, and a
   * rewrite replaces a file whole. {@code beforeRename} runs between the two (a crash point).
   */
  static void writeWhole(String path, List<byte[]> lines, Runnable beforeRename) throws IOException {
    ResourceId target = FileSystems.matchNewResource(path, false);
    ResourceId temp =
        target
            .getCurrentDirectory()
            .resolve("." + target.getFilename() + Chunk.TEMP_SUFFIX, StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream stream = Channels.newOutputStream(FileSystems.create(temp, "application/x-ndjson"))) {
      for (byte[] line : lines) {
        stream.write(line);
        stream.write('\n');
      }
    }
    beforeRename.run();
    FileSystems.rename(List.of(temp), List.of(target));
  }

  /** Every file under {@code folder} at any depth (none when it does not exist). */
  static List<ResourceId> listUnder(String folder) throws IOException {
    MatchResult match =
        FileSystems.match(List.of(folder + "/**"), EmptyMatchTreatment.ALLOW).get(0);
    List<ResourceId> files = new ArrayList<>();
    if (match.status() == MatchResult.Status.NOT_FOUND) {
      return files;
    }
    for (MatchResult.Metadata m : match.metadata()) {
      files.add(m.resourceId());
    }
    return files;
  }

  static void delete(List<ResourceId> files) throws IOException {
    if (!files.isEmpty()) {
      FileSystems.delete(files, MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    }
  }

  /** {@code path} relative to the archive root, as range records name their files. */
  static String relative(String root, String path) {
    return path.startsWith(root + "/") ? path.substring(root.length() + 1) : path;
  }
}
