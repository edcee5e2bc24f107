package io.pinpipe.pipelines.archive;

import static org.junit.Assert.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.Test;

/** Which file a record goes to, and that file's name: the rules that make a rewrite identical. */
public class ArchiveFileTest {
  private static final long DAY_ONE = Instant.parse("2026-11-23T23:59:59.999Z").toEpochMilli();
  private static final long DAY_TWO = Instant.parse("2026-11-24T00:00:00Z").toEpochMilli();

  @Test
  public void testChunksCountFromTheRangeStart() {
    // A range starting at 250 with 100 records per file: 250..349 are chunk 0, 350..449 chunk 1.
    assertEquals(0, ArchiveFile.of("p.pin", 2, 250, 250, 100, DAY_ONE, true).chunk());
    assertEquals(0, ArchiveFile.of("p.pin", 2, 349, 250, 100, DAY_ONE, true).chunk());
    assertEquals(1, ArchiveFile.of("p.pin", 2, 350, 250, 100, DAY_ONE, true).chunk());
  }

  @Test
  public void testDailyFoldersFollowTheUtcDayOfTheRecordTimestamp() {
    ArchiveFile before = ArchiveFile.of("p.pin", 2, 7, 0, 100, DAY_ONE, true);
    ArchiveFile after = ArchiveFile.of("p.pin", 2, 8, 0, 100, DAY_TWO, true);
    assertEquals(
        "root/topics/p.pin/dt=2026-11-23/partition=2/p.pin+2+0000000007.json", before.dataPath("root", 7));
    assertEquals(
        "root/topics/p.pin/dt=2026-11-24/partition=2/p.pin+2+0000000008.json", after.dataPath("root", 8));
    assertEquals(
        "root/topics/p.pin/partition=2/p.pin+2+0000000007.json",
        ArchiveFile.of("p.pin", 2, 7, 0, 100, DAY_ONE, false).dataPath("root", 7));
    assertEquals(
        "root/dead-letter/p.pin/partition=2/p.pin+2+0000000007.jsonl", before.deadLetterPath("root", 7));
  }

  @Test
  public void testTheGroupingKeyRoundTrips() {
    ArchiveFile file = new ArchiveFile("a.b-c_d.geo", 11, Optional.of("2026-01-02"), 3);
    assertEquals(file, ArchiveFile.fromKey(file.key()));
    ArchiveFile noDay = new ArchiveFile("x.user", 0, Optional.empty(), 0);
    assertEquals(noDay, ArchiveFile.fromKey(noDay.key()));
  }

  @Test
  public void testLineBreaksBetweenTokensBecomeSpaces() {
    byte[] pretty = "{\n  \"a\": 1,\r\n  \"b\": \"x\"\n}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(
        "{   \"a\": 1,    \"b\": \"x\" }",
        new String(CheckRecordsFn.oneLine(pretty), java.nio.charset.StandardCharsets.UTF_8));
    byte[] line = "{\"a\": 1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(line, CheckRecordsFn.oneLine(line));
  }
}
