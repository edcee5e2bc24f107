package io.pinpipe.pipelines.streaming;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Hand-made events for the streaming tests: one record of a kind at an event time, as a stream
 * source would deliver it (origin like a Kinesis record's stream/shard/sequence).
 */
final class StreamEvents {
  static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");

  private StreamEvents() {}

  static Instant at(int seconds) {
    return T0.plus(Duration.standardSeconds(seconds));
  }

  static TimestampedValue<KV<String, RawRecord>> pin(long ind, String category, int secondsAfterT0) {
    return record(
        RecordKind.PIN,
        ind,
        String.format(
            "{\"index\": %d, \"unique_id\": \"u-%d\", \"title\": \"t%d\", \"description\": \"d\", "
                + "\"poster_name\": \"poster%d\", \"follower_count\": \"%dk\", \"tag_list\": \"a,b\", "
                + "\"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/x.jpg\", "
                + "\"downloaded\": 1, \"save_location\": \"Local save in /data/%s\", \"category\": \"%s\"}",
            ind, ind, ind, ind, ind, category, category),
        secondsAfterT0);
  }

  static TimestampedValue<KV<String, RawRecord>> geo(long ind, String country, int secondsAfterT0) {
    return record(
        RecordKind.GEO,
        ind,
        String.format(
            "{\"ind\": %d, \"timestamp\": \"2020-05-0%d 10:00:00\", \"latitude\": -10.5, \"longitude\": 20.25, \"country\": \"%s\"}",
            ind, 1 + ind % 9, country),
        secondsAfterT0);
  }

  static TimestampedValue<KV<String, RawRecord>> user(long ind, int age, int secondsAfterT0) {
    return record(
        RecordKind.USER,
        ind,
        String.format(
            "{\"ind\": %d, \"first_name\": \"F%d\", \"last_name\": \"L%d\", \"age\": %d, \"date_joined\": \"2016-01-02 03:04:05\"}",
            ind, ind, ind, age),
        secondsAfterT0);
  }

  static TimestampedValue<KV<String, RawRecord>> bytes(RecordKind kind, String origin, String payload, int secondsAfterT0) {
    return TimestampedValue.of(
        KV.of(kind.id(), RawRecord.of(origin, payload.getBytes(StandardCharsets.UTF_8))), at(secondsAfterT0));
  }

  private static TimestampedValue<KV<String, RawRecord>> record(
      RecordKind kind, long ind, String json, int secondsAfterT0) {
    return bytes(kind, "streaming-test-" + kind.id() + "/shardId-000000000000/" + ind, json, secondsAfterT0);
  }

  static TestStream.Builder<KV<String, RawRecord>> stream(Pipeline pipeline) {
    return TestStream.create(KvCoder.of(StringUtf8Coder.of(), rawCoder(pipeline)));
  }

  /** One TestStream split into the three kinds, so all share one watermark and clock. */
  static Map<RecordKind, PCollection<RawRecord>> byKind(
      Pipeline pipeline, TestStream<KV<String, RawRecord>> events) {
    PCollection<KV<String, RawRecord>> all = pipeline.apply("Events", events);
    Map<RecordKind, PCollection<RawRecord>> raw = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      raw.put(
          kind,
          all.apply("Only" + kind.id(), Filter.by((KV<String, RawRecord> e) -> e.getKey().equals(kind.id())))
              .apply("Records" + kind.id(), Values.create())
              .setCoder(rawCoder(pipeline)));
    }
    return raw;
  }

  static Coder<RawRecord> rawCoder(Pipeline pipeline) {
    try {
      return pipeline.getSchemaRegistry().getSchemaCoder(RawRecord.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The row numbers of a table's rows, what the pane assertions compare. */
  static PCollection<Long> rowNumbers(PCollection<org.apache.beam.sdk.values.Row> rows, String name) {
    return rows.apply(
        name, MapElements.into(org.apache.beam.sdk.values.TypeDescriptors.longs()).via(r -> r.getInt64("ind")));
  }
}
