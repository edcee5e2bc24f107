package io.pinpipe.transforms.onepass;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.transforms.schema.RecordKind;
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
        rows.forEachRow(kind.cleanSchema(), row -> kept.add(kind.id() + " " + row));
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
}
