package io.pinpipe.emulator.generate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.BeforeClass;
import org.junit.Test;

/** The generator's events: fixed by the seed, shaped as the contract says, JSON as Python's. */
public class PostGeneratorTest {
  private static final long SEED = 7;
  private static final int EVENTS = 3_000;

  private static final List<String> PIN_FIELDS =
      List.of(
          "index", "unique_id", "title", "description", "poster_name", "follower_count", "tag_list",
          "is_image_or_video", "image_src", "downloaded", "save_location", "category");
  private static final List<String> GEO_FIELDS =
      List.of("ind", "timestamp", "latitude", "longitude", "country");
  private static final List<String> USER_FIELDS =
      List.of("ind", "first_name", "last_name", "age", "date_joined");

  private static final Pattern UUID4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  private static final Pattern DATETIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
  private static final Pattern IMAGE_SRC =
      Pattern.compile(
          "https://i\\.pinimg\\.com/originals/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{2})/"
              + "\\1\\2\\3[0-9a-f]{26}\\.(jpg|png|webp|gif)");
  private static final Pattern THUMBNAIL_SRC =
      Pattern.compile(
          "https://i\\.pinimg\\.com/videos/thumbnails/originals/([0-9a-f]{2})/([0-9a-f]{2})/"
              + "([0-9a-f]{2})/\\1\\2\\3[0-9a-f]{26}(\\.0000001|-00001)\\.jpg");
  private static final Pattern FOLLOWER_COUNT = Pattern.compile("\\d+|\\d+k|\\d+M|User Info Error");

  private static GeneratedEvents events;

  @BeforeClass
  public static void generate() {
    events = GeneratedEvents.generate(SEED, EVENTS);
  }

  @Test
  public void theSameSeedGivesTheSameBytes() {
    PostGenerator again = new PostGenerator(SEED);
    for (GeneratedPost post : events.posts) {
      assertEquals(post, again.next());
    }
  }

  @Test
  public void anotherSeedGivesOtherEvents() {
    PostGenerator other = new PostGenerator(SEED + 1);
    int same = 0;
    for (int i = 0; i < 100; i++) {
      GeneratedPost a = events.posts.get(i);
      GeneratedPost b = other.next();
      assertEquals(a.index(), b.index());
      same += a.pinJson().equals(b.pinJson()) ? 1 : 0;
    }
    assertEquals("pins equal under seeds 7 and 8", 0, same);
  }

  @Test
  public void rowNumbersCountFromOneAndEventIDependsOnlyOnSeedAndI() {
    for (int i = 0; i < EVENTS; i++) {
      assertEquals(i + 1, events.posts.get(i).index());
    }
    PostGenerator generator = new PostGenerator(SEED);
    assertEquals(events.posts.get(1999), generator.postAt(2000));
    PostGenerator resumed =
        new PostGenerator(SEED, GeneratorSettings.defaults().withFirstIndex(2001));
    for (int i = 2000; i < EVENTS; i++) {
      assertEquals(events.posts.get(i), resumed.next());
    }
  }

  @Test
  public void recordsHaveTheContractsFieldsInOrderWithTheirJsonTypes() {
    for (int i = 0; i < EVENTS; i++) {
      JsonNode pin = events.pins.get(i);
      JsonNode geo = events.geos.get(i);
      JsonNode user = events.users.get(i);
      assertEquals(PIN_FIELDS, names(pin));
      assertEquals(GEO_FIELDS, names(geo));
      assertEquals(USER_FIELDS, names(user));
      long index = events.posts.get(i).index();
      for (JsonNode ind : List.of(pin.get("index"), geo.get("ind"), user.get("ind"))) {
        assertTrue(ind.isInt());
        assertEquals(index, ind.asLong());
      }
      for (String f : PIN_FIELDS) {
        if (!f.equals("index") && !f.equals("downloaded")) {
          assertTrue(f + " is a string in " + pin, pin.get(f).isTextual());
        }
      }
      assertTrue(pin.get("downloaded").isInt());
      assertTrue(Set.of(0, 1).contains(pin.get("downloaded").asInt()));
      assertTrue(geo.get("timestamp").isTextual());
      assertTrue("latitude is a float: " + geo, geo.get("latitude").isDouble());
      assertTrue("longitude is a float: " + geo, geo.get("longitude").isDouble());
      assertTrue(geo.get("country").isTextual());
      assertTrue(user.get("first_name").isTextual());
      assertTrue(user.get("last_name").isTextual());
      assertTrue(user.get("age").isInt());
      assertTrue(user.get("date_joined").isTextual());
    }
  }

  @Test
  public void jsonIsWrittenLikePythonsJsonDumpsInAsciiOnly() {
    Pattern pinStart = Pattern.compile("\\{\"index\": \\d+, \"unique_id\": \"[0-9a-f-]{36}\", \"title\": \".*");
    Pattern geoShape =
        Pattern.compile(
            "\\{\"ind\": \\d+, \"timestamp\": \"[0-9: -]{19}\", \"latitude\": -?\\d+\\.\\d+(e-\\d\\d)?,"
                + " \"longitude\": -?\\d+\\.\\d+(e-\\d\\d)?, \"country\": \".+\"\\}");
    Pattern userShape =
        Pattern.compile(
            "\\{\"ind\": \\d+, \"first_name\": \"[^\"]+\", \"last_name\": \"[^\"]+\", \"age\": \\d\\d,"
                + " \"date_joined\": \"[0-9: -]{19}\"\\}");
    int escaped = 0;
    for (GeneratedPost post : events.posts) {
      assertTrue(post.pinJson(), pinStart.matcher(post.pinJson()).matches());
      assertTrue(post.pinJson().endsWith("\", \"category\": \"" + categoryOf(post) + "\"}"));
      assertTrue(post.geoJson(), geoShape.matcher(post.geoJson()).matches());
      assertTrue(post.userJson(), userShape.matcher(post.userJson()).matches());
      for (String json : List.of(post.pinJson(), post.geoJson(), post.userJson())) {
        assertTrue("ASCII only: " + json, json.chars().allMatch(c -> c < 0x7f && c >= 0x20));
      }
      escaped += post.pinJson().contains("\\u") ? 1 : 0;
    }
    // descriptions cut with "\u2026\u00a0" alone put escapes in ~35% of pins
    assertTrue("pins with \\u escapes: " + escaped, escaped > EVENTS / 5);
  }

  @Test
  public void eachValueHasItsRealShapeAndUniqueIdsAreUnique() {
    for (int i = 0; i < EVENTS; i++) {
      JsonNode pin = events.pins.get(i);
      String media = pin.get("is_image_or_video").asText();
      String src = pin.get("image_src").asText();
      assertTrue(pin.get("unique_id").asText(), UUID4.matcher(pin.get("unique_id").asText()).matches());
      assertTrue(FOLLOWER_COUNT.matcher(pin.get("follower_count").asText()).matches());
      assertEquals(
          "Local save in /data/" + pin.get("category").asText(), pin.get("save_location").asText());
      if (!src.equals("Image src error.")) {
        Pattern shape = media.equals("image") ? IMAGE_SRC : THUMBNAIL_SRC;
        assertTrue(media + ": " + src, shape.matcher(src).matches());
      }
      if (media.equals("multi-video(story page format)")) {
        assertFalse(src, src.endsWith("-00001.jpg"));
      }
      assertTrue(DATETIME.matcher(events.geos.get(i).get("timestamp").asText()).matches());
      assertTrue(DATETIME.matcher(events.users.get(i).get("date_joined").asText()).matches());
      String tags = pin.get("tag_list").asText();
      assertFalse(tags, tags.startsWith(",") || tags.endsWith(",") || tags.contains(",,"));
    }
    Set<String> uuids = new HashSet<>();
    events.pins.forEach(p -> uuids.add(p.get("unique_id").asText()));
    assertEquals(EVENTS, uuids.size());
  }

  @Test
  public void resendsAreIdenticalAndFollowTheirOriginalShortly() {
    PostGenerator generator =
        new PostGenerator(SEED, GeneratorSettings.defaults().withDuplicateRate(0.1));
    List<GeneratedPost> sent = new ArrayList<>();
    while (generator.freshCount() < EVENTS) {
      sent.add(generator.next());
    }
    sent.addAll(generator.drainResends());
    assertEquals(sent.size() - EVENTS, generator.resentCount());

    Map<Long, Integer> firstPosition = new HashMap<>();
    List<GeneratedPost> distinct = new ArrayList<>();
    int resent = 0;
    for (int position = 0; position < sent.size(); position++) {
      GeneratedPost post = sent.get(position);
      Integer first = firstPosition.putIfAbsent(post.index(), position);
      if (first == null) {
        distinct.add(post);
      } else {
        resent++;
        assertEquals(sent.get(first), post);
        assertTrue("resent " + (position - first) + " events later", position - first <= 16);
      }
    }
    assertEquals("the fresh events are those of a run without resends", events.posts, distinct);
    assertEquals(resent, generator.resentCount());
    // 10% of 3,000 events; binomial standard error 16
    assertTrue("resent " + resent, Math.abs(resent - 300) <= 80);
    assertEquals(
        "each row number at most twice",
        sent.size(),
        distinct.size() + resent);
  }

  @Test
  public void aHigherDuplicateRateResendsASupersetOfEvents() {
    Set<Long> low = resentIndexes(0.05);
    Set<Long> high = resentIndexes(0.2);
    assertFalse(low.isEmpty());
    assertTrue(high.containsAll(low));
    assertTrue(high.size() > low.size());
  }

  private static Set<Long> resentIndexes(double rate) {
    PostGenerator generator =
        new PostGenerator(SEED, GeneratorSettings.defaults().withDuplicateRate(rate));
    Set<Long> seen = new HashSet<>();
    Set<Long> resent = new HashSet<>();
    while (generator.freshCount() < 1000) {
      long index = generator.next().index();
      if (!seen.add(index)) {
        resent.add(index);
      }
    }
    generator.drainResends().forEach(p -> resent.add(p.index()));
    return resent;
  }

  @Test
  public void settingsRejectImpossibleValues() {
    assertThrowsIllegalArgument(() -> GeneratorSettings.defaults().withDuplicateRate(1.0));
    assertThrowsIllegalArgument(() -> GeneratorSettings.defaults().withDuplicateRate(-0.1));
    assertThrowsIllegalArgument(() -> GeneratorSettings.defaults().withDuplicateRate(Double.NaN));
    assertThrowsIllegalArgument(() -> GeneratorSettings.defaults().withFirstIndex(-1));
    assertNotEquals(GeneratorSettings.defaults(), GeneratorSettings.defaults().withFirstIndex(0));
  }

  private static void assertThrowsIllegalArgument(Runnable r) {
    try {
      r.run();
    } catch (IllegalArgumentException expected) {
      return;
    }
    throw new AssertionError("expected IllegalArgumentException");
  }

  private static String categoryOf(GeneratedPost post) {
    return GeneratedEvents.parse(post.pinJson()).get("category").asText();
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
