package io.pinpipe.transforms.clean;

import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.quality.BundleCounts;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.transforms.schema.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.WindowingStrategy;

/**
 * Cleans the raw records of one kind, the same way in batch and streaming (DESIGN.md §5):
 *
 * <ol>
 *   <li><b>Parse</b> each record; what cannot be parsed goes to {@link #DEAD_LETTERS}.
 *   <li><b>Drop exact duplicates</b>: records of one row number with equal parsed fields count
 *       once (at-least-once delivery must not change results); different records sharing a row
 *       number are all kept and counted as conflicts.
 *   <li><b>Apply the kind's rules</b> ({@link RecordCleaner}) to get {@link #CLEAN} rows.
 * </ol>
 *
 * <p>Every record read is accounted for in {@link #METRICS}: cleaned, dead-lettered or duplicate.
 * Duplicates are found within a window, so a streaming pipeline removes those that arrive in the
 * same window; in batch (one global window) all of them.
 */
public final class CleanRecords extends PTransform<PCollection<RawRecord>, PCollectionTuple> {

  public static final TupleTag<Row> CLEAN = new TupleTag<Row>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<DeadLetter>() {};
  public static final TupleTag<KV<String, Long>> METRICS = new TupleTag<KV<String, Long>>() {};

  private static final TupleTag<Row> PARSED = new TupleTag<Row>() {};

  private final RecordKind kind;

  private CleanRecords(RecordKind kind) {
    super("Clean" + capitalized(kind.id()) + "s");
    this.kind = kind;
  }

  public static CleanRecords pins() {
    return new CleanRecords(RecordKind.PIN);
  }

  public static CleanRecords geos() {
    return new CleanRecords(RecordKind.GEO);
  }

  public static CleanRecords users() {
    return new CleanRecords(RecordKind.USER);
  }

  public static CleanRecords of(RecordKind kind) {
    return new CleanRecords(kind);
  }

  public RecordKind kind() {
    return kind;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> raw) {
    PCollection<KV<String, Long>> read =
        raw.apply("CountRead", BundleCounts.counting(QualityMetrics.key(kind, QualityMetrics.READ)));

    PCollectionTuple parsed =
        raw.apply(
            "Parse",
            ParDo.of(new ParseFn(kind))
                .withOutputTags(PARSED, TupleTagList.of(DEAD_LETTERS)));
    PCollection<DeadLetter> deadLetters = parsed.get(DEAD_LETTERS);
    try {
      deadLetters.setCoder(raw.getPipeline().getSchemaRegistry().getSchemaCoder(DeadLetter.class));
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    PCollection<KV<String, Long>> deadLettered =
        deadLetters.apply(
            "CountDeadLettered",
            BundleCounts.counting(QualityMetrics.key(kind, QualityMetrics.DEAD_LETTERED)));

    PCollectionTuple distinct =
        parsed
            .get(PARSED)
            .setRowSchema(kind.parsedSchema())
            .apply(
                "KeyByRowNumberBucket",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.integers(), TypeDescriptors.rows()))
                    .via(row -> KV.of(RowNumberBuckets.of(row.getInt64(0)), row)))
            .setCoder(KvCoder.of(VarIntCoder.of(), RowCoder.of(kind.parsedSchema())))
            .apply("GroupByRowNumberBucket", GroupByKey.create())
            .apply(
                "DropExactDuplicates",
                ParDo.of(new DropExactDuplicatesFn(kind))
                    .withOutputTags(PARSED, TupleTagList.of(METRICS)));

    PCollectionTuple cleaned =
        distinct
            .get(PARSED)
            .setRowSchema(kind.parsedSchema())
            .apply(
                "ApplyRules",
                ParDo.of(new ApplyRulesFn(RecordCleaner.forKind(kind)))
                    .withOutputTags(CLEAN, TupleTagList.of(METRICS)));

    PCollection<KV<String, Long>> metrics =
        PCollectionList.of(firingLikeGroupedCounts(read, "AlignReadCountPanes"))
            .and(firingLikeGroupedCounts(deadLettered, "AlignDeadLetteredCountPanes"))
            .and(distinct.get(METRICS))
            .and(cleaned.get(METRICS))
            .apply("CollectMetrics", Flatten.pCollections());

    return PCollectionTuple.of(CLEAN, cleaned.get(CLEAN).setRowSchema(kind.cleanSchema()))
        .and(DEAD_LETTERS, deadLetters)
        .and(METRICS, metrics);
  }

  /**
   * Counts taken before the duplicate grouping carry the input's trigger; those taken after it carry
   * its continuation (with early firings, a synchronized processing-time trigger), and Beam flattens
   * only collections whose triggers agree. Re-triggering the former with the continuation changes
   * nothing in batch, where the two are the same.
   */
  private static PCollection<KV<String, Long>> firingLikeGroupedCounts(
      PCollection<KV<String, Long>> counts, String name) {
    WindowingStrategy<?, ?> strategy = counts.getWindowingStrategy();
    Trigger continuation = strategy.getTrigger().getContinuationTrigger();
    if (continuation.isCompatible(strategy.getTrigger())) {
      return counts;
    }
    Window<KV<String, Long>> retrigger =
        Window.<KV<String, Long>>configure()
            .triggering(continuation)
            .withAllowedLateness(strategy.getAllowedLateness());
    return counts.apply(
        name,
        strategy.getMode() == WindowingStrategy.AccumulationMode.ACCUMULATING_FIRED_PANES
            ? retrigger.accumulatingFiredPanes()
            : retrigger.discardingFiredPanes());
  }

  /** Parses one raw record into a parsed row or a dead letter. */
  static final class ParseFn extends DoFn<RawRecord, Row> {
    private final JsonRecordParser parser;

    ParseFn(RecordKind kind) {
      this.parser = new JsonRecordParser(kind);
    }

    @ProcessElement
    public void process(@Element RawRecord raw, MultiOutputReceiver out) {
      JsonRecordParser.Outcome outcome = parser.parse(raw);
      if (outcome.row() != null) {
        out.get(PARSED).output(outcome.row());
      } else {
        out.get(DEAD_LETTERS).output(outcome.deadLetter());
      }
    }
  }

  /**
   * Keeps one record per distinct content within a row number, for all row numbers of a bucket. Records equal in every parsed field
   * are duplicates even when their parse issues differ (for instance in unknown extra fields); the
   * copy kept is chosen deterministically.
   */
  static final class DropExactDuplicatesFn extends DoFn<KV<Integer, Iterable<Row>>, Row> {
    private final RecordKind kind;

    DropExactDuplicatesFn(RecordKind kind) {
      this.kind = kind;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<Row>> bucket, MultiOutputReceiver out) {
      Map<Long, Map<List<Object>, Row>> byRowNumber = new HashMap<>();
      long records = 0;
      for (Row row : bucket.getValue()) {
        records++;
        byRowNumber
            .computeIfAbsent(row.getInt64(0), ind -> new HashMap<>(2))
            .merge(contentOf(row), row, DropExactDuplicatesFn::preferred);
      }
      long distinctRecords = 0;
      long conflicting = 0;
      for (Map<List<Object>, Row> distinct : byRowNumber.values()) {
        distinctRecords += distinct.size();
        if (distinct.size() > 1) {
          conflicting += distinct.size();
        }
        distinct.values().forEach(out.get(PARSED)::output);
      }
      if (records > distinctRecords) {
        out.get(METRICS)
            .output(QualityMetrics.count(kind, QualityMetrics.DUPLICATES, records - distinctRecords));
      }
      if (conflicting > 0) {
        out.get(METRICS).output(QualityMetrics.count(kind, QualityMetrics.CONFLICTS, conflicting));
      }
    }

    /** All parsed fields but the parse issues, which are not part of the record's content. */
    private static List<Object> contentOf(Row row) {
      List<Object> values = row.getValues();
      return new ArrayList<>(values.subList(0, values.size() - 1));
    }

    private static Row preferred(Row a, Row b) {
      String issuesA = String.valueOf(a.getArray(RecordSchemas.PARSE_ISSUES));
      String issuesB = String.valueOf(b.getArray(RecordSchemas.PARSE_ISSUES));
      return issuesA.compareTo(issuesB) <= 0 ? a : b;
    }
  }

  /**
   * Applies the kind's cleaning rules and records what they did, summed per bundle ({@link
   * BundleCounts}): one count per combination of events, not one per record.
   */
  static final class ApplyRulesFn extends DoFn<Row, Row> {
    private final RecordCleaner cleaner;
    private transient BundleCounts counts;

    ApplyRulesFn(RecordCleaner cleaner) {
      this.cleaner = cleaner;
    }

    @StartBundle
    public void startBundle() {
      counts = new BundleCounts();
    }

    @ProcessElement
    public void process(@Element Row parsed, BoundedWindow window, MultiOutputReceiver out) {
      CleaningLog log = new CleaningLog(parsed.<String>getArray(RecordSchemas.PARSE_ISSUES));
      Row clean = cleaner.clean(parsed, log);
      out.get(CLEAN).output(clean);
      counts.add(window, QualityMetrics.cleaned(cleaner.kind(), log.events()));
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      counts.emitTo(context, METRICS);
    }
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
