package io.pinpipe.emulator.archive;

import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.PostGenerator;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes posting events in the archived raw layout ({@link ArchiveLayout}): each record to
 * partition {@code floorMod(row number, partitions)} of its kind's topic, newline-delimited,
 * offsets counting from 0 per partition, and a new file every {@code recordsPerFile} records of a
 * partition, named by its first offset. Streams through a few buffered files, so memory does
 * not grow with the number of events. Refuses topic directories that already hold files: mixing
 * two runs would silently mix their offsets.
 */
public final class ArchiveWriter implements Closeable {
  public static final int DEFAULT_PARTITIONS = 1;
  public static final long DEFAULT_RECORDS_PER_FILE = 100_000;
  /** Each open file holds a buffer this large; 3 × partitions files are open at a time. */
  private static final int BUFFER_BYTES = 1 << 16;
  private static final int MAX_PARTITIONS = 1024;

  private final Path root;
  private final String topicPrefix;
  private final int partitions;
  private final long recordsPerFile;
  private final Map<RecordKind, PartitionFile[]> files = new EnumMap<>(RecordKind.class);
  private final Map<RecordKind, Long> records = new EnumMap<>(RecordKind.class);
  private long events;
  private long resent;
  private boolean closed;

  public ArchiveWriter(Path root, String topicPrefix) throws IOException {
    this(root, topicPrefix, DEFAULT_PARTITIONS, DEFAULT_RECORDS_PER_FILE);
  }

  public ArchiveWriter(Path root, String topicPrefix, int partitions, long recordsPerFile)
      throws IOException {
    if (topicPrefix == null || !topicPrefix.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "topic prefix must be letters, digits, '.', '_' or '-', got '" + topicPrefix + "'");
    }
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException(
          "partitions must be in 1.." + MAX_PARTITIONS + ", got " + partitions);
    }
    if (recordsPerFile < 1) {
      throw new IllegalArgumentException("records per file must be >= 1, got " + recordsPerFile);
    }
    this.root = root;
    this.topicPrefix = topicPrefix;
    this.partitions = partitions;
    this.recordsPerFile = recordsPerFile;
    for (RecordKind kind : RecordKind.values()) {
      Path topic = ArchiveLayout.topicDirectory(root, topicPrefix, kind);
      if (holdsFiles(topic)) {
        throw new FileAlreadyExistsException(
            topic.toString(), null, "topic directory is not empty");
      }
      files.put(kind, new PartitionFile[partitions]);
      records.put(kind, 0L);
    }
  }

  /**
   * Generates {@code count} distinct events (plus the resends the settings ask for) into {@code
   * root}, with one partition and 100,000 records per file.
   */
  public static ArchiveWriteSummary generate(
      Path root, String topicPrefix, long count, long seed, GeneratorSettings settings)
      throws IOException {
    return generate(
        root,
        topicPrefix,
        count,
        seed,
        settings,
        DEFAULT_PARTITIONS,
        DEFAULT_RECORDS_PER_FILE,
        GenerationProgress.NONE);
  }

  public static ArchiveWriteSummary generate(
      Path root,
      String topicPrefix,
      long count,
      long seed,
      GeneratorSettings settings,
      int partitions,
      long recordsPerFile,
      GenerationProgress progress)
      throws IOException {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    PostGenerator generator = new PostGenerator(seed, settings);
    try (ArchiveWriter writer = new ArchiveWriter(root, topicPrefix, partitions, recordsPerFile)) {
      while (generator.freshCount() < count) {
        long freshBefore = generator.freshCount();
        GeneratedPost post = generator.next();
        boolean resend = generator.freshCount() == freshBefore;
        writer.write(post, resend);
        progress.eventsWritten(generator.freshCount(), count);
      }
      for (GeneratedPost resend : generator.drainResends()) {
        writer.write(resend, true);
      }
      return writer.summary();
    }
  }

  /** Appends a fresh event's three records. */
  public void write(GeneratedPost post) throws IOException {
    write(post, false);
  }

  /**
   * Appends one event's three records, each to its topic's partition for the row number; {@code
   * resend} only changes how the summary counts it.
   */
  public void write(GeneratedPost post, boolean resend) throws IOException {
    if (closed) {
      throw new IllegalStateException("writer is closed");
    }
    int partition = Math.floorMod(post.index(), partitions);
    for (RecordKind kind : RecordKind.values()) {
      PartitionFile[] byPartition = files.get(kind);
      if (byPartition[partition] == null) {
        byPartition[partition] = new PartitionFile(kind, partition);
      }
      byPartition[partition].append(post.json(kind));
      records.merge(kind, 1L, Long::sum);
    }
    if (resend) {
      resent++;
    } else {
      events++;
    }
  }

  public ArchiveWriteSummary summary() {
    return new ArchiveWriteSummary(events, resent, records);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException first = null;
    for (PartitionFile[] byPartition : files.values()) {
      for (PartitionFile file : byPartition) {
        try {
          if (file != null) {
            file.close();
          }
        } catch (IOException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /**
   * Whether {@code directory} holds anything, or is a plain file: a topic directory that a new
   * run must not write into (the writer refuses it; {@code generate --overwrite} clears it first).
   */
  public static boolean holdsFiles(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return false;
    }
    if (!Files.isDirectory(directory)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isPresent();
    }
  }

  /** One partition of one topic: the file being filled and the next offset. */
  private final class PartitionFile {
    private final RecordKind kind;
    private final int partition;
    private long nextOffset;
    private long inCurrentFile;
    private OutputStream out;

    PartitionFile(RecordKind kind, int partition) {
      this.kind = kind;
      this.partition = partition;
    }

    void append(String json) throws IOException {
      if (out == null || inCurrentFile == recordsPerFile) {
        roll();
      }
      out.write(json.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      nextOffset++;
      inCurrentFile++;
    }

    private void roll() throws IOException {
      close();
      Path file = ArchiveLayout.file(root, topicPrefix, kind, partition, nextOffset);
      Files.createDirectories(file.getParent());
      out =
          new BufferedOutputStream(
              Files.newOutputStream(
                  file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              BUFFER_BYTES);
      inCurrentFile = 0;
    }

    void close() throws IOException {
      if (out != null) {
        OutputStream o = out;
        out = null;
        o.close();
      }
    }
  }
}
