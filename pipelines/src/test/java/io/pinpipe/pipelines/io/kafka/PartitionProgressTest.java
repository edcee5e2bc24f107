package io.pinpipe.pipelines.io.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.Test;

/**
 * The offset a partition may commit (docs/streaming.md#restarts-what-resumes-where): the first offset not yet in
 * a written window, whatever order windows close and summaries arrive in.
 */
public class PartitionProgressTest {
  private static WrittenOffsets offsets(long writtenAfter, long... offsets) {
    return WrittenOffsets.of(writtenAfter, offsets.clone(), offsets.length);
  }

  @Test
  public void offsetsBecomeCommittableOnlyWhenTheirWindowIsWritten() {
    PartitionProgress p = new PartitionProgress(100, -1);
    p.add(offsets(1_999, 100, 101, 102)); // window [1 s, 2 s)
    p.add(offsets(2_999, 103, 104)); // window [2 s, 3 s)
    assertEquals(100, p.next());
    assertEquals(OptionalLong.of(2_000), p.nextWindowWritten());

    p.watermarkReached(2_000);
    assertEquals(103, p.next());
    assertTrue(p.commitDue());
    p.committed(103);
    assertFalse(p.commitDue());
    assertEquals(OptionalLong.of(3_000), p.nextWindowWritten());

    p.watermarkReached(3_000);
    assertEquals(105, p.next());
    assertEquals(OptionalLong.empty(), p.nextWindowWritten());
  }

  @Test
  public void anOpenWindowsOffsetHoldsBackLaterOffsetsAlreadyWritten() {
    // A pin held by post assembly (offset 100) lands in a later window than the pins after it.
    PartitionProgress p = new PartitionProgress(100, -1);
    p.add(offsets(2_999, 100));
    p.add(offsets(1_999, 101, 102, 103));
    p.watermarkReached(2_000);
    assertEquals("the open window's offset 100 stops the commit", 100, p.next());
    assertEquals(OptionalLong.of(101), p.writtenAfterGap());
    p.watermarkReached(3_000);
    assertEquals(104, p.next());
  }

  @Test
  public void offsetsNotReportedYetStopTheCommitAtTheFirstOfThem() {
    PartitionProgress p = new PartitionProgress(0, -1);
    p.add(offsets(999, 0, 1, 2, 5, 6));
    p.watermarkReached(1_000);
    assertEquals("3 and 4 are still on their way", 3, p.next());
    p.add(offsets(1_999, 3, 4));
    assertEquals(3, p.next());
    p.watermarkReached(2_000);
    assertEquals(7, p.next());
  }

  @Test
  public void offsetsOfAWindowAlreadyWrittenAreCommittableAtOnce() {
    PartitionProgress p = new PartitionProgress(10, -1);
    p.watermarkReached(5_000);
    p.add(offsets(4_999, 10, 11));
    assertEquals(12, p.next());
    assertEquals(OptionalLong.empty(), p.nextWindowWritten());
  }

  @Test
  public void aSkippedGapThatHoldsNoRecordLetsTheCommitPassIt() {
    PartitionProgress p = new PartitionProgress(0, -1);
    p.add(offsets(999, 0, 1, 4, 5));
    p.watermarkReached(1_000);
    assertEquals(2, p.next());
    p.skip(4);
    assertEquals(6, p.next());
  }

  @Test
  public void noCommitIsDueWhileTheNextOffsetIsBelowTheGroupsCommittedOne() {
    PartitionProgress p = new PartitionProgress(0, 50);
    p.add(offsets(999, 0, 1, 2));
    p.watermarkReached(1_000);
    assertEquals(3, p.next());
    assertFalse(p.commitDue());
  }

  @Test
  public void touchingAndCoveredRangesMergeWhileAGapKeepsThemApart() {
    TreeMap<Long, Long> ranges = new TreeMap<>();
    OffsetRanges.add(ranges, 10, 12);
    OffsetRanges.add(ranges, 20, 22);
    OffsetRanges.add(ranges, 12, 20);
    assertEquals(new TreeMap<>(java.util.Map.of(10L, 22L)), ranges);
    OffsetRanges.add(ranges, 5, 30);
    assertEquals(new TreeMap<>(java.util.Map.of(5L, 30L)), ranges);
    OffsetRanges.add(ranges, 31, 32);
    assertEquals(2, ranges.size());
  }

  @Test
  public void writtenOffsetsPrintAsRangesAndBothCodersRoundTrip() throws Exception {
    WrittenOffsets w = offsets(7_999, 9, 3, 4, 5, 4, 12, 10);
    assertEquals("WrittenOffsets{after 7999: [3,6) [9,11) [12,13)}", w.toString());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WrittenOffsets.Coder.of().encode(w, bytes);
    assertEquals(w, WrittenOffsets.Coder.of().decode(new ByteArrayInputStream(bytes.toByteArray())));

    PartitionProgress p = new PartitionProgress(3, 1);
    p.add(w);
    p.add(offsets(9_999, 6, 7));
    p.watermarkReached(8_000);
    bytes = new ByteArrayOutputStream();
    PartitionProgress.Coder.of().encode(p, bytes);
    PartitionProgress back = PartitionProgress.Coder.of().decode(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(p.toString(), back.toString());
    back.watermarkReached(10_000);
    assertEquals("offset 8 was never reported", 8, back.next());
    back.skip(9);
    assertEquals(11, back.next());
  }
}
