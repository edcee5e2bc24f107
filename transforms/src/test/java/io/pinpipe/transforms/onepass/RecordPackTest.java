package io.pinpipe.transforms.onepass;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.schema.RecordKind;
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
}
