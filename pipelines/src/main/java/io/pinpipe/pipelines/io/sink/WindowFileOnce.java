package io.pinpipe.pipelines.io.sink;

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
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MoveOptions.StandardMoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;

/**
 * Writes a window's result or summary, an element holding the whole file, as {@code
 * <prefix>-<window><suffix>}, once: the first run that writes it had read every record of the window
 * (a record below the committed offsets was in a window already written), while a restarted job that
 * reads part of a written window again computes it from that part only (docs/streaming.md#restarts-what-resumes-where).
 * So a file already there is kept. Written under a hidden temporary name and renamed,
 * so readers see whole files only. Its output has no elements; its watermark tells when a window's
 * file is written.
 */
public final class WindowFileOnce extends DoFn<String, Void> {
  private final String directory;
  private final String prefix;
  private final String suffix;

  public WindowFileOnce(String directory, String prefix, String suffix) {
    this.directory = directory;
    this.prefix = prefix;
    this.suffix = suffix;
  }

  @ProcessElement
  public void process(@Element String text, BoundedWindow window, PaneInfo pane) throws IOException {
    String name = WindowedFiles.byWindow(prefix, suffix).getFilename(window, pane, 1, 0, Compression.UNCOMPRESSED);
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    ResourceId target = dir.resolve(name, StandardResolveOptions.RESOLVE_FILE);
    MatchResult existing = FileSystems.match(List.of(target.toString()), EmptyMatchTreatment.ALLOW).get(0);
    if (existing.status() == MatchResult.Status.OK && !existing.metadata().isEmpty()) {
      return;
    }
    ResourceId temporary = dir.resolve("." + name + "." + UUID.randomUUID() + ".inprogress", StandardResolveOptions.RESOLVE_FILE);
    boolean renamed = false;
    try {
      try (OutputStream out = Channels.newOutputStream(FileSystems.create(temporary, "text/plain"))) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      FileSystems.rename(new ArrayList<>(List.of(temporary)), new ArrayList<>(List.of(target)));
      renamed = true;
    } finally {
      if (!renamed) {
        FileSystems.delete(List.of(temporary), StandardMoveOptions.IGNORE_MISSING_FILES);
      }
    }
  }
}
