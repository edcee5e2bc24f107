package io.pinpipe.transforms.assemble;

import io.pinpipe.transforms.clean.RowNumberBuckets;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.Timer;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Streaming only (docs/streaming.md#assembly-when-a-posts-records-move-on):
 * holds each post's records until its pin, geo and user record have
 * all arrived, then lets them go on together, stamped with the event time of the latest of them,
 * so the three always fall into the same window and the pairwise joins find each other. A post
 * still incomplete when the event-time watermark passes its first record's time plus {@code
 * maxWait} is let go as it is and counted as incomplete: its records are cleaned and written like
 * any other, and a pin whose user record never comes still counts in the pin-geo queries.
 *
 * <p>Assembly only decides when records are emitted; it never drops, merges or changes one.
 * Resent copies travel with their post (cleaning removes them). A completed post is remembered for
 * {@code maxWait} more, so a resent record arriving after its post completed goes straight on
 * (counted as {@link #LATE_RESENDS}) instead of waiting as a new post that can never complete. A
 * record without a readable row number cannot be assembled and passes straight through, to be
 * dead-lettered by the parser. A part that arrives after an incomplete post was let go starts a
 * new post, which waits and is counted incomplete in its turn.
 *
 * <h3>Per pack, not per record</h3>
 *
 * A runner pays per element and per state access, so assembly reads packs of records (keyed by
 * {@link RowNumberBuckets row-number bucket}, each record with its event time, {@link
 * RecordPack#timed()}) and releases packs: per bundle, one pack per window and bucket of the
 * records it let go, each record counted read there ({@link RecordPack#countRead}), with the
 * window's end as timestamp, so a window step after it puts each pack in the window of its posts.
 * A bucket's posts are one state value, with ONE event-time timer per bucket, set at the earliest
 * deadline among them and holding the watermark at the earliest time a waiting post will be
 * released with, so windows downstream do not close under a waiting post (exactly the holds of a
 * timer per post, which this replaced).
 */
public final class AssemblePosts
    extends PTransform<PCollection<KV<Integer, RecordPack>>, PCollectionTuple> {

  /** Released records, packed per window and bucket, at their window's end. */
  public static final TupleTag<KV<Integer, RecordPack>> PACKS =
      new TupleTag<KV<Integer, RecordPack>>("assembled-packs") {};

  /** Counts under {@code posts|<measure>}, see {@link #COMPLETE} etc., summed per bundle and window. */
  public static final TupleTag<KV<String, Long>> METRICS = new TupleTag<KV<String, Long>>("post-counts") {};

  public static final String METRIC_PREFIX = "posts|";
  /** Posts whose three records all arrived within the wait. */
  public static final String COMPLETE = "complete";
  /** Posts let go without all three records. */
  public static final String INCOMPLETE = "incomplete";
  /** Records of an already completed post, released at once. */
  public static final String LATE_RESENDS = "late_resends";
  /** Per kind: incomplete posts that lacked it, {@code missing_pin} etc. */
  public static final String MISSING = "missing_";

  private static final RecordKind[] KINDS = RecordKind.values();
  private static final int ALL_KINDS = (1 << KINDS.length) - 1;

  private final Duration maxWait;
  private final WindowFn<?, ?> windows;
  private final PackLimits limits;

  private AssemblePosts(Duration maxWait, WindowFn<?, ?> windows, PackLimits limits) {
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    this.windows = Objects.requireNonNull(windows, "windows");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Assembly that lets an incomplete post go {@code maxWait} of event time after its first record,
   * packing what it releases per window of {@code windows} (which must give each time one window)
   * within {@code limits}.
   */
  public static AssemblePosts waitingAtMost(Duration maxWait, WindowFn<?, ?> windows, PackLimits limits) {
    return new AssemblePosts(maxWait, windows, limits);
  }

  @Override
  public PCollectionTuple expand(PCollection<KV<Integer, RecordPack>> packs) {
    PCollectionTuple assembled =
        packs.apply(
            "WaitForAllThreeRecords",
            ParDo.of(new AssembleFn(maxWait, windows, limits)).withOutputTags(PACKS, TupleTagList.of(METRICS)));
    assembled.get(PACKS).setCoder(KvCoder.of(VarIntCoder.of(), RecordPack.Coder.of()));
    assembled.get(METRICS).setCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()));
    return assembled;
  }

  /** The waiting room of each bucket: its posts in one value, and one deadline timer. */
  static final class AssembleFn extends DoFn<KV<Integer, RecordPack>, KV<Integer, RecordPack>> {
    private final long maxWait;
    @SuppressWarnings("rawtypes")
    private final WindowFn windows;
    private final PackLimits limits;

    @StateId("posts")
    private final StateSpec<ValueState<Bucket>> posts = StateSpecs.value(Bucket.Coder.INSTANCE);

    @TimerId("deadline")
    private final TimerSpec deadline = TimerSpecs.timer(TimeDomain.EVENT_TIME);

    // What this bundle released, per window and bucket, and its counts per window.
    private transient Map<BoundedWindow, Map<Integer, RecordPack>> released;
    private transient Map<BoundedWindow, Map<String, Long>> counts;

    AssembleFn(Duration maxWait, WindowFn<?, ?> windows, PackLimits limits) {
      this.maxWait = maxWait.getMillis();
      this.windows = windows;
      this.limits = limits;
    }

    /**
     * Records leave at their post's latest time, and the timer's hold is the earliest waiting post's
     * latest time, both possibly before the pack at hand (which is stamped with its earliest record):
     * never before the hold already set, so nothing becomes late that was not.
     */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return Duration.millis(Long.MAX_VALUE);
    }

    @StartBundle
    public void startBundle() {
      released = new HashMap<>();
      counts = new HashMap<>();
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, RecordPack> element,
        @StateId("posts") ValueState<Bucket> state,
        @TimerId("deadline") Timer timer,
        MultiOutputReceiver out) {
      int bucket = element.getKey();
      RecordPack pack = element.getValue();
      Bucket waiting = state.read();
      if (waiting == null) {
        waiting = new Bucket();
      }
      for (int i = 0; i < pack.size(); i++) {
        RecordKind kind = pack.kind(i);
        long time = pack.time(i);
        Part part = new Part(kind, pack.originPrefix(i), pack.originNumber(i), pack.payload(i), time);
        // The row number as RowNumbers read it where the record was packed (RecordPack).
        if (!pack.hasRowNumber(i)) {
          // Cannot be assembled: straight on, to be dead-lettered by the parser.
          release(bucket, part, time, out);
        } else {
          add(bucket, waiting, pack.rowNumber(i), part, out);
        }
      }
      reschedule(waiting, state, timer);
    }

    @OnTimer("deadline")
    public void onDeadline(
        @Key Integer bucket,
        OnTimerContext context,
        @StateId("posts") ValueState<Bucket> state,
        @TimerId("deadline") Timer timer,
        MultiOutputReceiver out) {
      Bucket waiting = state.read();
      if (waiting == null) {
        return;
      }
      long now = context.fireTimestamp().getMillis();
      for (Entry due = waiting.nextDeadline(); due != null && due.at <= now; due = waiting.nextDeadline()) {
        waiting.deadlines.poll();
        PendingPost post = waiting.posts.remove(due.row);
        if (post.parts == null) {
          continue; // a completed post, remembered long enough
        }
        for (Part part : post.parts) {
          release(bucket, part, post.latest, out);
        }
        count(INCOMPLETE, post.latest);
        for (RecordKind kind : KINDS) {
          if ((post.kinds & (1 << kind.ordinal())) == 0) {
            count(MISSING + kind.id(), post.latest);
          }
        }
      }
      reschedule(waiting, state, timer);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      released.forEach(
          (window, packs) ->
              packs.forEach(
                  (bucket, pack) ->
                      context.output(PACKS, KV.of(bucket, pack), window.maxTimestamp(), GlobalWindow.INSTANCE)));
      counts.forEach(
          (window, byKey) ->
              byKey.forEach(
                  (key, n) ->
                      context.output(METRICS, KV.of(METRIC_PREFIX + key, n), window.maxTimestamp(), GlobalWindow.INSTANCE)));
      released = null;
      counts = null;
    }

    private void add(int bucket, Bucket waiting, long rowNumber, Part part, MultiOutputReceiver out) {
      PendingPost post = waiting.posts.get(rowNumber);
      if (post != null && post.parts == null) {
        // The post completed a moment ago: this is a resent copy, and nothing will join it.
        release(bucket, part, part.time, out);
        count(LATE_RESENDS, part.time);
        return;
      }
      if (post == null) {
        post = new PendingPost(part.time);
        waiting.posts.put(rowNumber, post);
      }
      post.add(part);
      if (post.kinds == ALL_KINDS) {
        for (Part p : post.parts) {
          release(bucket, p, post.latest, out);
        }
        count(COMPLETE, post.latest);
        // Remembered, empty, until the wait has passed once more; a completed post holds no
        // watermark (its deadline is its firing time).
        post.parts = null;
        post.deadline = post.latest + maxWait;
      } else {
        post.deadline = Math.max(post.earliest + maxWait, post.latest);
        waiting.holds.add(new Entry(post.latest, rowNumber));
      }
      waiting.deadlines.add(new Entry(post.deadline, rowNumber));
    }

    /** Sets the one timer at the earliest deadline, holding the watermark at the earliest release. */
    private static void reschedule(Bucket waiting, ValueState<Bucket> state, Timer timer) {
      Entry next = waiting.nextDeadline();
      if (next == null) {
        waiting.holds.clear();
        state.clear();
        timer.clear();
        return;
      }
      Entry hold = waiting.nextHold();
      long holdAt = hold == null ? next.at : Math.min(hold.at, next.at);
      timer.withOutputTimestamp(new Instant(holdAt)).set(new Instant(next.at));
      state.write(waiting);
    }

    private void release(int bucket, Part part, long at, MultiOutputReceiver out) {
      BoundedWindow window = windowOf(at);
      Map<Integer, RecordPack> packs = released.computeIfAbsent(window, w -> new HashMap<>());
      RecordPack pack = packs.computeIfAbsent(bucket, b -> new RecordPack());
      pack.countRead(part.kind);
      pack.add(part.kind, part.prefix, part.number, part.payload);
      if (limits.full(pack.size(), pack.bytes())) {
        packs.remove(bucket);
        // Into the input's (global) window, at the window's end: the window step assigns it.
        out.get(PACKS).outputWithTimestamp(KV.of(bucket, pack), window.maxTimestamp());
      }
    }

    private void count(String key, long at) {
      counts.computeIfAbsent(windowOf(at), w -> new HashMap<>()).merge(key, 1L, Long::sum);
    }

    @SuppressWarnings("unchecked")
    private BoundedWindow windowOf(long millis) {
      Instant at = new Instant(millis);
      Collection<? extends BoundedWindow> assigned;
      try {
        assigned =
            windows.assignWindows(
                windows.new AssignContext() {
                  @Override
                  public Object element() {
                    throw new UnsupportedOperationException("assembly assigns windows by time only");
                  }

                  @Override
                  public Instant timestamp() {
                    return at;
                  }

                  @Override
                  public BoundedWindow window() {
                    return GlobalWindow.INSTANCE;
                  }
                });
      } catch (Exception e) {
        throw new IllegalStateException("cannot assign a window to " + at, e);
      }
      if (assigned.size() != 1) {
        throw new IllegalStateException("assembly needs one window per time, got " + assigned + " for " + at);
      }
      return assigned.iterator().next();
    }
  }

  /** A record held, its origin split as in {@link RecordPack}. */
  static final class Part {
    final RecordKind kind;
    final String prefix;
    final long number;
    final byte[] payload;
    final long time;

    Part(RecordKind kind, String prefix, long number, byte[] payload, long time) {
      this.kind = kind;
      this.prefix = prefix;
      this.number = number;
      this.payload = payload;
      this.time = time;
    }
  }

  /** A post waiting for its records, or completed ({@code parts == null}) and remembered. */
  static final class PendingPost {
    List<Part> parts = new ArrayList<>(3);
    int kinds;
    long earliest;
    long latest;
    long deadline;

    PendingPost(long time) {
      earliest = time;
      latest = time;
    }

    void add(Part part) {
      parts.add(part);
      kinds |= 1 << part.kind.ordinal();
      earliest = Math.min(earliest, part.time);
      latest = Math.max(latest, part.time);
    }
  }

  /** A time and the row number it is for, in the bucket's queues. */
  static final class Entry {
    final long at;
    final long row;

    Entry(long at, long row) {
      this.at = at;
      this.row = row;
    }
  }

  /**
   * A bucket's posts by row number, with two queues kept lazily (an entry whose post has gone or
   * moved on is dropped when it comes first): deadlines of every post, and the latest times of
   * waiting posts, the watermark hold.
   */
  static final class Bucket {
    final Map<Long, PendingPost> posts = new HashMap<>();
    final PriorityQueue<Entry> deadlines = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));
    final PriorityQueue<Entry> holds = new PriorityQueue<>((a, b) -> Long.compare(a.at, b.at));

    Entry nextDeadline() {
      for (Entry e = deadlines.peek(); e != null; e = deadlines.peek()) {
        PendingPost post = posts.get(e.row);
        if (post != null && post.deadline == e.at) {
          return e;
        }
        deadlines.poll();
      }
      return null;
    }

    Entry nextHold() {
      for (Entry e = holds.peek(); e != null; e = holds.peek()) {
        PendingPost post = posts.get(e.row);
        if (post != null && post.parts != null && post.latest == e.at) {
          return e;
        }
        holds.poll();
      }
      return null;
    }

    /** The posts; the queues are rebuilt from them. */
    static final class Coder extends CustomCoder<Bucket> {
      static final Coder INSTANCE = new Coder();

      @Override
      public void encode(Bucket bucket, OutputStream out) throws IOException {
        VarIntCoder.of().encode(bucket.posts.size(), out);
        for (Map.Entry<Long, PendingPost> entry : bucket.posts.entrySet()) {
          PendingPost post = entry.getValue();
          VarLongCoder.of().encode(entry.getKey(), out);
          VarLongCoder.of().encode(post.earliest, out);
          VarLongCoder.of().encode(post.latest, out);
          VarLongCoder.of().encode(post.deadline, out);
          VarIntCoder.of().encode(post.kinds, out);
          VarIntCoder.of().encode(post.parts == null ? -1 : post.parts.size(), out);
          if (post.parts != null) {
            for (Part part : post.parts) {
              out.write(part.kind.ordinal());
              StringUtf8Coder.of().encode(part.prefix, out);
              VarLongCoder.of().encode(part.number + 1, out);
              ByteArrayCoder.of().encode(part.payload, out);
              VarLongCoder.of().encode(part.time, out);
            }
          }
        }
      }

      @Override
      public Bucket decode(InputStream in) throws IOException {
        Bucket bucket = new Bucket();
        int posts = VarIntCoder.of().decode(in);
        for (int p = 0; p < posts; p++) {
          long row = VarLongCoder.of().decode(in);
          PendingPost post = new PendingPost(VarLongCoder.of().decode(in));
          post.latest = VarLongCoder.of().decode(in);
          post.deadline = VarLongCoder.of().decode(in);
          post.kinds = VarIntCoder.of().decode(in);
          int parts = VarIntCoder.of().decode(in);
          if (parts < 0) {
            post.parts = null;
          } else {
            for (int i = 0; i < parts; i++) {
              int kind = in.read();
              if (kind < 0 || kind >= KINDS.length) {
                throw new IOException("corrupt assembly state: kind " + kind);
              }
              post.parts.add(
                  new Part(
                      KINDS[kind],
                      StringUtf8Coder.of().decode(in),
                      VarLongCoder.of().decode(in) - 1,
                      ByteArrayCoder.of().decode(in),
                      VarLongCoder.of().decode(in)));
            }
            bucket.holds.add(new Entry(post.latest, row));
          }
          bucket.posts.put(row, post);
          bucket.deadlines.add(new Entry(post.deadline, row));
        }
        return bucket;
      }
    }
  }
}
