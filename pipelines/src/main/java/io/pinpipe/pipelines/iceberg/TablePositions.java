package io.pinpipe.pipelines.iceberg;

import io.pinpipe.pipelines.io.kafka.OffsetRanges;
import io.pinpipe.pipelines.io.kinesis.KinesisOrigins;
import io.pinpipe.pipelines.io.kinesis.ShardAnchor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The streaming tables' commit step's bookkeeping (docs/iceberg.md#streaming): per Kafka
 * partition the position the tables hold everything below, and the windows written but not yet
 * committed with their offsets and files. {@link #plan} computes what a commit may add:
 *
 * <ol>
 *   <li>per partition, the first offset from the position on that is neither in a written window
 *       (its watermark passed its end plus the allowed lateness) nor otherwise handled (a window
 *       already committed, whose late records Beam dropped; an offset no record holds);
 *   <li>a written window with an offset at or above that position in any partition cannot be
 *       committed, and lowers every partition's position to its lowest offset there; repeated
 *       until nothing changes (windows span partitions);
 *   <li>the written windows left are committed, each position moves to its new value: every offset
 *       below it is in a committed window (or handled), no committed window has one above.
 * </ol>
 *
 * Offsets below a partition's position when they arrive (read again after a restart) are not
 * tracked: the tables hold them.
 *
 * <p>A Kinesis shard's positions are ordinals ({@code io.pinpipe.pipelines.io.kinesis.ShardOrdinals});
 * each commit also records, per shard, an anchor: a record read with an ordinal below the new
 * position (the highest known), which a restart numbers the shard's records after. The anchors
 * come from the windows' anchor notes ({@link StreamNote#anchor}); a shard's position does not move
 * above 0 before one is known (docs/iceberg.md#streaming-from-kinesis).
 *
 * <p>The commit step does not keep this object in its state: it keeps the positions, the handled
 * ranges and each note as entries of their own ({@link CommitStreamTables}), so that a note costs
 * the state its own size, and builds this object from them ({@link #restore}) only to plan a
 * commit.
 */
public final class TablePositions {

  /** Per partition: every offset below it is in the tables (or needs no row). */
  private final TreeMap<String, Long> position = new TreeMap<>();
  /** Per partition: offsets at or above the position that need nothing more, as [start, end). */
  private final TreeMap<String, TreeMap<Long, Long>> handled = new TreeMap<>();
  /** Windows not committed yet, by written-after time. */
  private final TreeMap<Long, Window> pending = new TreeMap<>();
  /** Per Kinesis shard: a record below its position, the highest known. */
  private final TreeMap<String, ShardAnchor> anchor = new TreeMap<>();
  private long watermark = Long.MIN_VALUE;

  /** One window's offsets per partition and its files, until committed. */
  static final class Window {
    final long writtenAfter;
    long start = Long.MIN_VALUE;
    long end = Long.MIN_VALUE;
    final TreeMap<String, TreeMap<Long, Long>> offsets = new TreeMap<>();
    final List<StreamNote> files = new ArrayList<>();
    /** Per Kinesis shard, the record of the highest ordinal in the window. */
    final TreeMap<String, ShardAnchor> anchors = new TreeMap<>();

    Window(long writtenAfter) {
      this.writtenAfter = writtenAfter;
    }

    long min(String partition) {
      TreeMap<Long, Long> ranges = offsets.get(partition);
      return ranges == null || ranges.isEmpty() ? Long.MAX_VALUE : ranges.firstKey();
    }

    long maxExclusive(String partition) {
      TreeMap<Long, Long> ranges = offsets.get(partition);
      return ranges == null || ranges.isEmpty() ? Long.MIN_VALUE : ranges.lastEntry().getValue();
    }
  }

  /**
   * What one commit adds: per partition {@code from} (the old position) and {@code to}, windows,
   * and per Kinesis shard the anchor to record (below {@code to}).
   */
  public static final class Plan {
    public final Map<String, Long> from;
    public final Map<String, Long> to;
    public final Map<String, ShardAnchor> anchors;
    final List<Window> windows;

    Plan(Map<String, Long> from, Map<String, Long> to, Map<String, ShardAnchor> anchors, List<Window> windows) {
      this.from = from;
      this.to = to;
      this.anchors = anchors;
      this.windows = windows;
    }

    /** Whether the commit changes anything: a position moves or a window is committed. */
    public boolean isEmpty() {
      return windows.isEmpty() && from.equals(to);
    }

    /** The committed windows' written-after times, in order. */
    public List<Long> windowTimes() {
      List<Long> times = new ArrayList<>();
      windows.forEach(w -> times.add(w.writtenAfter));
      return times;
    }
  }

  /** The broker's first offset at or after one, to pass over offsets no record holds. */
  public interface Gaps {
    /** The first offset at or after {@code offset} that holds a record, if the broker says. */
    OptionalLong firstRecordAtOrAfter(String partition, long offset);
  }

  /** Positions where this run starts: the tables hold every offset below them. */
  public TablePositions(Map<String, Long> starts) {
    this(starts, Map.of());
  }

  /** With the Kinesis shards' anchors, each below its shard's start. */
  public TablePositions(Map<String, Long> starts, Map<String, ShardAnchor> anchors) {
    position.putAll(starts);
    anchor.putAll(anchors);
  }

  /**
   * The bookkeeping the commit step keeps as separate entries: {@code notes} as {@link #add} took
   * them (offsets already raised to the position they arrived at), and the watermark after them (a
   * window the watermark passed before all its notes arrived is pending as it was).
   */
  static TablePositions restore(
      Map<String, Long> positions, Map<String, long[]> handled, Iterable<StreamNote> notes, long watermark) {
    return restore(positions, Map.of(), handled, notes, watermark);
  }

  /** {@link #restore} with the Kinesis shards' anchors. */
  static TablePositions restore(
      Map<String, Long> positions,
      Map<String, ShardAnchor> anchors,
      Map<String, long[]> handled,
      Iterable<StreamNote> notes,
      long watermark) {
    TablePositions restored = new TablePositions(positions, anchors);
    handled.forEach(
        (p, ranges) -> {
          TreeMap<Long, Long> to = restored.handled.computeIfAbsent(p, k -> new TreeMap<>());
          for (int i = 0; i < ranges.length; i += 2) {
            OffsetRanges.add(to, ranges[i], ranges[i + 1]);
          }
        });
    for (StreamNote note : notes) {
      restored.add(note);
    }
    restored.watermark(watermark);
    return restored;
  }

  /** Per partition, the offsets at or above its position that need nothing more, as [start, end) pairs. */
  Map<String, long[]> handled() {
    Map<String, long[]> out = new TreeMap<>();
    handled.forEach(
        (p, ranges) -> {
          if (!ranges.isEmpty()) {
            out.put(p, OffsetRanges.toPairs(ranges));
          }
        });
    return out;
  }

  /**
   * The notes of the windows not committed yet, the offsets of each window merged into one note a
   * partition: what the commit step keeps after a commit ({@link #restore} takes them back).
   */
  List<StreamNote> pendingNotes() {
    List<StreamNote> notes = new ArrayList<>();
    for (Window w : pending.values()) {
      notes.addAll(w.files);
      w.offsets.forEach((p, ranges) -> notes.add(StreamNote.offsets(p, w.writtenAfter, OffsetRanges.toPairs(ranges))));
      w.anchors.forEach((p, a) -> notes.add(StreamNote.anchor(p, w.writtenAfter, a)));
    }
    return notes;
  }

  /** The written-after times of the windows not committed yet. */
  java.util.NavigableSet<Long> pendingTimes() {
    return pending.navigableKeySet();
  }

  public long position(String partition) {
    return position.getOrDefault(partition, 0L);
  }

  public Map<String, Long> positions() {
    return new TreeMap<>(position);
  }

  /** Per Kinesis shard, the anchor below its position (none for a shard not past 0). */
  public Map<String, ShardAnchor> anchors() {
    return new TreeMap<>(anchor);
  }

  public int pendingWindows() {
    return pending.size();
  }

  /** The earliest written-after time of a window not yet written, if any (for a timer). */
  public OptionalLong nextWindowWritten() {
    for (Window w : pending.values()) {
      if (w.writtenAfter >= watermark) {
        return OptionalLong.of(w.writtenAfter);
      }
    }
    return OptionalLong.empty();
  }

  /** Adds a note: a data file of a window, offsets of a partition in a window, or a shard's anchor. */
  public void add(StreamNote note) {
    if (note.isAnchor()) {
      addAnchor(note.partition, note.writtenAfter, note.anchor);
    } else if (note.isFile()) {
      Window window = pending.computeIfAbsent(note.writtenAfter, Window::new);
      window.files.add(note);
      window.start = note.windowStart;
      window.end = note.windowEnd;
    } else {
      addOffsets(note.partition, note.writtenAfter, note.ranges);
    }
  }

  /** Offsets {@code ranges} ([start, end) pairs) of {@code partition} that went into a window. */
  public void addOffsets(String partition, long writtenAfter, long[] ranges) {
    long from = position.computeIfAbsent(partition, p -> 0L);
    Window window = pending.get(writtenAfter);
    if (window == null && writtenAfter < watermark) {
      // The window was committed (or never had a pane): these records came too late and Beam
      // dropped them; a restart would drop them again.
      for (int i = 0; i < ranges.length; i += 2) {
        OffsetRanges.add(handled.computeIfAbsent(partition, p -> new TreeMap<>()), Math.max(from, ranges[i]), ranges[i + 1]);
      }
      return;
    }
    if (window == null) {
      window = new Window(writtenAfter);
      pending.put(writtenAfter, window);
    }
    for (int i = 0; i < ranges.length; i += 2) {
      OffsetRanges.add(window.offsets.computeIfAbsent(partition, p -> new TreeMap<>()), Math.max(from, ranges[i]), ranges[i + 1]);
    }
  }

  /**
   * A record of a Kinesis shard read into a window: a candidate anchor. One of a window already
   * committed (its records came too late) is not kept: the committed anchors suffice.
   */
  public void addAnchor(String shard, long writtenAfter, ShardAnchor record) {
    Window window = pending.get(writtenAfter);
    if (window == null && writtenAfter < watermark) {
      return;
    }
    if (window == null) {
      window = new Window(writtenAfter);
      pending.put(writtenAfter, window);
    }
    window.anchors.merge(shard, record, (a, b) -> a.ordinal >= b.ordinal ? a : b);
  }

  /** The watermark after every writer has reached {@code time}: windows written before it count. */
  public void watermark(long time) {
    watermark = Math.max(watermark, time);
  }

  private boolean written(Window w) {
    return w.writtenAfter < watermark;
  }

  /** What a commit now may add (see the class comment); changes nothing but skipped gaps. */
  public Plan plan(Gaps gaps) {
    TreeSet<String> partitions = new TreeSet<>(position.keySet());
    Map<String, Long> to = new TreeMap<>();
    for (String p : partitions) {
      TreeMap<Long, Long> covered = new TreeMap<>(handled.getOrDefault(p, new TreeMap<>()));
      for (Window w : pending.values()) {
        if (written(w) && w.offsets.containsKey(p)) {
          w.offsets.get(p).forEach((s, e) -> OffsetRanges.add(covered, s, e));
        }
      }
      long next = firstUncovered(covered, position.get(p));
      // Offsets missing below covered ones: records on their way, or offsets no record holds.
      while (gaps != null && covered.ceilingKey(next) != null) {
        OptionalLong found = gaps.firstRecordAtOrAfter(p, next);
        if (found.isEmpty() || found.getAsLong() <= next) {
          break;
        }
        long end = Math.min(found.getAsLong(), covered.ceilingKey(next));
        OffsetRanges.add(handled.computeIfAbsent(p, k -> new TreeMap<>()), next, end);
        OffsetRanges.add(covered, next, end);
        next = firstUncovered(covered, next);
      }
      to.put(p, next);
    }
    List<Window> blocked = new ArrayList<>();
    while (true) {
      block(to, blocked);
      List<Window> windows = new ArrayList<>();
      for (Window w : pending.values()) {
        if (written(w) && !blocked.contains(w)) {
          windows.add(w);
        }
      }
      // A Kinesis shard's position moves only with an anchor below it: a restart numbers the
      // shard's records from an anchor.
      Map<String, ShardAnchor> anchors = new TreeMap<>();
      boolean held = false;
      for (Map.Entry<String, Long> p : to.entrySet()) {
        if (!KinesisOrigins.isShardKey(p.getKey())) {
          continue;
        }
        ShardAnchor best = bestAnchor(p.getKey(), p.getValue());
        if (best != null) {
          anchors.put(p.getKey(), best);
        } else if (p.getValue() > position.get(p.getKey())) {
          p.setValue(position.get(p.getKey()));
          held = true;
        }
      }
      if (!held) {
        return new Plan(new TreeMap<>(position), to, anchors, windows);
      }
    }
  }

  /**
   * The highest-numbered record of {@code shard} known below {@code limit}: the anchor already
   * recorded, or one of any window not committed yet (a record read is a fact of the numbering,
   * whichever window it went into).
   */
  private ShardAnchor bestAnchor(String shard, long limit) {
    ShardAnchor best = anchor.get(shard);
    if (best != null && best.ordinal >= limit) {
      best = null;
    }
    for (Window w : pending.values()) {
      ShardAnchor a = w.anchors.get(shard);
      if (a != null && a.ordinal < limit && (best == null || a.ordinal > best.ordinal)) {
        best = a;
      }
    }
    return best;
  }

  /** Lowers {@code to} below every written window with an offset at or above it, blocking those. */
  private void block(Map<String, Long> to, List<Window> blocked) {
    boolean changed = true;
    while (changed) {
      changed = false;
      for (Window w : pending.values()) {
        if (!written(w) || blocked.contains(w)) {
          continue;
        }
        boolean above = false;
        for (String p : w.offsets.keySet()) {
          if (w.maxExclusive(p) > to.get(p)) {
            above = true;
          }
        }
        if (above) {
          blocked.add(w);
          for (String p : w.offsets.keySet()) {
            to.put(p, Math.min(to.get(p), w.min(p)));
          }
          changed = true;
        }
      }
    }
  }

  /** The plan was committed to every table: positions move, its windows are done. */
  public void committed(Plan plan) {
    for (Window w : plan.windows) {
      pending.remove(w.writtenAfter);
    }
    anchor.putAll(plan.anchors);
    plan.to.forEach(
        (p, next) -> {
          position.put(p, Math.max(position.getOrDefault(p, 0L), next));
          TreeMap<Long, Long> ranges = handled.get(p);
          if (ranges != null) {
            long at = position.get(p);
            for (Iterator<Map.Entry<Long, Long>> it = ranges.entrySet().iterator(); it.hasNext(); ) {
              Map.Entry<Long, Long> r = it.next();
              if (r.getValue() <= at) {
                it.remove();
              }
            }
          }
        });
  }

  private static long firstUncovered(TreeMap<Long, Long> covered, long from) {
    long next = from;
    Map.Entry<Long, Long> range = covered.floorEntry(next);
    while (range != null && range.getValue() > next) {
      next = range.getValue();
      range = covered.floorEntry(next);
    }
    return next;
  }

  @Override
  public String toString() {
    return "TablePositions{position " + position + ", handled " + handled + ", pending " + pending.keySet() + ", watermark " + watermark + "}";
  }

  /** Windows by written-after time with their start (for the result tables). */
  static Map<Long, long[]> bounds(List<Window> windows) {
    Map<Long, long[]> bounds = new LinkedHashMap<>();
    windows.forEach(w -> bounds.put(w.writtenAfter, new long[] {w.start, w.end}));
    return bounds;
  }
}
