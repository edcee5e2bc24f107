package io.pinpipe.pipelines.iceberg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.Test;

/**
 * The streaming tables' commit step's positions and committable windows ({@link TablePositions}),
 * on cases computed by hand: windows are named by their written-after time (100, 200), partitions
 * {@code p} and {@code q}; offsets are given as [start, end) ranges.
 */
public class TablePositionsTest {
  private static final String P = "t.pin+0+";
  private static final String Q = "t.geo+1+";
  private static final TablePositions.Gaps NO_LOOKUP = (partition, offset) -> OptionalLong.empty();

  @Test
  public void aWindowWhoseOffsetsAreAllBelowATablesPositionIsInItAlready() {
    // What a commit step restored from an older Flink checkpoint plans again: left out per table.
    TablePositions.Window window = new TablePositions.Window(100);
    window.offsets.put("t+0+", new java.util.TreeMap<>(Map.of(10L, 20L)));
    window.offsets.put("t+1+", new java.util.TreeMap<>(Map.of(5L, 7L)));
    assertTrue(CommitStreamTables.coveredBy(window, Map.of("t+0+", 20L, "t+1+", 7L)));
    assertTrue(CommitStreamTables.coveredBy(window, Map.of("t+0+", 35L, "t+1+", 9L)));
    assertFalse(CommitStreamTables.coveredBy(window, Map.of("t+0+", 20L, "t+1+", 6L))); // 6 not held
    assertFalse(CommitStreamTables.coveredBy(window, Map.of("t+0+", 20L))); // nothing of t+1+
    assertFalse(CommitStreamTables.coveredBy(new TablePositions.Window(100), Map.of("t+0+", 20L)));
  }

  @Test
  public void aWrittenWindowBelowTheFirstOpenOneIsCommitted() {
    TablePositions positions = new TablePositions(Map.of(P, 0L));
    positions.addOffsets(P, 100, new long[] {0, 5});
    positions.addOffsets(P, 200, new long[] {5, 8});
    positions.watermark(150);
    TablePositions.Plan plan = positions.plan(NO_LOOKUP);
    assertEquals(List.of(100L), plan.windowTimes());
    assertEquals(Map.of(P, 0L), plan.from);
    assertEquals(Map.of(P, 5L), plan.to);
    positions.committed(plan);
    assertEquals(5L, positions.position(P));
    assertEquals(1, positions.pendingWindows());
  }

  @Test
  public void interleavedWindowsWaitForEachOther() {
    // A holds 0, 1, 3; B holds 2, 4: A written alone covers 0..1, but its 3 is above B's 2.
    TablePositions positions = new TablePositions(Map.of(P, 0L));
    positions.addOffsets(P, 100, new long[] {0, 2, 3, 4});
    positions.addOffsets(P, 200, new long[] {2, 3, 4, 5});
    positions.watermark(150);
    TablePositions.Plan plan = positions.plan(NO_LOOKUP);
    assertEquals(List.of(), plan.windowTimes());
    assertEquals(Map.of(P, 0L), plan.to);
    assertTrue(plan.isEmpty());
    positions.watermark(250);
    plan = positions.plan(NO_LOOKUP);
    assertEquals(List.of(100L, 200L), plan.windowTimes());
    assertEquals(Map.of(P, 5L), plan.to);
  }

  @Test
  public void offsetsNoRecordHoldsArePassedOverRecordsOnTheirWayAreNot() {
    TablePositions positions = new TablePositions(Map.of(P, 0L));
    positions.addOffsets(P, 100, new long[] {0, 3, 5, 7});
    positions.watermark(150);
    // The broker has a record at 3: on its way to a window; A (whose 5, 6 are above it) waits.
    TablePositions.Plan plan = positions.plan((p, offset) -> OptionalLong.of(offset));
    assertEquals(List.of(), plan.windowTimes());
    assertEquals(Map.of(P, 0L), plan.to);
    // The broker's first record at or after 3 is 5 (3 and 4 were transaction markers).
    plan = positions.plan((p, offset) -> OptionalLong.of(offset == 3 ? 5 : offset));
    assertEquals(List.of(100L), plan.windowTimes());
    assertEquals(Map.of(P, 7L), plan.to);
  }

  @Test
  public void recordsDroppedAsTooLateCountAsHandled() {
    TablePositions positions = new TablePositions(Map.of(P, 0L));
    positions.addOffsets(P, 100, new long[] {0, 5});
    positions.watermark(150);
    positions.committed(positions.plan(NO_LOOKUP));
    // Offset 7 came for window 100, committed already: Beam dropped it as too late.
    positions.addOffsets(P, 100, new long[] {7, 8});
    positions.addOffsets(P, 200, new long[] {5, 7});
    positions.watermark(250);
    TablePositions.Plan plan = positions.plan(NO_LOOKUP);
    assertEquals(List.of(200L), plan.windowTimes());
    assertEquals(Map.of(P, 5L), plan.from);
    assertEquals(Map.of(P, 8L), plan.to);
  }

  @Test
  public void aWindowAboveInOnePartitionHoldsItsOffsetsInAnotherBack() {
    // p: A 0..1, B 2; q: B 0..3, A 4. A written, B open.
    TablePositions positions = new TablePositions(Map.of(P, 0L, Q, 0L));
    positions.addOffsets(P, 100, new long[] {0, 2});
    positions.addOffsets(Q, 100, new long[] {4, 5});
    positions.addOffsets(P, 200, new long[] {2, 3});
    positions.addOffsets(Q, 200, new long[] {0, 4});
    positions.watermark(150);
    TablePositions.Plan plan = positions.plan(NO_LOOKUP);
    // q's first offset not written is 0, below A's 4: A waits, and with it p's 0..1.
    assertEquals(List.of(), plan.windowTimes());
    assertEquals(Map.of(P, 0L, Q, 0L), plan.to);
    positions.watermark(250);
    plan = positions.plan(NO_LOOKUP);
    assertEquals(List.of(100L, 200L), plan.windowTimes());
    assertEquals(Map.of(P, 3L, Q, 5L), plan.to);
  }

  @Test
  public void aBlockedWindowLowersEveryPartitionToItsLowestOffset() {
    // p: A 0..2, C 3 (open). q: A 0, B 1..2 (written), B also p 4..5 above C's 3.
    TablePositions positions = new TablePositions(Map.of(P, 0L, Q, 0L));
    positions.addOffsets(P, 100, new long[] {0, 3});
    positions.addOffsets(Q, 100, new long[] {0, 1});
    positions.addOffsets(Q, 150, new long[] {1, 3});
    positions.addOffsets(P, 150, new long[] {4, 6});
    positions.addOffsets(P, 300, new long[] {3, 4});
    positions.watermark(200);
    TablePositions.Plan plan = positions.plan(NO_LOOKUP);
    // p: written 0..2 and 4..5, first not written 3: B (p 4..5) waits, so q stops at B's 1.
    assertEquals(List.of(100L), plan.windowTimes());
    assertEquals(Map.of(P, 3L, Q, 1L), plan.to);
  }

  @Test
  public void offsetsReadAgainBelowThePositionAreNotTracked() {
    TablePositions positions = new TablePositions(Map.of(P, 10L));
    positions.addOffsets(P, 100, new long[] {8, 12});
    positions.watermark(150);
    TablePositions.Plan plan = positions.plan(NO_LOOKUP);
    assertEquals(List.of(100L), plan.windowTimes());
    assertEquals(Map.of(P, 10L), plan.from);
    assertEquals(Map.of(P, 12L), plan.to);
  }
}
