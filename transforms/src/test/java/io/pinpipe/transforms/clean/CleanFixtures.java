package io.pinpipe.transforms.clean;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.transforms.onepass.CleanAndQuery;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.transforms.quality.QualityReport;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.joda.time.DateTime;
import org.joda.time.DateTimeZone;
import org.joda.time.Instant;

/** Small in-memory raw records for the cleaning tests, and the data-quality assertion they share. */
final class CleanFixtures {
  private CleanFixtures() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Marks a field left out of the JSON object (as opposed to JSON null). */
  static final Object ABSENT = new Object();

  static RawRecord raw(String origin, String json) {
    return RawRecord.of(origin, json.getBytes(StandardCharsets.UTF_8));
  }

  static RawRecord raw(String json) {
    return raw("test", json);
  }

  static RawRecord raw(String origin, byte[] payload) {
    return RawRecord.of(origin, payload);
  }

  /**
   * A pin as the emulator sends it, every field valid; {@code overrides} are field/value pairs
   * (a value may be null for JSON null, or {@link #ABSENT}).
   */
  static String pin(long index, Object... overrides) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("index", index);
    fields.put("unique_id", "u-" + index);
    fields.put("title", "Title");
    fields.put("description", "Desc");
    fields.put("poster_name", "Poster");
    fields.put("follower_count", "437");
    fields.put("tag_list", "a,b");
    fields.put("is_image_or_video", "image");
    fields.put("image_src", "https://i.pinimg.com/x.jpg");
    fields.put("downloaded", 1);
    fields.put("save_location", "Local save in /data/art");
    fields.put("category", "art");
    return json(fields, overrides);
  }

  static String json(Map<String, Object> fields, Object... overrides) {
    for (int i = 0; i < overrides.length; i += 2) {
      String name = (String) overrides[i];
      Object value = overrides[i + 1];
      if (value == ABSENT) {
        fields.remove(name);
      } else {
        fields.put(name, value);
      }
    }
    try {
      return JSON.writeValueAsString(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rules a default {@link #pin} fires: its "437" and its "Local save in " prefix. */
  static final String DEFAULT_PIN_RULES =
      "follower_count_digits_to_number=1, save_location_prefix_stripped=1";

  static Instant utc(int year, int month, int day, int hour, int minute, int second, int millis) {
    return new DateTime(year, month, day, hour, minute, second, millis, DateTimeZone.UTC).toInstant();
  }

  /**
   * Runs {@code records} of {@code kind} through {@link CleanAndQuery} in the global window, as the
   * batch job does, with the other kinds empty. Step names carry the kind, so a test may clean two
   * kinds in one pipeline.
   */
  static PCollectionTuple clean(TestPipeline p, RecordKind kind, RawRecord... records) {
    return clean(p, kind, Arrays.asList(records));
  }

  static PCollectionTuple clean(TestPipeline p, RecordKind kind, List<RawRecord> records) {
    Coder<RawRecord> coder;
    try {
      coder = p.getSchemaRegistry().getSchemaCoder(RawRecord.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    String name = capitalized(kind.id());
    Map<RecordKind, PCollection<RawRecord>> raw = new EnumMap<>(RecordKind.class);
    for (RecordKind each : RecordKind.values()) {
      List<RawRecord> these = each == kind ? records : List.of();
      String step = (each == kind ? "Raw" : "No") + capitalized(each.id()) + "sFor" + name + "s";
      raw.put(each, p.apply(step, Create.of(these).withCoder(coder)));
    }
    return CleanAndQuery.inputs(raw)
        .apply("CleanAndQuery" + name + "s", CleanAndQuery.inGlobalWindow(QuerySettings.defaults()));
  }

  /**
   * Asserts the data-quality counts of one kind, built by {@link QualityReport#fromSums} from the
   * summed {@link CleanAndQuery#COUNTS} (without the result row counts, which are no data-quality
   * keys), and that they balance (read = cleaned + dead-lettered + duplicates). {@code expected}
   * reads like
   * {@code read=2 cleaned=1 dead_lettered=1 duplicates=0 conflicts=0 nulled={} rules={...} unknown_fields={}}.
   */
  static void assertReport(PCollectionTuple cleaned, RecordKind kind, String expected) {
    PCollection<KV<String, Long>> sums =
        cleaned.get(CleanAndQuery.COUNTS).apply("SumCounts" + kind.id(), Sum.longsPerKey());
    PAssert.that("data-quality report of " + kind.id(), sums).satisfies(new ReportIs(kind, expected));
  }

  static String describe(QualityReport.KindCounts c) {
    return "read=" + c.read
        + " cleaned=" + c.cleaned
        + " dead_lettered=" + c.deadLettered
        + " duplicates=" + c.duplicates
        + " conflicts=" + c.conflicts
        + " nulled=" + c.nulled
        + " rules=" + c.rules
        + " unknown_fields=" + c.unknownFields;
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static final class ReportIs implements SerializableFunction<Iterable<KV<String, Long>>, Void> {
    private final RecordKind kind;
    private final String expected;

    ReportIs(RecordKind kind, String expected) {
      this.kind = kind;
      this.expected = expected;
    }

    @Override
    public Void apply(Iterable<KV<String, Long>> sums) {
      Map<String, Long> byKey = new HashMap<>();
      for (KV<String, Long> kv : sums) {
        if (kv.getKey().startsWith(QualityMetrics.RESULT_ROWS)) {
          continue;
        }
        assertEquals("metric key summed twice: " + kv.getKey(), null, byKey.put(kv.getKey(), kv.getValue()));
      }
      QualityReport.KindCounts counts = QualityReport.fromSums(byKey).kind(kind);
      assertEquals(expected, describe(counts));
      assertTrue("read = cleaned + dead_lettered + duplicates: " + describe(counts), counts.balances());
      return null;
    }
  }
}
