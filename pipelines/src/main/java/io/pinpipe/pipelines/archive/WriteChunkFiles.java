package io.pinpipe.pipelines.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes each group of lines (one {@link ArchiveFile} chunk) as one newline-delimited file, lines
 * in offset order, named by the first offset. The file is written under a hidden temporary name
 * (batch skips names starting with '.') and then renamed over the final name, so a reader never
 * sees half a file and a rewrite of the same chunk replaces it whole.
 */
final class WriteChunkFiles
    extends PTransform<PCollection<KV<String, KV<Long, byte[]>>>, PCollection<String>> {
  enum Kind {
    DATA,
    DEAD_LETTERS
  }

  private final String root;
  private final Kind kind;

  WriteChunkFiles(String root, Kind kind) {
    this.root = root;
    this.kind = kind;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, KV<Long, byte[]>>> lines) {
    return lines
        .apply("GroupByFile", GroupByKey.create())
        .apply("WriteFile", ParDo.of(new WriteFn(root, kind)));
  }

  private static final class WriteFn extends DoFn<KV<String, Iterable<KV<Long, byte[]>>>, String> {
    private final String root;
    private final Kind kind;

    WriteFn(String root, Kind kind) {
      this.root = root;
      this.kind = kind;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<KV<Long, byte[]>>> group, OutputReceiver<String> out)
        throws IOException {
      List<KV<Long, byte[]>> lines = new ArrayList<>();
      group.getValue().forEach(lines::add);
      lines.sort(Comparator.comparing(KV::getKey));
      ArchiveFile file = ArchiveFile.fromKey(group.getKey());
      long first = lines.get(0).getKey();
      String path =
          kind == Kind.DATA ? file.dataPath(root, first) : file.deadLetterPath(root, first);
      write(path, lines);
      out.output(path);
    }
  }

  static void write(String path, List<KV<Long, byte[]>> lines) throws IOException {
    ResourceId target = FileSystems.matchNewResource(path, false);
    ResourceId temp =
        target.getCurrentDirectory()
            .resolve("." + target.getFilename() + ".inprogress",
                org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions.RESOLVE_FILE);
    try (OutputStream stream =
        Channels.newOutputStream(FileSystems.create(temp, "application/x-ndjson"))) {
      for (KV<Long, byte[]> line : lines) {
        stream.write(line.getValue());
        stream.write('\n');
      }
    }
    FileSystems.rename(List.of(temp), List.of(target));
  }
}
