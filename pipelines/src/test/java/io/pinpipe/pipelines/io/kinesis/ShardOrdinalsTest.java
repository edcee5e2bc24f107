package io.pinpipe.pipelines.io.kinesis;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.Test;

/**
 * The numbering of a Kinesis read's records per shard and its anchoring to the Iceberg tables'
 * records ({@link ShardOrdinals}, {@link ShardStarts}; docs/iceberg.md#streaming-from-kinesis),
 * on records whose sequence numbers and ordinals are written out by hand. Shard {@code A} is
 * {@code s/shardId-0/}, {@code B} its child {@code s/shardId-1/}.
 */
public class ShardOrdinalsTest {
  private static final String A = "s/shardId-0/";
  private static final String B = "s/shardId-1/";
  private static final long D = ShardOrdinals.DROPPED;

  /** Numbers {@code sequences} of one shard in order. */
  private static List<Long> number(ShardOrdinals ordinals, String shard, String... sequences) {
    List<Long> out = new java.util.ArrayList<>();
    for (String sequence : sequences) {
      out.add(ordinals.number(shard, sequence, 0));
    }
    return out;
  }

  private static ShardAnchor anchor(long ordinal, String sequence) {
    return new ShardAnchor(ordinal, sequence, 0, 1_000 + ordinal);
  }

  /** Two tables' positions and anchors, as the catalog would give them. */
  private static ShardStarts starts(Map<String, Long> pinPositions, Map<String, ShardAnchor> pinAnchors,
      Map<String, Long> geoPositions, Map<String, ShardAnchor> geoAnchors) {
    Map<String, Map<String, Long>> positions = new LinkedHashMap<>();
    positions.put("pin", pinPositions);
    positions.put("geo", geoPositions);
    Map<String, Map<String, ShardAnchor>> anchors = new LinkedHashMap<>();
    anchors.put("pin", pinAnchors);
    anchors.put("geo", geoAnchors);
    return ShardStarts.of(positions, anchors);
  }

  @Test
  public void aFirstRunNumbersEachShardFromZeroInItsOrder() {
    ShardOrdinals ordinals = new ShardOrdinals(ShardStarts.none(), Map.of());
    assertEquals(List.of(0L, 1L, 2L), number(ordinals, A, "100", "105", "230"));
    assertEquals(List.of(0L), number(ordinals, B, "7"));
    assertEquals(List.of(3L), number(ordinals, A, "231"));
    assertEquals(Map.of(A, 4L, B, 1L), ordinals.next());
  }

  @Test
  public void aRestartDropsUpToTheLowestAnchorAndNumbersTheRecordAfterIt() {
    // pin holds A's records 0..2 (anchor: record 2, sequence 230), geo 0..1 (anchor: record 1, 105).
    ShardStarts starts = starts(Map.of(A, 3L), Map.of(A, anchor(2, "230")), Map.of(A, 2L), Map.of(A, anchor(1, "105")));
    assertEquals(anchor(1, "105"), starts.after(A));
    ShardOrdinals ordinals = new ShardOrdinals(starts, Map.of());
    // 100 and 105 (the anchor) are held by both tables; 230 is record 2 again, as pin recorded.
    assertEquals(List.of(D, D, 2L, 3L, 4L), number(ordinals, A, "100", "105", "230", "300", "301"));
    assertEquals(Map.of(A, 5L), ordinals.next());
  }

  @Test
  public void sequenceNumbersCompareAsNumbersNotAsText() {
    ShardStarts starts = starts(Map.of(A, 4L), Map.of(A, anchor(3, "10")), Map.of(A, 4L), Map.of(A, anchor(3, "10")));
    ShardOrdinals ordinals = new ShardOrdinals(starts, Map.of());
    // "9" sorts after "10" as text; as a number it is before the anchor.
    assertEquals(List.of(D, D, 4L), number(ordinals, A, "9", "10", "11"));
  }

  @Test
  public void aggregatedRecordsAreOrderedBySubSequenceNumber() {
    ShardAnchor anchor = new ShardAnchor(3, "500", 1, 2_000);
    ShardStarts starts = starts(Map.of(A, 4L), Map.of(A, anchor), Map.of(A, 4L), Map.of(A, anchor));
    ShardOrdinals ordinals = new ShardOrdinals(starts, Map.of());
    assertEquals(D, ordinals.number(A, "500", 0));
    assertEquals(D, ordinals.number(A, "500", 1));
    assertEquals(4L, ordinals.number(A, "500", 2));
    assertEquals(5L, ordinals.number(A, "501", 0));
  }

  @Test
  public void aShardFirstSeenInTheSecondRunIsNumberedFromZero() {
    // The first run committed A only; B (a child of A after a split) appears in the second run.
    ShardStarts starts = starts(Map.of(A, 2L), Map.of(A, anchor(1, "105")), Map.of(A, 2L), Map.of(A, anchor(1, "105")));
    assertNull(starts.after(B));
    ShardOrdinals ordinals = new ShardOrdinals(starts, Map.of());
    assertEquals(List.of(D, D, 2L), number(ordinals, A, "100", "105", "230"));
    assertEquals(List.of(0L, 1L), number(ordinals, B, "8000", "8001"));
    assertEquals(Map.of(A, 3L, B, 2L), ordinals.next());
  }

  @Test
  public void aReadWhoseFirstRecordIsAboveTheAnchorStopsRatherThanGuess() {
    // Retention removed the anchor (record 4, sequence 500) while the job was down: the trim
    // horizon is now 510, and whether records lay between them cannot be told.
    ShardStarts starts = starts(Map.of(A, 5L), Map.of(A, anchor(4, "500")), Map.of(A, 5L), Map.of(A, anchor(4, "500")));
    ShardOrdinals ordinals = new ShardOrdinals(starts, Map.of());
    ShardOrdinals.AnchorNotSeen e = assertThrows(ShardOrdinals.AnchorNotSeen.class, () -> ordinals.number(A, "510", 0));
    assertTrue(e.getMessage(), e.getMessage().contains("s/shardId-0/: the first record read has sequence number 510"));
    assertTrue(e.getMessage(), e.getMessage().contains("(500, the shard's record 4)"));
    // Nothing was numbered: a retried read stops again.
    assertEquals(Map.of(), ordinals.next());
  }

  @Test
  public void aShardSomeTableHoldsNoneOfIsReadFromItsFirstRecordAndCheckedAgainstTheOthersAnchors() {
    // A kill between two tables' commits: pin committed A's records 0..5 (anchor: record 5, 600),
    // geo none of A. A is numbered from its first record, and record 5 must be 600 again.
    ShardStarts starts = starts(Map.of(A, 6L), Map.of(A, anchor(5, "600")), Map.of(), Map.of());
    assertNull(starts.after(A));
    assertEquals(new TreeSet<>(List.of(A)), starts.fromFirstRecordDespiteAnchors());
    ShardOrdinals same = new ShardOrdinals(starts, Map.of());
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), number(same, A, "100", "200", "300", "400", "500", "600", "700"));
    // Retention removed record 0 before the restart: the numbering would shift by one.
    ShardOrdinals shifted = new ShardOrdinals(starts, Map.of());
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), number(shifted, A, "200", "300", "400", "500", "600"));
    ShardOrdinals.NumberingDiverged e =
        assertThrows(ShardOrdinals.NumberingDiverged.class, () -> shifted.number(A, "700", 0));
    assertTrue(e.getMessage(), e.getMessage().contains("numbers the record with sequence number 700 as the shard's record 5"));
  }

  @Test
  public void aTableWhosePositionIsZeroHasNoAnchorAndTheShardStartsFromItsFirstRecord() {
    ShardStarts starts = starts(Map.of(A, 0L), Map.of(), Map.of(A, 0L), Map.of());
    assertNull(starts.after(A));
    assertEquals(new TreeSet<>(), starts.fromFirstRecordDespiteAnchors());
    assertEquals(List.of(0L), number(new ShardOrdinals(starts, Map.of()), A, "100"));
  }

  @Test
  public void aCheckpointMarksNextOrdinalsContinueTheNumbering() {
    ShardStarts starts = starts(Map.of(A, 3L), Map.of(A, anchor(2, "230")), Map.of(A, 3L), Map.of(A, anchor(2, "230")));
    // Restored from a runner checkpoint taken after records up to 6: no anchor to meet again.
    ShardOrdinals restored = new ShardOrdinals(starts, Map.of(A, 7L));
    assertEquals(List.of(7L, 8L), number(restored, A, "900", "901"));
  }

  @Test
  public void twoTablesThatRecordDifferentRecordsForOneOrdinalAreRefused() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> starts(Map.of(A, 3L), Map.of(A, anchor(2, "230")), Map.of(A, 3L), Map.of(A, anchor(2, "231"))));
    assertTrue(e.getMessage(), e.getMessage().contains("different records as the shard's record 2"));
  }

  @Test
  public void anAnchorReadsBackFromItsSummaryText() {
    ShardAnchor anchor = new ShardAnchor(41, "49590338271490256608559692538361571095921575989136588898", 0, 1_765_015_200_123L);
    assertEquals("41:49590338271490256608559692538361571095921575989136588898:0:1765015200123", anchor.toString());
    assertEquals(anchor, ShardAnchor.parse(anchor.toString()));
    assertThrows(IllegalArgumentException.class, () -> ShardAnchor.parse("41:4959"));
  }

  @Test
  public void anOriginNamesTheRecordAndItsPartitionIsTheShard() {
    String origin = KinesisOrigins.origin("streaming-p-pin", "shardId-000000000001", "4959", 0, 17);
    assertEquals("streaming-p-pin/shardId-000000000001/4959+17", origin);
    String prefix = origin.substring(0, origin.lastIndexOf('+') + 1);
    assertEquals("streaming-p-pin/shardId-000000000001/", KinesisOrigins.partitionOf(prefix));
    assertEquals("4959", KinesisOrigins.sequenceOf(prefix));
    assertEquals(0L, KinesisOrigins.subSequenceOf(prefix));
    String aggregated = KinesisOrigins.origin("streaming-p-pin", "shardId-000000000001", "4959", 2, 18);
    assertEquals("streaming-p-pin/shardId-000000000001/4959:2+18", aggregated);
    assertEquals(2L, KinesisOrigins.subSequenceOf(aggregated.substring(0, aggregated.lastIndexOf('+') + 1)));
    assertEquals("t.pin+0+", KinesisOrigins.partitionOf("t.pin+0+"));
  }
}
