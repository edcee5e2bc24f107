package io.pinpipe.transforms.assemble;

import io.pinpipe.transforms.clean.RowNumberBuckets;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.parse.RowNumbers;
import io.pinpipe.transforms.schema.RecordKind;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.state.MapState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.TimeDomain;
import org.apache.beam.sdk.state.TimerMap;
import org.apache.beam.sdk.state.TimerSpec;
import org.apache.beam.sdk.state.TimerSpecs;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Streaming only (docs/streaming.md): holds each post's records until its pin, geo and user record have
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
 * <p>State is kept per {@link RowNumberBuckets row-number bucket} with one event-time timer per
 * waiting post: grouping by the row number itself would make a key per event, which the direct
 * runner serves one bundle at a time. Each timer holds the watermark at its post's time, so
 * windows downstream do not close under a waiting post.
 */
public final class AssemblePosts extends PTransform<PCollectionTuple, PCollectionTuple> {

  /** Counts under {@code posts|<measure>}, see {@link #COMPLETE} etc. */
  public static final TupleTag<KV<String, Long>> METRICS = new TupleTag<KV<String, Long>>() {};

  public static final String METRIC_PREFIX = "posts|";
  /** Posts whose three records all arrived within the wait. */
  public static final String COMPLETE = "complete";
  /** Posts let go without all three records. */
  public static final String INCOMPLETE = "incomplete";
  /** Records of an already completed post, released at once. */
  public static final String LATE_RESENDS = "late_resends";
  /** Per kind: incomplete posts that lacked it, {@code missing_pin} etc. */
  public static final String MISSING = "missing_";

  private static final Map<RecordKind, TupleTag<RawRecord>> TAGS = new EnumMap<>(RecordKind.class);

  static {
    for (RecordKind kind : RecordKind.values()) {
      TAGS.put(kind, new TupleTag<>("raw-" + kind.id()));
    }
  }

  private static final int ALL_KINDS = (1 << RecordKind.values().length) - 1;

  private final Duration maxWait;

  private AssemblePosts(Duration maxWait) {
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
  }

  /** Assembly that lets an incomplete post go {@code maxWait} of event time after its first record. */
  public static AssemblePosts waitingAtMost(Duration maxWait) {
    return new AssemblePosts(maxWait);
  }

  /** The tag of one kind's raw records, in the input and in the output. */
  public static TupleTag<RawRecord> tag(RecordKind kind) {
    return TAGS.get(kind);
  }

  /** The input: each kind's raw records under {@link #tag(RecordKind)}. */
  public static PCollectionTuple inputs(Map<RecordKind, PCollection<RawRecord>> raw) {
    PCollectionTuple tuple = null;
    for (RecordKind kind : RecordKind.values()) {
      PCollection<RawRecord> records = Objects.requireNonNull(raw.get(kind), kind.id());
      tuple = tuple == null ? PCollectionTuple.of(tag(kind), records) : tuple.and(tag(kind), records);
    }
    return tuple;
  }

  @Override
  public PCollectionTuple expand(PCollectionTuple input) {
    Coder<RawRecord> rawCoder;
    try {
      rawCoder = input.getPipeline().getSchemaRegistry().getSchemaCoder(RawRecord.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    KvCoder<Integer, KV<Long, KV<Integer, RawRecord>>> routedCoder =
        KvCoder.of(VarIntCoder.of(), KvCoder.of(VarLongCoder.of(), KvCoder.of(VarIntCoder.of(), rawCoder)));

    TupleTag<KV<Integer, KV<Long, KV<Integer, RawRecord>>>> routed = new TupleTag<>() {};
    PCollectionList<KV<Integer, KV<Long, KV<Integer, RawRecord>>>> keyed =
        PCollectionList.empty(input.getPipeline());
    Map<RecordKind, PCollection<RawRecord>> unroutable = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      TupleTag<RawRecord> passThrough = new TupleTag<>() {};
      PCollectionTuple split =
          input
              .get(tag(kind))
              .apply(
                  "Key" + capitalized(kind.id()) + "sByRowNumber",
                  ParDo.of(new KeyByRowNumberFn(kind, routed, passThrough))
                      .withOutputTags(routed, TupleTagList.of(passThrough)));
      keyed = keyed.and(split.get(routed).setCoder(routedCoder));
      unroutable.put(kind, split.get(passThrough).setCoder(rawCoder));
    }

    TupleTagList others = TupleTagList.of(METRICS);
    for (RecordKind kind : RecordKind.values()) {
      if (kind != RecordKind.PIN) {
        others = others.and(tag(kind));
      }
    }
    PCollectionTuple assembled =
        keyed
            .apply("CollectRecordsOfAllKinds", Flatten.pCollections())
            .apply(
                "WaitForAllThreeRecords",
                ParDo.of(new AssembleFn(maxWait, rawCoder)).withOutputTags(tag(RecordKind.PIN), others));

    PCollectionTuple output = PCollectionTuple.of(METRICS, assembled.get(METRICS));
    for (RecordKind kind : RecordKind.values()) {
      PCollection<RawRecord> records =
          PCollectionList.of(assembled.get(tag(kind)).setCoder(rawCoder))
              .and(unroutable.get(kind))
              .apply("Release" + capitalized(kind.id()) + "s", Flatten.pCollections());
      output = output.and(tag(kind), records);
    }
    return output;
  }

  /** (bucket, (row number, (kind, record))), or straight on when the row number is unreadable. */
  static final class KeyByRowNumberFn
      extends DoFn<RawRecord, KV<Integer, KV<Long, KV<Integer, RawRecord>>>> {
    private final RecordKind kind;
    private final TupleTag<KV<Integer, KV<Long, KV<Integer, RawRecord>>>> routed;
    private final TupleTag<RawRecord> passThrough;

    KeyByRowNumberFn(
        RecordKind kind,
        TupleTag<KV<Integer, KV<Long, KV<Integer, RawRecord>>>> routed,
        TupleTag<RawRecord> passThrough) {
      this.kind = kind;
      this.routed = routed;
      this.passThrough = passThrough;
    }

    @ProcessElement
    public void process(@Element RawRecord record, MultiOutputReceiver out) {
      OptionalLong ind = RowNumbers.of(kind, record.payload);
      if (ind.isEmpty()) {
        out.get(passThrough).output(record);
        return;
      }
      long rowNumber = ind.getAsLong();
      out.get(routed)
          .output(KV.of(RowNumberBuckets.of(rowNumber), KV.of(rowNumber, KV.of(kind.ordinal(), record))));
    }
  }

  /** The waiting room: a post's records by row number, and a deadline timer per waiting post. */
  static final class AssembleFn extends DoFn<KV<Integer, KV<Long, KV<Integer, RawRecord>>>, RawRecord> {
    private final Duration maxWait;

    @StateId("waiting")
    private final StateSpec<MapState<Long, List<TimestampedValue<KV<Integer, RawRecord>>>>> waiting;

    @TimerFamily("deadline")
    private final TimerSpec deadline = TimerSpecs.timerMap(TimeDomain.EVENT_TIME);

    AssembleFn(Duration maxWait, Coder<RawRecord> rawCoder) {
      this.maxWait = maxWait;
      this.waiting =
          StateSpecs.map(
              VarLongCoder.of(),
              ListCoder.of(
                  TimestampedValue.TimestampedValueCoder.of(KvCoder.of(VarIntCoder.of(), rawCoder))));
    }

    @ProcessElement
    public void process(
        @Element KV<Integer, KV<Long, KV<Integer, RawRecord>>> element,
        @Timestamp Instant timestamp,
        @StateId("waiting") MapState<Long, List<TimestampedValue<KV<Integer, RawRecord>>>> waiting,
        @TimerFamily("deadline") TimerMap deadlines,
        MultiOutputReceiver out) {
      long ind = element.getValue().getKey();
      List<TimestampedValue<KV<Integer, RawRecord>>> parts = waiting.get(ind).read();
      if (parts != null && parts.isEmpty()) {
        // The post completed a moment ago: this is a resent copy, and nothing will join it.
        release(List.of(TimestampedValue.of(element.getValue().getValue(), timestamp)), timestamp, out);
        out.get(METRICS).outputWithTimestamp(KV.of(METRIC_PREFIX + LATE_RESENDS, 1L), timestamp);
        return;
      }
      parts = parts == null ? new ArrayList<>(3) : new ArrayList<>(parts);
      parts.add(TimestampedValue.of(element.getValue().getValue(), timestamp));

      Instant latest = latest(parts);
      if (kindsIn(parts) == ALL_KINDS) {
        release(parts, latest, out);
        // An empty list marks the post completed; the timer forgets it after the wait, and holds
        // no watermark meanwhile (its output time is its firing time).
        waiting.put(ind, List.of());
        deadlines.get(Long.toString(ind)).set(latest.plus(maxWait));
        out.get(METRICS).outputWithTimestamp(KV.of(METRIC_PREFIX + COMPLETE, 1L), latest);
        return;
      }
      waiting.put(ind, parts);
      Instant due = earliest(parts).plus(maxWait);
      deadlines
          .get(Long.toString(ind))
          .withOutputTimestamp(latest)
          .set(due.isBefore(latest) ? latest : due);
    }

    @OnTimerFamily("deadline")
    public void onDeadline(
        @TimerId String timerId,
        @StateId("waiting") MapState<Long, List<TimestampedValue<KV<Integer, RawRecord>>>> waiting,
        MultiOutputReceiver out) {
      long ind = Long.parseLong(timerId);
      List<TimestampedValue<KV<Integer, RawRecord>>> parts = waiting.get(ind).read();
      if (parts == null || parts.isEmpty()) {
        waiting.remove(ind);
        return;
      }
      Instant latest = latest(parts);
      release(parts, latest, out);
      waiting.remove(ind);
      out.get(METRICS).outputWithTimestamp(KV.of(METRIC_PREFIX + INCOMPLETE, 1L), latest);
      int present = kindsIn(parts);
      for (RecordKind kind : RecordKind.values()) {
        if ((present & (1 << kind.ordinal())) == 0) {
          out.get(METRICS).outputWithTimestamp(KV.of(METRIC_PREFIX + MISSING + kind.id(), 1L), latest);
        }
      }
    }

    private static void release(
        List<TimestampedValue<KV<Integer, RawRecord>>> parts, Instant at, MultiOutputReceiver out) {
      for (TimestampedValue<KV<Integer, RawRecord>> part : parts) {
        RecordKind kind = RecordKind.values()[part.getValue().getKey()];
        out.get(tag(kind)).outputWithTimestamp(part.getValue().getValue(), at);
      }
    }

    private static int kindsIn(List<TimestampedValue<KV<Integer, RawRecord>>> parts) {
      int kinds = 0;
      for (TimestampedValue<KV<Integer, RawRecord>> part : parts) {
        kinds |= 1 << part.getValue().getKey();
      }
      return kinds;
    }

    private static Instant latest(List<TimestampedValue<KV<Integer, RawRecord>>> parts) {
      Instant latest = parts.get(0).getTimestamp();
      for (TimestampedValue<KV<Integer, RawRecord>> part : parts) {
        if (part.getTimestamp().isAfter(latest)) {
          latest = part.getTimestamp();
        }
      }
      return latest;
    }

    private static Instant earliest(List<TimestampedValue<KV<Integer, RawRecord>>> parts) {
      Instant earliest = parts.get(0).getTimestamp();
      for (TimestampedValue<KV<Integer, RawRecord>> part : parts) {
        if (part.getTimestamp().isBefore(earliest)) {
          earliest = part.getTimestamp();
        }
      }
      return earliest;
    }
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
