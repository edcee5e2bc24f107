package io.pinpipe.transforms.onepass;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * With {@link CleanAndQuery#writingTablesWith} the bucket step writes the table rows itself: the
 * sink receives exactly the rows the table outputs hold otherwise, in packs that never share a
 * (bucket, chunk) name, and the composite returns no table outputs at all.
 */
@RunWith(JUnit4.class)
public class TablesWrittenInTheBucketStepTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** What each test's sink was given, by test: DirectRunner runs the steps in this JVM. */
  private static final Map<String, List<String>> WRITTEN = new ConcurrentHashMap<>();

  /** A sink of our own interface that keeps each row as text with its kind and pack name. */
  private static final class KeepingSink implements TablePackSink {
    private final String test;

    KeepingSink(String test) {
      this.test = test;
    }

    @Override
    public Writer open() {
      return (kind, rows, window, pane) -> {
        List<String> kept = WRITTEN.computeIfAbsent(test, t -> Collections.synchronizedList(new ArrayList<>()));
        kept.add("pack " + kind.id() + "-" + rows.bucket() + "-" + rows.chunk());
        rows.forEachRow(RecordSchemas.clean(kind), row -> kept.add(kind.id() + " " + row));
        return null;
      };
    }
  }

  /** A sink that writes nothing and returns, for each pack, a note naming it and its row count. */
  private static final class NotingSink implements TablePackSink {
    @Override
    public boolean returnsNotes() {
      return true;
    }

    @Override
    public Writer open() {
      return (kind, rows, window, pane) ->
          (kind.id() + " " + rows.count()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  public void aSinkThatReturnsNotesHasEachPackNotedOnceUnderWrittenFiles() {
    Map<RecordKind, List<RawRecord>> records = OnePassFixtures.mixedRecords();
    PCollectionTuple written =
        CleanAndQuery.inputs(OnePassFixtures.create(p, "NotedRaw", records))
            .apply(
                "CleanAndQueryNotingTables",
                CleanAndQuery.inGlobalWindow(QuerySettings.defaults())
                    .withPackLimits(PackLimits.of(3, 200, 400))
                    .writingTablesWith(new NotingSink()));
    PCollectionTuple asOutputs =
        CleanAndQuery.inputs(OnePassFixtures.create(p, "CountedRaw", records))
            .apply("CleanAndQuery", CleanAndQuery.inGlobalWindow(QuerySettings.defaults()));
    assertFalse(
        "a sink without notes adds no output",
        asOutputs.has(CleanAndQuery.WRITTEN_FILES));
    PAssert.that(written.get(CleanAndQuery.WRITTEN_FILES))
        .satisfies(
            notes -> {
              Map<String, Long> rowsByKind = new java.util.TreeMap<>();
              for (byte[] note : notes) {
                String[] parts = new String(note, java.nio.charset.StandardCharsets.UTF_8).split(" ");
                rowsByKind.merge(parts[0], Long.parseLong(parts[1]), Long::sum);
              }
              NOTED.put("rows", rowsByKind);
              return null;
            });
    for (RecordKind kind : RecordKind.values()) {
      PAssert.that(kind.id() + " rows", asOutputs.get(CleanAndQuery.table(kind)))
          .satisfies(
              rows -> {
                long n = 0;
                for (Row row : rows) {
                  n++;
                }
                COUNTED.put(kind.id(), n);
                return null;
              });
    }
    p.run().waitUntilFinish();
    // Every table row is in exactly one noted pack: the notes add up to each table's row count.
    assertEquals(new java.util.TreeMap<>(COUNTED), NOTED.get("rows"));
  }

  private static final Map<String, Map<String, Long>> NOTED = new ConcurrentHashMap<>();
  private static final Map<String, Long> COUNTED = new ConcurrentHashMap<>();

  @Test
  public void theSinkGetsEveryTableRowAndNoTableOutputIsReturned() {
    String test = UUID.randomUUID().toString();
    Map<RecordKind, List<RawRecord>> records = OnePassFixtures.mixedRecords();
    PackLimits tiny = PackLimits.of(3, 200, 400);
    PCollectionTuple written =
        CleanAndQuery.inputs(OnePassFixtures.create(p, "WrittenRaw", records))
            .apply(
                "CleanAndQueryWritingTables",
                CleanAndQuery.inGlobalWindow(QuerySettings.defaults())
                    .withPackLimits(tiny)
                    .writingTablesWith(new KeepingSink(test)));
    PCollectionTuple asOutputs =
        CleanAndQuery.inputs(OnePassFixtures.create(p, "OutputRaw", records))
            .apply("CleanAndQuery", CleanAndQuery.inGlobalWindow(QuerySettings.defaults()));

    for (RecordKind kind : RecordKind.values()) {
      assertFalse(written.has(CleanAndQuery.table(kind)));
      assertFalse(written.has(CleanAndQuery.tablePacks(kind)));
      PAssert.that(kind.id() + " rows as outputs", asOutputs.get(CleanAndQuery.table(kind)))
          .satisfies(
              rows -> {
                for (Row row : rows) {
                  EXPECTED.computeIfAbsent(test, t -> ConcurrentHashMap.newKeySet()).add(kind.id() + " " + row);
                }
                return null;
              });
    }
    p.run().waitUntilFinish();

    List<String> kept = WRITTEN.remove(test);
    List<String> rows = new ArrayList<>();
    Set<String> packNames = new TreeSet<>();
    int packs = 0;
    for (String line : kept) {
      if (line.startsWith("pack ")) {
        packs++;
        packNames.add(line);
      } else {
        rows.add(line);
      }
    }
    assertFalse(rows.isEmpty());
    assertEquals("no two packs share a file name", packs, packNames.size());
    assertEquals(new TreeSet<>(EXPECTED.remove(test)), new TreeSet<>(rows));
    assertEquals("each row written once", new TreeSet<>(rows).size(), rows.size());
  }

  private static final Map<String, Set<String>> EXPECTED = new ConcurrentHashMap<>();

  /**
   * A sink that keeps origins and holds every record of {@code t.pin+0+} below offset 2 (as a table
   * whose recorded position is 2 after a restart): keeps each written row's ind and origin.
   */
  private static final class HoldingSink implements TablePackSink {
    private final String test;

    HoldingSink(String test) {
      this.test = test;
    }

    @Override
    public boolean keepsOrigins() {
      return true;
    }

    @Override
    public Writer open() {
      return new Writer() {
        @Override
        public byte[] write(RecordKind kind, PackedRows rows, org.apache.beam.sdk.transforms.windowing.BoundedWindow window,
            org.apache.beam.sdk.transforms.windowing.PaneInfo pane) {
          int[] i = {0};
          rows.forEachRow(
              RecordSchemas.clean(kind),
              row -> WRITTEN.computeIfAbsent(test, t -> Collections.synchronizedList(new ArrayList<>()))
                  .add(kind.id() + " " + row.getInt64(0) + " " + rows.origin(i[0]++)));
          return null;
        }

        @Override
        public boolean holds(RecordKind kind, String originPrefix, long originNumber) {
          return originPrefix.equals("t.pin+0+") && originNumber < 2;
        }
      };
    }
  }

  @Test
  public void aSinkThatHoldsARecordGetsNoRowOfItWhileTheRecordStillCounts() {
    String test = UUID.randomUUID().toString();
    // ind 2 twice, exact copies at offsets 5 and 1: the row kept is offset 1's (the lowest), which
    // the table holds; ind 1 (offset 0) is held too; ind 3 and 4 are not.
    Map<RecordKind, List<RawRecord>> records =
        Map.of(
            RecordKind.PIN,
            List.of(
                OnePassFixtures.raw("t.pin+0+5", OnePassFixtures.pin(2, "b")),
                OnePassFixtures.raw("t.pin+0+0", OnePassFixtures.pin(1, "a")),
                OnePassFixtures.raw("t.pin+0+1", OnePassFixtures.pin(2, "b")),
                OnePassFixtures.raw("t.pin+0+2", OnePassFixtures.pin(3, "c")),
                OnePassFixtures.raw("t.pin+0+7", OnePassFixtures.pin(4, "d"))));
    PCollectionTuple written =
        CleanAndQuery.inputs(OnePassFixtures.create(p, "HeldRaw", records))
            .apply(
                "CleanAndQueryHoldingTables",
                CleanAndQuery.inGlobalWindow(QuerySettings.defaults()).writingTablesWith(new HoldingSink(test)));
    PAssert.that(
            written
                .get(CleanAndQuery.COUNTS)
                .apply(
                    org.apache.beam.sdk.transforms.Filter.by(
                        (org.apache.beam.sdk.values.KV<String, Long> kv) ->
                            kv.getKey().equals(io.pinpipe.transforms.quality.QualityMetrics.key(RecordKind.PIN, "read"))
                                || kv.getKey().equals(io.pinpipe.transforms.quality.QualityMetrics.key(RecordKind.PIN, "duplicates"))))
                .apply(org.apache.beam.sdk.transforms.Sum.longsPerKey()))
        .containsInAnyOrder(
            org.apache.beam.sdk.values.KV.of(io.pinpipe.transforms.quality.QualityMetrics.key(RecordKind.PIN, "read"), 5L),
            org.apache.beam.sdk.values.KV.of(io.pinpipe.transforms.quality.QualityMetrics.key(RecordKind.PIN, "duplicates"), 1L));
    p.run().waitUntilFinish();
    assertEquals(
        new TreeSet<>(List.of("pin 3 t.pin+0+2", "pin 4 t.pin+0+7")), new TreeSet<>(WRITTEN.remove(test)));
  }
}
