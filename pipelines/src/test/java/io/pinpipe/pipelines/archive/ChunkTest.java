package io.pinpipe.pipelines.archive;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets;
import io.pinpipe.pipelines.io.kafka.PartitionRange;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.Test;

/**
 * Chunks and their names, and the plan of a run: what the archive's records say is missing, what
 * is written and what is a gap. Pure functions, no broker.
 */
public class ChunkTest {
  @Test
  public void fileNamesCarryTheChunkBoundsAndParseBackToTheChunk() {
    Chunk chunk = new Chunk("p.pin", 2, 250, 349);
    assertEquals(
        "root/topics/p.pin/dt=2026-11-23/partition=2/p.pin+2+0000000250+0000000349.json",
        chunk.dataPath("root", Optional.of("2026-11-23")));
    assertEquals("root/topics/p.pin/partition=2/p.pin+2+0000000250+0000000349.json", chunk.dataPath("root", Optional.empty()));
    assertEquals("root/dead-letter/p.pin/partition=2/p.pin+2+0000000250+0000000349.jsonl", chunk.deadLetterPath("root"));
    assertEquals("root/ranges/p.pin/partition=2/p.pin+2+0000000250+0000000349.json", chunk.rangePath("root"));
    assertEquals("root/ranges/p.pin/partition=2/p.pin+2+0000000250+0000000349.gap.json", chunk.gapPath("root"));
    assertEquals(chunk, Chunk.fromKey(chunk.key()));
    assertEquals(chunk, Chunk.parse("p.pin", "p.pin+2+0000000250+0000000349.jsonl").get().chunk());
    assertTrue(Chunk.parse("p.pin", "p.pin+2+0000000250+0000000349.gap.json").get().isGap());
    assertEquals(new Chunk("p.pin", 0, 0, 12_345_678_901L), Chunk.parse("p.pin", "p.pin+0+0000000000+12345678901.json").get().chunk());
    assertEquals("root/ranges/p.pin/partition=2/p.pin+2+0000000250.begin.json", Chunk.beginPath("root", "p.pin", 2, 250));
    assertEquals(250, Chunk.parseBegin("p.pin", "p.pin+2+0000000250.begin.json").get()[1]);
    assertEquals(Optional.empty(), Chunk.parse("p.pin", "p.pin+2+0000000250.begin.json"));
  }

  @Test
  public void onlyTheJobsOwnFileNamesAreRecognized() {
    assertEquals(Optional.empty(), Chunk.parse("p.pin", "p.geo+2+0000000250+0000000349.json"));
    assertEquals(Optional.empty(), Chunk.parse("p.pin", "p.pin+2+0000000250+0000000349.txt"));
    assertEquals(Optional.empty(), Chunk.parse("p.pin", "p.pin+2+0000000350+0000000349.json"));
    assertTrue(Chunk.isFirstOffsetOnlyName("p.pin", "p.pin+2+0000000250.json"));
    assertFalse(Chunk.isFirstOffsetOnlyName("p.pin", "p.pin+2+0000000250+0000000349.json"));
    assertTrue(Chunk.isTemporaryName("p.pin", ".p.pin+2+0000000250+0000000349.json.inprogress"));
    assertTrue(Chunk.isTemporaryName("p.pin", ".p.pin+2+0000000250.json.inprogress"));
    assertFalse(Chunk.isTemporaryName("p.pin", ".notes.inprogress"));
    assertFalse(Chunk.isTemporaryName("p.pin", "p.pin+2+0000000250+0000000349.json.inprogress"));
  }

  @Test
  public void chunksCountFromEachRangeStart() {
    ChunkPlan plan =
        new ChunkPlan(List.of(new PartitionRange("p.pin", 2, 250, 480), new PartitionRange("p.pin", 2, 600, 650)), 100);
    assertEquals(Optional.of(new Chunk("p.pin", 2, 250, 349)), plan.chunkOf("p.pin", 2, 250));
    assertEquals(Optional.of(new Chunk("p.pin", 2, 350, 449)), plan.chunkOf("p.pin", 2, 350));
    assertEquals(Optional.of(new Chunk("p.pin", 2, 450, 479)), plan.chunkOf("p.pin", 2, 479));
    assertEquals(Optional.empty(), plan.chunkOf("p.pin", 2, 480));
    assertEquals(Optional.empty(), plan.chunkOf("p.pin", 1, 300));
    assertEquals(Optional.of(new Chunk("p.pin", 2, 600, 649)), plan.chunkOf("p.pin", 2, 601));
    assertEquals(
        List.of(new Chunk("p.pin", 2, 250, 349), new Chunk("p.pin", 2, 350, 449), new Chunk("p.pin", 2, 450, 479),
            new Chunk("p.pin", 2, 600, 649)),
        plan.chunks());
  }

  private static PartitionOffsets partition(long earliest, long end, long start) {
    return new PartitionOffsets("p.pin", 0, earliest, end, Optional.empty(), start);
  }

  /** An archive that began at {@code begin} (if ever) and holds the ranges {@code firstLast}. */
  private static ArchivePlan.Holdings holds(OptionalLong begin, long... firstLast) {
    TreeMap<Long, Long> ranges = new TreeMap<>();
    for (int i = 0; i < firstLast.length; i += 2) {
      ranges.put(firstLast[i], firstLast[i + 1]);
    }
    return new ArchivePlan.Holdings() {
      @Override
      public OptionalLong begin(String topic, int partition) {
        return begin;
      }

      @Override
      public TreeMap<Long, Long> recorded(String topic, int partition) {
        return new TreeMap<>(ranges);
      }
    };
  }

  @Test
  public void theArchiveNotTheStartPositionSaysWhereToGoOn() {
    // The archive began at 0 and holds [100, 199] and [300, 399] (chunks commit in any order): the
    // holes and the new offsets are written, whatever --startFrom says.
    ArchivePlan plan =
        ArchivePlan.of("root", List.of(partition(0, 450, 400)), holds(OptionalLong.of(0), 100, 199, 300, 399));
    assertEquals(
        List.of(new PartitionRange("p.pin", 0, 0, 100), new PartitionRange("p.pin", 0, 200, 300),
            new PartitionRange("p.pin", 0, 400, 450)),
        plan.write());
    assertEquals(List.of(new PartitionRange("p.pin", 0, 0, 450)), plan.read());
    assertEquals(List.of(), plan.gaps());
    assertEquals(List.of(), plan.begins());
    assertEquals(Map.of(new TopicPartition("p.pin", 0), 450L), plan.next());

    // An archive that holds nothing of the partition begins at the start position, and says so.
    ArchivePlan empty = ArchivePlan.of("root", List.of(partition(0, 450, 400)), holds(OptionalLong.empty()));
    assertEquals(List.of(new PartitionRange("p.pin", 0, 400, 450)), empty.write());
    assertEquals(List.of(new ArchivePlan.Begin("p.pin", 0, 400)), empty.begins());

    // Begun at 400 by an earlier run that wrote nothing: still 400, not the start position now.
    ArchivePlan begun = ArchivePlan.of("root", List.of(partition(0, 450, 0)), holds(OptionalLong.of(400)));
    assertEquals(List.of(new PartitionRange("p.pin", 0, 400, 450)), begun.write());
    assertEquals(List.of(), begun.begins());
  }

  @Test
  public void offsetsRetentionRemovedBeforeTheyWereArchivedAreAGap() {
    ArchivePlan plan =
        ArchivePlan.of("root", List.of(partition(250, 450, 0)), holds(OptionalLong.of(0), 0, 99, 200, 299));
    assertEquals(List.of(new ArchivePlan.Gap("p.pin", 0, 100, 199, 250)), plan.gaps());
    assertEquals(List.of(new PartitionRange("p.pin", 0, 300, 450)), plan.write());

    // A start (the group's committed offset) below the log's start, in an empty archive.
    ArchivePlan fromCommitted = ArchivePlan.of("root", List.of(partition(250, 450, 40)), holds(OptionalLong.empty()));
    assertEquals(List.of(new ArchivePlan.Gap("p.pin", 0, 40, 249, 250)), fromCommitted.gaps());
    assertEquals(List.of(new PartitionRange("p.pin", 0, 250, 450)), fromCommitted.write());

    // A recorded gap is held: nothing to report again.
    ArchivePlan recordedGap =
        ArchivePlan.of("root", List.of(partition(250, 450, 0)), holds(OptionalLong.of(0), 0, 99, 100, 199, 200, 449));
    assertEquals(List.of(), recordedGap.gaps());
    assertEquals(List.of(), recordedGap.write());
  }

  @Test(expected = UserError.class)
  public void anArchiveHoldingOffsetsBeyondTheLogsEndIsAUserError() {
    ArchivePlan.of("root", List.of(partition(0, 100, 0)), holds(OptionalLong.of(0), 0, 199));
  }

  @Test
  public void lineBreaksBetweenTokensBecomeSpacesAndOneLineStaysAsIs() {
    byte[] pretty = "{\n  \"a\": 1,\r\n  \"b\": \"x\"\n}".getBytes(StandardCharsets.UTF_8);
    assertEquals("{   \"a\": 1,    \"b\": \"x\" }", new String(CheckRecordsFn.oneLine(pretty), StandardCharsets.UTF_8));
    byte[] line = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
    assertEquals(line, CheckRecordsFn.oneLine(line));
  }
}
