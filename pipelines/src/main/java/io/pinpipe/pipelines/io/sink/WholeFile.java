package io.pinpipe.pipelines.io.sink;

import io.pinpipe.pipelines.CrashPoint;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes one small, fully assembled text (a sorted result CSV, the summary) to one exact path, on
 * any Beam filesystem. Unlike {@code TextIO}, it adds no trailing newline and writes an empty file
 * for empty text. Writing the same text again is harmless, so a retried bundle does no damage.
 */
public final class WholeFile extends PTransform<PCollection<String>, PCollection<Void>> {
  private final String path;

  private WholeFile(String path) {
    this.path = path;
  }

  public static WholeFile to(String path) {
    return new WholeFile(path);
  }

  /** No elements: its watermark tells when the file is written. */
  @Override
  public PCollection<Void> expand(PCollection<String> text) {
    return text.apply("WriteFile", ParDo.of(new WriteFn(path)));
  }

  static final class WriteFn extends DoFn<String, Void> {
    private final String path;

    WriteFn(String path) {
      this.path = path;
    }

    @ProcessElement
    public void process(@Element String text) throws IOException {
      write(path, text);
      // The crash tests stop a job here: some of its files written, the pipeline still running.
      CrashPoint.reach("whole-file-written");
    }
  }

  /** Writes text to a path of any registered filesystem, replacing what was there. */
  public static void write(String path, String text) throws IOException {
    ResourceId resource = FileSystems.matchNewResource(path, false);
    try (OutputStream out = Channels.newOutputStream(FileSystems.create(resource, "text/plain"))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
