package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.io.kinesis.ShardAnchor;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;

/**
 * What reaches the streaming tables' commit step ({@link CommitStreamTables}): a data file a writer
 * wrote for one table and window, the offsets of one Kafka partition (or Kinesis shard) that went
 * into a window (from one bundle), or a Kinesis shard's anchor in a window ({@link #anchor}). A
 * window is named by {@code writtenAfter}, its end plus the allowed lateness: once the watermark
 * after every writer has passed it, all of the window's files and offsets are in.
 *
 * <p>A file is held as the facts its commit needs (path, format, partition values, size, row count,
 * column metrics), not as Iceberg's {@link DataFile}: the note is encoded by {@link Coder} in a few
 * hundred bytes, where a Java-serialized {@code DataFile} takes kilobytes, and the commit step keeps
 * every note until its window is committed. {@link #dataFile} builds the {@code DataFile} again
 * with the table's partition spec.
 */
public final class StreamNote {
  final long writtenAfter;
  final long windowStart;
  final long windowEnd;
  /** A file's table, or null for offsets. */
  final String table;
  /** Offsets' partition key, {@code <topic>+<partition>+}. */
  final String partition;
  /** Offsets as sorted, disjoint {@code [start, end)} pairs. */
  final long[] ranges;
  /** An anchor note's anchor: the record of the highest ordinal of its shard in the window (one bundle's). */
  ShardAnchor anchor;

  // A file's facts (table != null).
  private final String path;
  private final String format;
  /** The file's partition values: Integer (a date), Long (a timestamp), String, or null. */
  private final Object[] partitionValues;
  private final long recordCount;
  private final long sizeInBytes;
  private final Map<Integer, Long> columnSizes;
  private final Map<Integer, Long> valueCounts;
  private final Map<Integer, Long> nullValueCounts;
  private final Map<Integer, Long> nanValueCounts;
  private final Map<Integer, ByteBuffer> lowerBounds;
  private final Map<Integer, ByteBuffer> upperBounds;
  private final List<Long> splitOffsets;

  private StreamNote(
      long writtenAfter,
      long windowStart,
      long windowEnd,
      String table,
      String partition,
      long[] ranges,
      String path,
      String format,
      Object[] partitionValues,
      long recordCount,
      long sizeInBytes,
      Map<Integer, Long> columnSizes,
      Map<Integer, Long> valueCounts,
      Map<Integer, Long> nullValueCounts,
      Map<Integer, Long> nanValueCounts,
      Map<Integer, ByteBuffer> lowerBounds,
      Map<Integer, ByteBuffer> upperBounds,
      List<Long> splitOffsets) {
    this.writtenAfter = writtenAfter;
    this.windowStart = windowStart;
    this.windowEnd = windowEnd;
    this.table = table;
    this.partition = partition;
    this.ranges = ranges;
    this.path = path;
    this.format = format;
    this.partitionValues = partitionValues;
    this.recordCount = recordCount;
    this.sizeInBytes = sizeInBytes;
    this.columnSizes = columnSizes;
    this.valueCounts = valueCounts;
    this.nullValueCounts = nullValueCounts;
    this.nanValueCounts = nanValueCounts;
    this.lowerBounds = lowerBounds;
    this.upperBounds = upperBounds;
    this.splitOffsets = splitOffsets;
  }

  /**
   * The note of a data file written for {@code window} (its start and end, {@link
   * StreamTables#GLOBAL_WINDOW} for the global window, and when it counts as written).
   */
  static StreamNote file(
      String table, DataFile file, org.apache.beam.sdk.transforms.windowing.BoundedWindow window, long allowedLatenessMillis) {
    return file(
        table,
        file,
        StreamTables.startOf(window),
        StreamTables.endOf(window),
        StreamPackSink.writtenAfter(window, allowedLatenessMillis));
  }

  static StreamNote file(String table, DataFile file, long windowStart, long windowEnd, long writtenAfter) {
    StructLike partition = file.partition();
    Object[] values = new Object[partition.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = partition.get(i, Object.class);
    }
    return new StreamNote(
        writtenAfter,
        windowStart,
        windowEnd,
        table,
        null,
        null,
        file.path().toString(),
        file.format().name(),
        values,
        file.recordCount(),
        file.fileSizeInBytes(),
        file.columnSizes(),
        file.valueCounts(),
        file.nullValueCounts(),
        file.nanValueCounts(),
        file.lowerBounds(),
        file.upperBounds(),
        file.splitOffsets());
  }

  public static StreamNote offsets(String partition, long writtenAfter, long[] ranges) {
    return new StreamNote(
        writtenAfter, Long.MIN_VALUE, Long.MIN_VALUE, null, partition, ranges, null, null, null, 0, 0, null, null, null,
        null, null, null, null);
  }

  /**
   * A Kinesis shard's record in a window, the one of the highest ordinal a bundle put there: the
   * anchor a commit of that window records ({@link TablePositions}, docs/iceberg.md#streaming-from-kinesis).
   */
  public static StreamNote anchor(String shardKey, long writtenAfter, ShardAnchor anchor) {
    StreamNote note = offsets(shardKey, writtenAfter, new long[0]);
    note.anchor = anchor;
    return note;
  }

  boolean isFile() {
    return table != null;
  }

  boolean isAnchor() {
    return anchor != null;
  }

  /** The data file's path (where the writer wrote it). */
  String path() {
    return path;
  }

  /** The data file as Iceberg commits it, with {@code spec}, the partition spec of its table. */
  DataFile dataFile(PartitionSpec spec) {
    StructLike values =
        new StructLike() {
          @Override
          public int size() {
            return partitionValues.length;
          }

          @Override
          public <T> T get(int pos, Class<T> javaClass) {
            return javaClass.cast(partitionValues[pos]);
          }

          @Override
          public <T> void set(int pos, T value) {
            throw new UnsupportedOperationException();
          }
        };
    DataFiles.Builder builder =
        DataFiles.builder(spec)
            .withPath(path)
            .withFormat(FileFormat.valueOf(format))
            .withPartition(values)
            .withFileSizeInBytes(sizeInBytes)
            .withMetrics(
                new Metrics(recordCount, columnSizes, valueCounts, nullValueCounts, nanValueCounts, lowerBounds, upperBounds));
    if (splitOffsets != null) {
      builder.withSplitOffsets(splitOffsets);
    }
    return builder.build();
  }

  /** Its encoding's length: what the commit step keeps of it. */
  int encodedBytes() {
    try {
      return CoderUtils.encodeToByteArray(Coder.of(), this).length;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Encodes notes field by field (varints, offsets as deltas): the notes travel from every writer
   * to the commit step and wait in its state until their window is committed.
   */
  public static final class Coder extends CustomCoder<StreamNote> {
    private static final Coder INSTANCE = new Coder();
    private static final int OFFSETS = 0;
    private static final int FILE = 1;
    private static final int ANCHOR = 2;

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(StreamNote note, OutputStream out) throws IOException {
      VarLongCoder.of().encode(note.writtenAfter, out);
      if (note.isAnchor()) {
        out.write(ANCHOR);
        StringUtf8Coder.of().encode(note.partition, out);
        VarLongCoder.of().encode(note.anchor.ordinal, out);
        StringUtf8Coder.of().encode(note.anchor.sequenceNumber, out);
        VarLongCoder.of().encode(note.anchor.subSequenceNumber, out);
        VarLongCoder.of().encode(note.anchor.arrivalMillis, out);
        return;
      }
      if (!note.isFile()) {
        out.write(OFFSETS);
        StringUtf8Coder.of().encode(note.partition, out);
        Ranges.of().encode(note.ranges, out);
        return;
      }
      out.write(FILE);
      VarLongCoder.of().encode(note.windowStart, out);
      VarLongCoder.of().encode(note.windowEnd - note.windowStart, out);
      StringUtf8Coder.of().encode(note.table, out);
      StringUtf8Coder.of().encode(note.path, out);
      StringUtf8Coder.of().encode(note.format, out);
      VarIntCoder.of().encode(note.partitionValues.length, out);
      for (Object value : note.partitionValues) {
        if (value == null) {
          out.write(0);
        } else if (value instanceof Integer) {
          out.write(1);
          VarIntCoder.of().encode((Integer) value, out);
        } else if (value instanceof Long) {
          out.write(2);
          VarLongCoder.of().encode((Long) value, out);
        } else if (value instanceof CharSequence) {
          out.write(3);
          StringUtf8Coder.of().encode(value.toString(), out);
        } else {
          throw new IllegalArgumentException("a partition value of " + value.getClass() + " in a note");
        }
      }
      VarLongCoder.of().encode(note.recordCount, out);
      VarLongCoder.of().encode(note.sizeInBytes, out);
      encodeCounts(note.columnSizes, out);
      encodeCounts(note.valueCounts, out);
      encodeCounts(note.nullValueCounts, out);
      encodeCounts(note.nanValueCounts, out);
      encodeBounds(note.lowerBounds, out);
      encodeBounds(note.upperBounds, out);
      if (note.splitOffsets == null) {
        VarIntCoder.of().encode(-1, out);
      } else {
        VarIntCoder.of().encode(note.splitOffsets.size(), out);
        for (long offset : note.splitOffsets) {
          VarLongCoder.of().encode(offset, out);
        }
      }
    }

    @Override
    public StreamNote decode(InputStream in) throws IOException {
      long writtenAfter = VarLongCoder.of().decode(in);
      int kind = in.read();
      if (kind == ANCHOR) {
        String partition = StringUtf8Coder.of().decode(in);
        long ordinal = VarLongCoder.of().decode(in);
        String sequence = StringUtf8Coder.of().decode(in);
        long sub = VarLongCoder.of().decode(in);
        return anchor(partition, writtenAfter, new ShardAnchor(ordinal, sequence, sub, VarLongCoder.of().decode(in)));
      }
      if (kind == OFFSETS) {
        String partition = StringUtf8Coder.of().decode(in);
        return offsets(partition, writtenAfter, Ranges.of().decode(in));
      }
      if (kind != FILE) {
        throw new IOException("not a note: " + kind);
      }
      long windowStart = VarLongCoder.of().decode(in);
      long windowEnd = windowStart + VarLongCoder.of().decode(in);
      String table = StringUtf8Coder.of().decode(in);
      String path = StringUtf8Coder.of().decode(in);
      String format = StringUtf8Coder.of().decode(in);
      Object[] values = new Object[VarIntCoder.of().decode(in)];
      for (int i = 0; i < values.length; i++) {
        int tag = in.read();
        switch (tag) {
          case 0:
            values[i] = null;
            break;
          case 1:
            values[i] = VarIntCoder.of().decode(in);
            break;
          case 2:
            values[i] = VarLongCoder.of().decode(in);
            break;
          case 3:
            values[i] = StringUtf8Coder.of().decode(in);
            break;
          default:
            throw new IOException("not a partition value: " + tag);
        }
      }
      long recordCount = VarLongCoder.of().decode(in);
      long size = VarLongCoder.of().decode(in);
      Map<Integer, Long> columnSizes = decodeCounts(in);
      Map<Integer, Long> valueCounts = decodeCounts(in);
      Map<Integer, Long> nullValueCounts = decodeCounts(in);
      Map<Integer, Long> nanValueCounts = decodeCounts(in);
      Map<Integer, ByteBuffer> lowerBounds = decodeBounds(in);
      Map<Integer, ByteBuffer> upperBounds = decodeBounds(in);
      int splits = VarIntCoder.of().decode(in);
      List<Long> splitOffsets = null;
      if (splits >= 0) {
        splitOffsets = new ArrayList<>(splits);
        for (int i = 0; i < splits; i++) {
          splitOffsets.add(VarLongCoder.of().decode(in));
        }
      }
      return new StreamNote(
          writtenAfter, windowStart, windowEnd, table, null, null, path, format, values, recordCount, size, columnSizes,
          valueCounts, nullValueCounts, nanValueCounts, lowerBounds, upperBounds, splitOffsets);
    }

    private static void encodeCounts(Map<Integer, Long> counts, OutputStream out) throws IOException {
      if (counts == null) {
        VarIntCoder.of().encode(-1, out);
        return;
      }
      VarIntCoder.of().encode(counts.size(), out);
      for (Map.Entry<Integer, Long> e : new TreeMap<>(counts).entrySet()) {
        VarIntCoder.of().encode(e.getKey(), out);
        VarLongCoder.of().encode(e.getValue(), out);
      }
    }

    private static Map<Integer, Long> decodeCounts(InputStream in) throws IOException {
      int n = VarIntCoder.of().decode(in);
      if (n < 0) {
        return null;
      }
      Map<Integer, Long> counts = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        counts.put(VarIntCoder.of().decode(in), VarLongCoder.of().decode(in));
      }
      return counts;
    }

    private static void encodeBounds(Map<Integer, ByteBuffer> bounds, OutputStream out) throws IOException {
      if (bounds == null) {
        VarIntCoder.of().encode(-1, out);
        return;
      }
      VarIntCoder.of().encode(bounds.size(), out);
      for (Map.Entry<Integer, ByteBuffer> e : new TreeMap<>(bounds).entrySet()) {
        VarIntCoder.of().encode(e.getKey(), out);
        ByteBuffer value = e.getValue().duplicate();
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        VarIntCoder.of().encode(bytes.length, out);
        out.write(bytes);
      }
    }

    private static Map<Integer, ByteBuffer> decodeBounds(InputStream in) throws IOException {
      int n = VarIntCoder.of().decode(in);
      if (n < 0) {
        return null;
      }
      Map<Integer, ByteBuffer> bounds = new TreeMap<>();
      DataInputStream data = new DataInputStream(in);
      for (int i = 0; i < n; i++) {
        int key = VarIntCoder.of().decode(in);
        byte[] bytes = new byte[VarIntCoder.of().decode(in)];
        data.readFully(bytes);
        bounds.put(key, ByteBuffer.wrap(bytes));
      }
      return bounds;
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Sorted, disjoint {@code [start, end)} offset pairs, each bound as a delta from the previous. */
  public static final class Ranges extends CustomCoder<long[]> {
    private static final Ranges INSTANCE = new Ranges();

    public static Ranges of() {
      return INSTANCE;
    }

    @Override
    public void encode(long[] ranges, OutputStream out) throws IOException {
      VarIntCoder.of().encode(ranges.length, out);
      long previous = 0;
      for (long bound : ranges) {
        VarLongCoder.of().encode(bound - previous, out);
        previous = bound;
      }
    }

    @Override
    public long[] decode(InputStream in) throws IOException {
      long[] ranges = new long[VarIntCoder.of().decode(in)];
      long previous = 0;
      for (int i = 0; i < ranges.length; i++) {
        ranges[i] = previous + VarLongCoder.of().decode(in);
        previous = ranges[i];
      }
      return ranges;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
