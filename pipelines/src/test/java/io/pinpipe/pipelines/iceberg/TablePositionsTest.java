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

  @Test
  public void theBookkeepingRebuiltFromTheStepsStateEntriesPlansAsTheOriginal() {
    // The commit step keeps positions, handled offsets and notes as entries and rebuilds this.
    TablePositions positions = new TablePositions(Map.of(P, 0L, Q, 0L));
    positions.addOffsets(P, 100, new long[] {0, 2});
    positions.addOffsets(P, 100, new long[] {3, 4});
    positions.addOffsets(Q, 100, new long[] {0, 1});
    positions.addOffsets(P, 200, new long[] {2, 3});
    positions.addOffsets(P, 200, new long[] {4, 6});
    positions.addOffsets(Q, 300, new long[] {1, 4});
    positions.watermark(250);
    TablePositions.Plan first = positions.plan((p, offset) -> OptionalLong.of(p.equals(Q) && offset == 1 ? 1 : offset));
    assertEquals(List.of(100L, 200L), first.windowTimes());
    positions.committed(first);
    positions.addOffsets(P, 100, new long[] {6, 7}); // too late for window 100
    List<StreamNote> kept = positions.pendingNotes();
    assertEquals(1, kept.size()); // window 300's offsets of q, merged
    TablePositions rebuilt = TablePositions.restore(positions.positions(), positions.handled(), kept, 250);
    assertEquals(Map.of(P, new long[] {6, 7}).keySet(), rebuilt.handled().keySet());
    positions.watermark(350);
    rebuilt.watermark(350);
    TablePositions.Plan expected = positions.plan(NO_LOOKUP);
    TablePositions.Plan actual = rebuilt.plan(NO_LOOKUP);
    assertEquals(List.of(300L), actual.windowTimes());
    assertEquals(expected.windowTimes(), actual.windowTimes());
    assertEquals(Map.of(P, 6L, Q, 1L), actual.from);
    assertEquals(Map.of(P, 7L, Q, 4L), actual.to);
    assertEquals(expected.to, actual.to);
  }

  @Test
  public void aNoteOnADataFileComesBackFromItsCoderAsTheSameDataFile() throws Exception {
    org.apache.iceberg.Schema schema =
        new org.apache.iceberg.Schema(
            org.apache.iceberg.types.Types.NestedField.required(1, "window_start", org.apache.iceberg.types.Types.TimestampType.withZone()),
            org.apache.iceberg.types.Types.NestedField.required(2, "country", org.apache.iceberg.types.Types.StringType.get()),
            org.apache.iceberg.types.Types.NestedField.required(3, "ingestion_date", org.apache.iceberg.types.Types.DateType.get()));
    org.apache.iceberg.PartitionSpec spec =
        org.apache.iceberg.PartitionSpec.builderFor(schema).identity("ingestion_date").identity("window_start").build();
    org.apache.iceberg.data.GenericRecord partition = org.apache.iceberg.data.GenericRecord.create(spec.partitionType());
    partition.set(0, 20_428); // 2025-12-06, days
    partition.set(1, 1_765_015_200_000_000L); // its 10:00, microseconds
    org.apache.iceberg.DataFile file =
        org.apache.iceberg.DataFiles.builder(spec)
            .withPath("/w/streaming/top/data/ingestion_date=2025-12-06/1765015200000-a.parquet")
            .withFormat(org.apache.iceberg.FileFormat.PARQUET)
            .withPartition(partition)
            .withFileSizeInBytes(1234)
            .withMetrics(
                new org.apache.iceberg.Metrics(
                    7L,
                    Map.of(1, 40L, 2, 60L),
                    Map.of(1, 7L, 2, 7L),
                    Map.of(1, 0L, 2, 0L),
                    Map.of(),
                    Map.of(2, java.nio.ByteBuffer.wrap("Angola".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                    Map.of(2, java.nio.ByteBuffer.wrap("Zambia".getBytes(java.nio.charset.StandardCharsets.UTF_8)))))
            .withSplitOffsets(List.of(4L))
            .build();
    StreamNote note = StreamNote.file("top", file, 1_000L, 11_000L, 70_999L);
    byte[] bytes = org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(StreamNote.Coder.of(), note);
    StreamNote back = org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(StreamNote.Coder.of(), bytes);
    org.apache.iceberg.DataFile again = back.dataFile(spec);
    assertEquals("top", back.table);
    assertEquals(List.of(1_000L, 11_000L, 70_999L), List.of(back.windowStart, back.windowEnd, back.writtenAfter));
    assertEquals(file.path().toString(), again.path().toString());
    assertEquals(Integer.valueOf(20_428), again.partition().get(0, Integer.class));
    assertEquals(Long.valueOf(1_765_015_200_000_000L), again.partition().get(1, Long.class));
    assertEquals(1234L, again.fileSizeInBytes());
    assertEquals(7L, again.recordCount());
    assertEquals(file.columnSizes(), again.columnSizes());
    assertEquals(file.valueCounts(), again.valueCounts());
    assertEquals(file.nullValueCounts(), again.nullValueCounts());
    assertEquals(file.lowerBounds(), again.lowerBounds());
    assertEquals(file.upperBounds(), again.upperBounds());
    assertEquals(List.of(4L), again.splitOffsets());
    StreamNote offsets = StreamNote.offsets(P, 70_999L, new long[] {5, 9, 12, 13});
    StreamNote offsetsBack =
        org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(
            StreamNote.Coder.of(), org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(StreamNote.Coder.of(), offsets));
    assertEquals(P, offsetsBack.partition);
    assertEquals(List.of(5L, 9L, 12L, 13L), java.util.Arrays.stream(offsetsBack.ranges).boxed().toList());
    assertFalse(offsetsBack.isFile());
  }

  // ---- Kinesis shards: positions in ordinals, each with an anchor ------------------------------

  private static final String SHARD = "streaming-t-pin/shardId-000000000001/";

  @Test
  public void aShardsCommitRecordsItsHighestRecordBelowTheNewPositionAsAnchor() {
    TablePositions positions = new TablePositions(Map.of(SHARD, 0L));
    positions.addOffsets(SHARD, 100, new long[] {0, 3});
    positions.addAnchor(SHARD, 100, new io.pinpipe.pipelines.io.kinesis.ShardAnchor(2, "4030", 0, 5_000));
    positions.addOffsets(SHARD, 200, new long[] {3, 5});
    positions.addAnchor(SHARD, 200, new io.pinpipe.pipelines.io.kinesis.ShardAnchor(4, "4050", 0, 6_000));
    positions.watermark(150);
    TablePositions.Plan plan = positions.plan(null);
    assertEquals(List.of(100L), plan.windowTimes());
    assertEquals(Map.of(SHARD, 3L), plan.to);
    assertEquals("2:4030:0:5000", plan.anchors.get(SHARD).toString());
    positions.committed(plan);
    assertEquals("2:4030:0:5000", positions.anchors().get(SHARD).toString());
    // The second window's anchor is kept with its notes until it is committed.
    TablePositions rebuilt =
        TablePositions.restore(positions.positions(), positions.anchors(), positions.handled(), positions.pendingNotes(), 250);
    plan = rebuilt.plan(null);
    assertEquals(Map.of(SHARD, 5L), plan.to);
    assertEquals("4:4050:0:6000", plan.anchors.get(SHARD).toString());
  }

  @Test
  public void aShardsPositionDoesNotMoveAboveZeroWithoutAKnownRecordBelowIt() {
    // Offsets arrived without an anchor note (the anchor notes of the window are on their way):
    // the window waits, rather than record a position a restart could not number from.
    TablePositions positions = new TablePositions(Map.of(SHARD, 0L));
    positions.addOffsets(SHARD, 100, new long[] {0, 3});
    positions.watermark(150);
    TablePositions.Plan plan = positions.plan(null);
    assertEquals(Map.of(SHARD, 0L), plan.to);
    assertEquals(List.of(), plan.windowTimes());
    assertTrue(plan.isEmpty());
    positions.addAnchor(SHARD, 100, new io.pinpipe.pipelines.io.kinesis.ShardAnchor(2, "4030", 0, 5_000));
    plan = positions.plan(null);
    assertEquals(Map.of(SHARD, 3L), plan.to);
    assertEquals(List.of(100L), plan.windowTimes());
  }

  @Test
  public void aShardResumedAfterAnAnchorMovesWithThatAnchorUntilABetterOneIsKnown() {
    // Restarted at position 7 with the anchor of record 6; records 7.. were read into a window
    // whose anchor note is record 9: the plan records the better of the two below its position.
    TablePositions positions =
        new TablePositions(Map.of(SHARD, 7L), Map.of(SHARD, new io.pinpipe.pipelines.io.kinesis.ShardAnchor(6, "60", 0, 1)));
    positions.addOffsets(SHARD, 100, new long[] {7, 10});
    positions.watermark(150);
    TablePositions.Plan plan = positions.plan(null);
    assertEquals(Map.of(SHARD, 10L), plan.to);
    assertEquals("6:60:0:1", plan.anchors.get(SHARD).toString());
    positions.addAnchor(SHARD, 100, new io.pinpipe.pipelines.io.kinesis.ShardAnchor(9, "95", 0, 2));
    assertEquals("9:95:0:2", positions.plan(null).anchors.get(SHARD).toString());
  }

  @Test
  public void aShardsSummaryKeysNameItsStreamAndShard() {
    assertEquals("pinpipe.kinesis.streaming-t-pin.shardId-000000000001", StreamTables.summaryKey(SHARD));
    assertEquals(SHARD, StreamTables.partitionKeyOf("pinpipe.kinesis.streaming-t-pin.shardId-000000000001"));
    assertEquals("pinpipe.kinesis-anchor.streaming-t-pin.shardId-000000000001", StreamTables.anchorKey(SHARD));
    assertEquals("pinpipe.kafka.t.pin.0", StreamTables.summaryKey(P));
    assertEquals(P, StreamTables.partitionKeyOf("pinpipe.kafka.t.pin.0"));
  }

  @Test
  public void anAnchorNoteSurvivesItsCoder() throws Exception {
    StreamNote note = StreamNote.anchor(SHARD, 70_999L, new io.pinpipe.pipelines.io.kinesis.ShardAnchor(41, "49590338271490256608559692538361571095921575989136588898", 3, 1_765_015_200_123L));
    StreamNote back =
        org.apache.beam.sdk.util.CoderUtils.decodeFromByteArray(
            StreamNote.Coder.of(), org.apache.beam.sdk.util.CoderUtils.encodeToByteArray(StreamNote.Coder.of(), note));
    assertTrue(back.isAnchor());
    assertFalse(back.isFile());
    assertEquals(SHARD, back.partition);
    assertEquals(70_999L, back.writtenAfter);
    assertEquals("41:49590338271490256608559692538361571095921575989136588898:3:1765015200123", back.anchor.toString());
  }
}
