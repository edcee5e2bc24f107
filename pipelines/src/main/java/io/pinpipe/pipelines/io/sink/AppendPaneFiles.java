package io.pinpipe.pipelines.io.sink;

import io.pinpipe.pipelines.io.layout.AppendOnlyNames;
import io.pinpipe.pipelines.io.layout.WindowedFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * Writes each element, a whole file's text, as the file of its window and pane ({@link
 * WindowedFiles#byWindowAndPane}): under a hidden temporary name, then renamed to a name no file has
 * yet ({@link AppendOnlyNames}), so readers see whole files only and a restarted job never replaces
 * an earlier run's file. Its output has no elements; its watermark tells when a window's files are
 * written.
 */
public final class AppendPaneFiles extends DoFn<String, Void> {
  private final String directory;
  private final String prefix;
  private final String suffix;

  public AppendPaneFiles(String directory, String prefix, String suffix) {
    this.directory = directory;
    this.prefix = prefix;
    this.suffix = suffix;
  }

  @ProcessElement
  public void process(@Element String text, BoundedWindow window, PaneInfo pane) throws IOException {
    String name = WindowedFiles.byWindowAndPane(prefix, suffix).getFilename(window, pane, 1, 0, Compression.UNCOMPRESSED);
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    ResourceId temporary = dir.resolve("." + name + "." + UUID.randomUUID() + ".inprogress", StandardResolveOptions.RESOLVE_FILE);
    boolean renamed = false;
    try {
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(temporary, "text/plain"))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      FileSystems.rename(
          new ArrayList<>(List.of(temporary)), new ArrayList<>(List.of(AppendOnlyNames.free(directory, name))));
      renamed = true;
    } finally {
      if (!renamed) {
        FileSystems.delete(List.of(temporary), StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    }
  }
}
