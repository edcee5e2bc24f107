package io.pinpipe.transforms.join;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;

/**
 * The join reads a bucket's grouped values once: Flink's batch GroupByKey hands out iterables that
 * refuse a second pass (a 1,000,000-event run failed on the CoGroupByKey this replaced, whose
 * result re-reads a large group once per side). Values of both sides arrive interleaved.
 */
public class OnePassJoinTest {
  private static final Schema LEFT = Schema.builder().addStringField("category").build();
  private static final Schema RIGHT = Schema.builder().addStringField("country").build();
  private static final Schema OUT =
      Schema.builder().addInt64Field("ind").addStringField("category").addStringField("country").build();

  @Test
  public void testPairsComeFromASingleReadOfInterleavedSides() {
    List<RawUnionValue> values =
        List.of(
            right(2, "Chad"),
            left(1, "art"),
            left(2, "travel"),
            right(3, "Peru"),
            right(2, "Fiji"),
            left(2, "diy"));
    List<Row> out = new ArrayList<>();
    InnerJoinOnInd.emitPairs(once(values), OUT, out::add);

    // ind 1 has no right side, ind 3 no left; ind 2 has 2 lefts x 2 rights, in left order.
    assertEquals(
        List.of(
            row(2, "travel", "Chad"), row(2, "travel", "Fiji"), row(2, "diy", "Chad"), row(2, "diy", "Fiji")),
        out);
  }

  private static RawUnionValue left(long ind, String category) {
    return new RawUnionValue(InnerJoinOnInd.LEFT, KV.of(ind, Row.withSchema(LEFT).addValue(category).build()));
  }

  private static RawUnionValue right(long ind, String country) {
    return new RawUnionValue(InnerJoinOnInd.RIGHT, KV.of(ind, Row.withSchema(RIGHT).addValue(country).build()));
  }

  private static Row row(long ind, String category, String country) {
    return Row.withSchema(OUT).addValues(ind, category, country).build();
  }

  /** An iterable that, like Flink's grouped values, cannot be iterated twice. */
  private static <T> Iterable<T> once(List<T> values) {
    AtomicBoolean used = new AtomicBoolean();
    return () -> {
      if (used.getAndSet(true)) {
        throw new IllegalStateException("iterated twice");
      }
      Iterator<T> it = values.iterator();
      return it;
    };
  }
}
