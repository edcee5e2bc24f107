package io.pinpipe.pipelines.archive;

import io.pinpipe.pipelines.CrashPoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes each chunk whole, and commits it last: its dead letters, then its data file(s) of each
 * day, each under a hidden temporary name renamed to its final one, and then its range record
 * ({@link RangeRecord}). Until that record exists the chunk is not archived: a run that starts
 * finds its files (a crash came between) and removes them before writing those offsets again.
 */
final class WriteChunks extends PTransform<PCollection<KV<String, ChunkLine>>, PCollection<String>> {
  /** A data file is at its temporary name, written whole, not yet renamed. */
  static final String DATA_WRITTEN = "archive.data-written";
  /** A data file is at its final name; its chunk's range record is not written yet. */
  static final String DATA_RENAMED = "archive.data-renamed";
  /** A chunk's range record is written: the chunk is archived. */
  static final String RANGE_RECORDED = "archive.range-recorded";

  private final String root;

  WriteChunks(String root) {
    this.root = root;
  }

  @Override
  public PCollection<String> expand(PCollection<KV<String, ChunkLine>> lines) {
    return lines
        .apply("GroupByChunk", GroupByKey.create())
        .apply("WriteChunk", ParDo.of(new WriteChunkFn(root)));
  }

  private static final class WriteChunkFn extends DoFn<KV<String, Iterable<ChunkLine>>, String> {
    private final String root;
    private final Counter skipped = Metrics.counter(ArchivePipeline.class, "skipped_offsets");

    WriteChunkFn(String root) {
      this.root = root;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<ChunkLine>> group, OutputReceiver<String> out)
        throws IOException {
      Chunk chunk = Chunk.fromKey(group.getKey());
      List<ChunkLine> lines = new ArrayList<>();
      group.getValue().forEach(lines::add);
      lines.sort(Comparator.comparingLong(ChunkLine::offset));

      List<byte[]> deadLetters = new ArrayList<>();
      List<Long> deadLetterOffsets = new ArrayList<>();
      Map<Optional<String>, List<byte[]>> byDay = new TreeMap<>(Comparator.comparing(d -> d.orElse("")));
      List<Long> present = new ArrayList<>();
      for (ChunkLine line : lines) {
        if (!present.isEmpty() && present.get(present.size() - 1) == line.offset()) {
          continue; // the same offset twice (a re-delivered read): written once
        }
        present.add(line.offset());
        if (line.deadLetter()) {
          deadLetters.add(line.bytes());
          deadLetterOffsets.add(line.offset());
        } else {
          byDay.computeIfAbsent(line.day(), d -> new ArrayList<>()).add(line.bytes());
        }
      }

      RangeRecord record = RangeRecord.of(chunk, present, deadLetterOffsets);
      if (!deadLetters.isEmpty()) {
        ArchiveFiles.writeWhole(chunk.deadLetterPath(root), deadLetters, () -> {});
        record = record.withDeadLetterFile(ArchiveFiles.relative(root, chunk.deadLetterPath(root)));
      }
      for (Map.Entry<Optional<String>, List<byte[]>> day : byDay.entrySet()) {
        String path = chunk.dataPath(root, day.getKey());
        ArchiveFiles.writeWhole(path, day.getValue(), () -> CrashPoint.reach(DATA_WRITTEN));
        CrashPoint.reach(DATA_RENAMED);
        record = record.withDataFile(ArchiveFiles.relative(root, path), day.getValue().size());
      }
      record.write(root);
      CrashPoint.reach(RANGE_RECORDED);
      skipped.inc(record.skippedCount());
      out.output(chunk.name());
    }
  }
}
