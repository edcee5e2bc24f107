package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.schemas.NoSuchSchemaException;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;

/**
 * A few dozen raw records of all three kinds, as the jobs read them: {@link #POSTS} complete posts
 * that every query has rows for, exact duplicates from other origins, conflicts (one row number,
 * different content) and records that cannot be parsed.
 */
final class OnePassFixtures {
  private OnePassFixtures() {}

  static final int POSTS = 12;

  /** Exact copies, from another origin: 3 pins, 1 geo, 1 user. */
  static final int PIN_DUPLICATES = 3;
  static final int GEO_DUPLICATES = 1;
  static final int USER_DUPLICATES = 1;

  /** Records that cannot be parsed: one of each kind. */
  static final int DEAD_LETTERS_PER_KIND = 1;

  /** A second pin for row 6 and a second user for row 7, each with other content. */
  static final int PIN_CONFLICTS = 2;
  static final int USER_CONFLICTS = 2;

  /** The origin of a good pin that nothing else duplicates. */
  static final String LONE_PIN = "pins:5";

  private static final String[] CATEGORIES = {"art", "diy", "travel"};
  private static final String[] COUNTRIES = {"Chad", "Peru", "Fiji"};

  static RawRecord raw(String origin, String json) {
    return RawRecord.of(origin, json.getBytes(StandardCharsets.UTF_8));
  }

  static String pin(long ind, String title) {
    return String.format(
        "{\"index\": %d, \"unique_id\": \"u-%d\", \"title\": \"%s\", \"description\": \"d\", "
            + "\"poster_name\": \"P%d\", \"follower_count\": \"%dk\", \"tag_list\": \"a,b\", "
            + "\"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/x.jpg\", "
            + "\"downloaded\": 1, \"save_location\": \"Local save in /data/%s\", \"category\": \"%s\"}",
        ind, ind, title, ind % 4, ind, CATEGORIES[(int) (ind % 3)], CATEGORIES[(int) (ind % 3)]);
  }

  static String geo(long ind) {
    return String.format(
        "{\"ind\": %d, \"timestamp\": \"20%d-0%d-15 10:00:00\", \"latitude\": -10.5, \"longitude\": %d.25, "
            + "\"country\": \"%s\"}",
        ind, 18 + ind % 5, 1 + ind % 9, ind, COUNTRIES[(int) (ind % 3)]);
  }

  static String user(long ind, int age) {
    return String.format(
        "{\"ind\": %d, \"first_name\": \"F%d\", \"last_name\": \"L\", \"age\": %d, "
            + "\"date_joined\": \"201%d-03-04 05:06:07\"}",
        ind, ind % 5, age, 5 + ind % 6);
  }

  /** Every kind's records, in an order that puts duplicates and conflicts apart from their twins. */
  static Map<RecordKind, List<RawRecord>> mixedRecords() {
    List<RawRecord> pins = new ArrayList<>();
    List<RawRecord> geos = new ArrayList<>();
    List<RawRecord> users = new ArrayList<>();
    for (long ind = 1; ind <= POSTS; ind++) {
      pins.add(raw("pins:" + ind, pin(ind, "t" + ind)));
      geos.add(raw("geos:" + ind, geo(ind)));
      users.add(raw("users:" + ind, user(ind, 18 + (int) ind * 4)));
    }
    for (long ind = 1; ind <= PIN_DUPLICATES; ind++) {
      pins.add(raw("replay/pins:" + ind, pin(ind, "t" + ind)));
    }
    geos.add(raw("replay/geos:4", geo(4)));
    users.add(raw("replay/users:5", user(5, 18 + 5 * 4)));
    pins.add(raw("pins:conflict:6", pin(6, "another title")));
    users.add(raw("users:conflict:7", user(7, 99)));
    pins.add(raw("pins:bad", "{index: 3}"));
    geos.add(raw("geos:bad", "[1, 2]"));
    users.add(raw("users:bad", "{\"ind\": null, \"first_name\": \"A\"}"));

    Map<RecordKind, List<RawRecord>> records = new EnumMap<>(RecordKind.class);
    records.put(RecordKind.PIN, pins);
    records.put(RecordKind.GEO, geos);
    records.put(RecordKind.USER, users);
    return records;
  }

  /** Each kind's records as a collection with RawRecord's schema coder, named by kind. */
  static Map<RecordKind, PCollection<RawRecord>> create(
      Pipeline p, String name, Map<RecordKind, List<RawRecord>> records) {
    Coder<RawRecord> coder;
    try {
      coder = p.getSchemaRegistry().getSchemaCoder(RawRecord.class);
    } catch (NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
    Map<RecordKind, PCollection<RawRecord>> raw = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      List<RawRecord> these = records.getOrDefault(kind, List.of());
      raw.put(kind, p.apply(name + kind.id(), Create.of(these).withCoder(coder)));
    }
    return raw;
  }
}
