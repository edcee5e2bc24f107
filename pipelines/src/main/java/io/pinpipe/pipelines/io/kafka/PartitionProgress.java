package io.pinpipe.pipelines.io.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * What the streaming job knows of one partition's offsets (docs/streaming.md#restarts-what-resumes-where): the
 * offsets of each window still open, those of windows already written, and so the first offset not
 * yet in a written file, {@link #next()}, the only offset it may commit. An offset the job read but
 * has not reported yet (still in a read bundle, held by post assembly, on its way to its window)
 * is in neither set, so it stops {@code next} as an open window's offsets do.
 *
 * <p>A window counts as written once the watermark after every writer has passed its end plus the
 * allowed lateness ({@link WrittenOffsets#writtenAfter()}): its last pane, late ones included, is
 * then in its files. Offsets that no record holds (a transaction marker, a compacted or expired
 * range) would stop {@code next} for good; the committer looks them up and {@link #skip skips} them.
 */
final class PartitionProgress {
  private long next;
  private long committed;
  private long firedThrough = Long.MIN_VALUE;
  /** Open windows: written-after time to offset ranges (start to end, disjoint). */
  private final TreeMap<Long, TreeMap<Long, Long>> open = new TreeMap<>();
  /** Written offsets at or after {@code next}, start to end, disjoint and not adjacent. */
  private final TreeMap<Long, Long> written = new TreeMap<>();

  /**
   * A partition this run reads from {@code start}; {@code committed} is the group's offset when the
   * run started (-1 if none): commits never go below it.
   */
  PartitionProgress(long start, long committed) {
    this.next = start;
    this.committed = committed;
  }

  /** The first offset not yet known to be in a written file (or in no record at all). */
  long next() {
    return next;
  }

  /** The highest offset committed to the group (by this job or before it started); -1 if none. */
  long committed() {
    return committed;
  }

  /** True when {@link #next()} is above the group's offset, so committing it moves the group on. */
  boolean commitDue() {
    return next > committed;
  }

  void committed(long offset) {
    committed = Math.max(committed, offset);
  }

  /**
   * Adds one bundle's offsets of one window: open until the window is written, written at once if
   * the watermark has already passed its time (then every pane of that window has been written,
   * or these records came too late for the window and were dropped, which a restart would not
   * repair).
   */
  void add(WrittenOffsets offsets) {
    TreeMap<Long, Long> into =
        offsets.writtenAfter() < firedThrough
            ? written
            : open.computeIfAbsent(offsets.writtenAfter(), t -> new TreeMap<>());
    for (int r = 0; r < offsets.rangeCount(); r++) {
      OffsetRanges.add(into, offsets.start(r), offsets.end(r));
    }
    advance();
  }

  /** The watermark after the writers has reached {@code time}: windows written before it count. */
  void watermarkReached(long time) {
    firedThrough = Math.max(firedThrough, time);
    for (Iterator<Map.Entry<Long, TreeMap<Long, Long>>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, TreeMap<Long, Long>> window = it.next();
      if (window.getKey() >= firedThrough) {
        break;
      }
      window.getValue().forEach((start, end) -> OffsetRanges.add(written, start, end));
      it.remove();
    }
    advance();
  }

  /** When the earliest open window is written (a time the watermark must reach), if any is open. */
  OptionalLong nextWindowWritten() {
    return open.isEmpty() ? OptionalLong.empty() : OptionalLong.of(open.firstKey() + 1);
  }

  /**
   * The first written offset above a gap at {@link #next()}, if there is one: offsets are missing
   * there while later ones are written, which is either records still on their way or offsets no
   * record holds.
   */
  OptionalLong writtenAfterGap() {
    return written.isEmpty() ? OptionalLong.empty() : OptionalLong.of(written.firstKey());
  }

  /** No record holds the offsets from {@link #next()} up to {@code end}: they need no file. */
  void skip(long end) {
    OffsetRanges.add(written, next, end);
    advance();
  }

  private void advance() {
    while (!written.isEmpty() && written.firstKey() <= next) {
      Map.Entry<Long, Long> first = written.pollFirstEntry();
      next = Math.max(next, first.getValue());
    }
  }

  int openWindows() {
    return open.size();
  }

  @Override
  public String toString() {
    return "PartitionProgress{next " + next + ", committed " + committed + ", open " + open + ", written " + written + "}";
  }

  /** The progress as numbers: next, committed, watermark, open windows, written ranges. */
  static final class Coder extends CustomCoder<PartitionProgress> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(PartitionProgress p, OutputStream out) throws IOException {
      VarLongCoder.of().encode(p.next, out);
      VarLongCoder.of().encode(p.committed, out);
      VarLongCoder.of().encode(p.firedThrough, out);
      VarIntCoder.of().encode(p.open.size(), out);
      for (Map.Entry<Long, TreeMap<Long, Long>> window : p.open.entrySet()) {
        VarLongCoder.of().encode(window.getKey(), out);
        encodeRanges(window.getValue(), out);
      }
      encodeRanges(p.written, out);
    }

    @Override
    public PartitionProgress decode(InputStream in) throws IOException {
      PartitionProgress p = new PartitionProgress(VarLongCoder.of().decode(in), VarLongCoder.of().decode(in));
      p.firedThrough = VarLongCoder.of().decode(in);
      int windows = VarIntCoder.of().decode(in);
      for (int w = 0; w < windows; w++) {
        long time = VarLongCoder.of().decode(in);
        p.open.put(time, decodeRanges(in));
      }
      p.written.putAll(decodeRanges(in));
      return p;
    }

    private static void encodeRanges(TreeMap<Long, Long> ranges, OutputStream out) throws IOException {
      VarIntCoder.of().encode(ranges.size(), out);
      for (Map.Entry<Long, Long> range : ranges.entrySet()) {
        VarLongCoder.of().encode(range.getKey(), out);
        VarLongCoder.of().encode(range.getValue(), out);
      }
    }

    private static TreeMap<Long, Long> decodeRanges(InputStream in) throws IOException {
      TreeMap<Long, Long> ranges = new TreeMap<>();
      int count = VarIntCoder.of().decode(in);
      for (int r = 0; r < count; r++) {
        ranges.put(VarLongCoder.of().decode(in), VarLongCoder.of().decode(in));
      }
      return ranges;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
