package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.parse.JsonRecordParser;
import static org.junit.Assert.assertEquals;

import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.transforms.quality.QualityReport;
import io.pinpipe.transforms.queries.PinterestQueries;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * Every record read is accounted for, per kind: read = cleaned + dead-lettered + duplicates
 * (docs/semantics.md#data-quality-counts-summaryjson).
 * Read is counted where records are packed, the rest where they are cleaned, so the
 * identity is a check on what happens in between: a record lost between reading and cleaning makes
 * the report say the kind is not accounted for.
 */
@RunWith(JUnit4.class)
public class RecordAccountingTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  private static final int PINS =
      OnePassFixtures.POSTS + OnePassFixtures.PIN_DUPLICATES + 1 + OnePassFixtures.DEAD_LETTERS_PER_KIND;
  private static final int GEOS =
      OnePassFixtures.POSTS + OnePassFixtures.GEO_DUPLICATES + OnePassFixtures.DEAD_LETTERS_PER_KIND;
  private static final int USERS =
      OnePassFixtures.POSTS + OnePassFixtures.USER_DUPLICATES + 1 + OnePassFixtures.DEAD_LETTERS_PER_KIND;

  @Test
  public void everyKindBalancesOnGoodBadAndDuplicateRecords() {
    Map<RecordKind, List<RawRecord>> records = OnePassFixtures.mixedRecords();
    assertEquals(PINS, records.get(RecordKind.PIN).size());
    assertEquals(GEOS, records.get(RecordKind.GEO).size());
    assertEquals(USERS, records.get(RecordKind.USER).size());
    PCollectionTuple out =
        CleanAndQuery.inputs(OnePassFixtures.create(p, "Raw", records))
            .apply("CleanAndQuery", CleanAndQuery.inGlobalWindow(QuerySettings.defaults()));

    PAssert.that(out.get(CleanAndQuery.COUNTS).apply("SumCounts", Sum.longsPerKey()))
        .satisfies(
            new ReportIs(
                "read=" + PINS + " cleaned=13 dead_lettered=1 duplicates=3 conflicts=2 balances=true",
                "read=" + GEOS + " cleaned=12 dead_lettered=1 duplicates=1 conflicts=0 balances=true",
                "read=" + USERS + " cleaned=13 dead_lettered=1 duplicates=1 conflicts=2 balances=true"));
    p.run().waitUntilFinish();
  }

  @Test
  public void theSameStepsAssembledByHandBalanceWhenNothingIsLost() {
    PAssert.that(countsOfHandAssembledPass(null))
        .satisfies(
            new ReportIs(
                "read=" + PINS + " cleaned=13 dead_lettered=1 duplicates=3 conflicts=2 balances=true",
                "read=" + GEOS + " cleaned=12 dead_lettered=1 duplicates=1 conflicts=0 balances=true",
                "read=" + USERS + " cleaned=13 dead_lettered=1 duplicates=1 conflicts=2 balances=true"));
    p.run().waitUntilFinish();
  }

  @Test
  public void aPinLostBetweenPackingAndCleaningLeavesPinsUnaccountedFor() {
    PAssert.that(countsOfHandAssembledPass(OnePassFixtures.LONE_PIN))
        .satisfies(
            new ReportIs(
                // read as before; one pin fewer cleaned, and nothing else says where it went
                "read=" + PINS + " cleaned=12 dead_lettered=1 duplicates=3 conflicts=2 balances=false",
                "read=" + GEOS + " cleaned=12 dead_lettered=1 duplicates=1 conflicts=0 balances=true",
                "read=" + USERS + " cleaned=13 dead_lettered=1 duplicates=1 conflicts=2 balances=true"));
    p.run().waitUntilFinish();
  }

  /**
   * CleanAndQuery's keyed pass assembled from its steps, PackRecordsFn, GroupByKey and
   * ProcessBucketFn (tables and results), with, when {@code lostOrigin} is set, a step between
   * packing and grouping that loses that record; returns the partials' counts summed per key.
   */
  private PCollection<KV<String, Long>> countsOfHandAssembledPass(String lostOrigin) {
    Map<RecordKind, PCollection<RawRecord>> raw =
        OnePassFixtures.create(p, "Raw", OnePassFixtures.mixedRecords());
    KvCoder<Integer, RecordPack> packCoder = KvCoder.of(VarIntCoder.of(), RecordPack.Coder.of());
    PCollectionList<KV<Integer, RecordPack>> packed = PCollectionList.empty(p);
    for (RecordKind kind : RecordKind.values()) {
      packed =
          packed.and(
              raw.get(kind)
                  .apply("Pack" + kind.id(), ParDo.of(new PackRecordsFn(kind, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES)))
                  .setCoder(packCoder));
    }
    PCollection<KV<Integer, RecordPack>> packs = packed.apply("AllKinds", Flatten.pCollections());
    if (lostOrigin != null) {
      packs = packs.apply("LoseOneRecord", ParDo.of(new LoseRecordFn(lostOrigin))).setCoder(packCoder);
    }

    PinterestQueries queries = PinterestQueries.with(QuerySettings.defaults());
    TupleTag<PackedRows> main = ProcessBucketFn.mainTag(true);
    TupleTagList others = TupleTagList.empty();
    for (RecordKind kind : RecordKind.values()) {
      if (!ProcessBucketFn.TABLES.get(kind).equals(main)) {
        others = others.and(ProcessBucketFn.TABLES.get(kind));
      }
      others = others.and(ProcessBucketFn.DEAD_LETTERS.get(kind));
    }
    others = others.and(ProcessBucketFn.PARTIALS).and(ProcessBucketFn.PERSONS);
    PCollectionTuple processed =
        packs
            .apply("GroupByBucket", GroupByKey.create())
            .apply(
                "CleanAndAddUp",
                ParDo.of(new ProcessBucketFn(true, true, true, queries, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES, null))
                    .withOutputTags(main, others));
    try {
      for (RecordKind kind : RecordKind.values()) {
        processed.get(ProcessBucketFn.TABLES.get(kind)).setCoder(PackedRows.Coder.of());
        processed
            .get(ProcessBucketFn.DEAD_LETTERS.get(kind))
            .setCoder(p.getSchemaRegistry().getSchemaCoder(DeadLetter.class));
      }
      processed
          .get(ProcessBucketFn.PARTIALS)
          .setCoder(new WindowPartial.Coder(queries.getAccumulatorCoder(p.getCoderRegistry(), null)));
    } catch (NoSuchSchemaException | CannotProvideCoderException e) {
      throw new IllegalStateException(e);
    }
    processed.get(ProcessBucketFn.PERSONS).setCoder(KvCoder.of(VarIntCoder.of(), PersonPack.Coder.INSTANCE));

    return processed
        .get(ProcessBucketFn.PARTIALS)
        .apply("PartialCounts", ParDo.of(new PartialCountsFn()))
        .apply("SumPartialCounts", Sum.longsPerKey());
  }

  /**
   * Loses one record on its way to the cleaning: the pack holding it goes on as a copy without it,
   * its read counts unchanged (they were taken where the records were read).
   */
  private static final class LoseRecordFn extends DoFn<KV<Integer, RecordPack>, KV<Integer, RecordPack>> {
    private final String origin;

    LoseRecordFn(String origin) {
      this.origin = origin;
    }

    @ProcessElement
    public void process(@Element KV<Integer, RecordPack> pack, OutputReceiver<KV<Integer, RecordPack>> out) {
      RecordPack kept = new RecordPack();
      for (RecordKind kind : RecordKind.values()) {
        for (long n = 0; n < pack.getValue().read(kind); n++) {
          kept.countRead(kind);
        }
      }
      for (int i = 0; i < pack.getValue().size(); i++) {
        RawRecord record = pack.getValue().record(i);
        if (!record.origin.equals(origin)) {
          kept.add(pack.getValue().kind(i), record);
        }
      }
      out.output(KV.of(pack.getKey(), kept));
    }
  }

  private static final class PartialCountsFn extends DoFn<WindowPartial, KV<String, Long>> {
    @ProcessElement
    public void process(@Element WindowPartial partial, OutputReceiver<KV<String, Long>> out) {
      partial.counts.forEach((key, n) -> out.output(KV.of(key, n)));
    }
  }

  /** The summed counts' report, kind by kind: its main counts and whether they balance. */
  private static final class ReportIs implements SerializableFunction<Iterable<KV<String, Long>>, Void> {
    private final String pin;
    private final String geo;
    private final String user;

    ReportIs(String pin, String geo, String user) {
      this.pin = pin;
      this.geo = geo;
      this.user = user;
    }

    @Override
    public Void apply(Iterable<KV<String, Long>> sums) {
      Map<String, Long> quality = new HashMap<>();
      for (KV<String, Long> sum : sums) {
        if (!sum.getKey().startsWith(QualityMetrics.RESULT_ROWS)) {
          assertEquals("summed twice: " + sum.getKey(), null, quality.put(sum.getKey(), sum.getValue()));
        }
      }
      QualityReport report = QualityReport.fromSums(quality);
      assertEquals("pin", pin, describe(report.kind(RecordKind.PIN)));
      assertEquals("geo", geo, describe(report.kind(RecordKind.GEO)));
      assertEquals("user", user, describe(report.kind(RecordKind.USER)));
      return null;
    }
  }

  private static String describe(QualityReport.KindCounts c) {
    return "read=" + c.read
        + " cleaned=" + c.cleaned
        + " dead_lettered=" + c.deadLettered
        + " duplicates=" + c.duplicates
        + " conflicts=" + c.conflicts
        + " balances=" + c.balances();
  }
}
