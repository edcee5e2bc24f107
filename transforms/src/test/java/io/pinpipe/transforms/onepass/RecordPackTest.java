package io.pinpipe.transforms.onepass;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

/** A pack gives back every record's kind, origin and payload exactly, also through its coder. */
public class RecordPackTest {
  private static final List<String> ORIGINS =
      List.of(
          "/data/archive/topics/pinterest.pin/partition=0/pinterest.pin+0+0000000000.json:1",
          "/data/archive/topics/pinterest.pin/partition=0/pinterest.pin+0+0000000000.json:10",
          "pinterest.geo+0+0000000042",
          "pinterest.geo/0/7",
          "pinterest.geo/0/0",
          "streaming-pinterest-user/shardId-000000000000/49590338271490256608559692538361571095921575989136588898",
          "",
          "no number",
          "9223372036854775807999");

  @Test
  public void everyRecordComesBackAsItWentIn() throws Exception {
    RecordPack pack = new RecordPack();
    for (int i = 0; i < 40; i++) {
      String origin = ORIGINS.get(i % ORIGINS.size());
      pack.countRead(RecordKind.values()[i % 3]);
      pack.add(RecordKind.values()[i % 3], RawRecord.of(origin, ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8)));
    }
    RecordPack decoded = CoderUtils.clone(RecordPack.Coder.of(), pack);
    for (RecordPack p : List.of(pack, decoded)) {
      assertEquals(40, p.size());
      for (int i = 0; i < 40; i++) {
        assertEquals(RecordKind.values()[i % 3], p.kind(i));
        assertEquals(ORIGINS.get(i % ORIGINS.size()), p.record(i).origin);
        assertArrayEquals(("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8), p.record(i).payload);
      }
      for (RecordKind kind : RecordKind.values()) {
        assertEquals(kind == RecordKind.PIN ? 14 : 13, p.read(kind));
      }
      assertEquals(pack.bytes(), p.bytes());
    }
  }

  /** Packs for post assembly carry each record's event time, also through the coder. */
  @Test
  public void timedPacksKeepEachRecordsTimeAndTheirEarliest() throws Exception {
    RecordPack pack = new RecordPack();
    long[] times = {1_764_000_000_500L, 1_764_000_000_100L, -5L, 1_764_000_009_999L, 0L};
    for (int i = 0; i < 40; i++) {
      pack.add(
          RecordKind.values()[i % 3],
          RawRecord.of(ORIGINS.get(i % ORIGINS.size()), ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8)),
          times[i % times.length]);
    }
    RecordPack decoded = CoderUtils.clone(RecordPack.Coder.of(), pack);
    for (RecordPack p : List.of(pack, decoded)) {
      assertEquals(true, p.timed());
      assertEquals(-5L, p.earliestTime());
      for (int i = 0; i < 40; i++) {
        assertEquals(times[i % times.length], p.time(i));
        assertEquals(ORIGINS.get(i % ORIGINS.size()), p.record(i).origin);
      }
      assertEquals(pack.bytes(), p.bytes());
    }
    assertEquals(false, CoderUtils.clone(RecordPack.Coder.of(), new RecordPack()).timed());
  }

  /**
   * A timed pack carries each record's row number as {@link io.pinpipe.transforms.parse.RowNumbers}
   * reads it (post assembly's key, read once where the record is packed), or none, also through
   * the coder.
   */
  @Test
  public void timedPacksCarryEachRecordsRowNumberOrNone() throws Exception {
    RecordPack pack = new RecordPack();
    pack.add(RecordKind.PIN, RawRecord.of("t-pin+0+7", bytes("{\"index\": 9007199254740993, \"title\": \"x\"}")), 5L);
    pack.add(RecordKind.GEO, RawRecord.of("t-geo+0+8", bytes("{\"ind\": -12}")), 6L);
    pack.add(RecordKind.USER, RawRecord.of("t-user+0+9", bytes("not json")), 7L);
    pack.add(RecordKind.USER, RawRecord.of("t-user+0+10", bytes("{\"ind\": 12.0}")), 8L);
    // Given by the caller (PackRecordsFn read it to pick the bucket): kept as given.
    pack.add(RecordKind.GEO, RawRecord.of("t-geo+0+11", bytes("{\"ind\": 3}")), 9L, java.util.OptionalLong.of(3L));
    pack.add(RecordKind.GEO, RawRecord.of("t-geo+0+12", bytes("{}")), 10L, java.util.OptionalLong.empty());
    RecordPack decoded = CoderUtils.clone(RecordPack.Coder.of(), pack);
    for (RecordPack p : List.of(pack, decoded)) {
      assertEquals(List.of(true, true, false, false, true, false), numbered(p));
      assertEquals(9007199254740993L, p.rowNumber(0));
      assertEquals(-12L, p.rowNumber(1));
      assertEquals(3L, p.rowNumber(4));
      assertEquals(10L, p.time(5));
      assertEquals("t-geo+0+12", p.record(5).origin);
      assertEquals(pack.bytes(), p.bytes());
    }
  }

  private static List<Boolean> numbered(RecordPack pack) {
    List<Boolean> numbered = new java.util.ArrayList<>();
    for (int i = 0; i < pack.size(); i++) {
      numbered.add(pack.hasRowNumber(i));
    }
    return numbered;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
