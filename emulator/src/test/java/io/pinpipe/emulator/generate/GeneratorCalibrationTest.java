package io.pinpipe.emulator.generate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The generator against the real data. Every REAL_* figure below was measured on the 2,178
 * aligned events of the reference sample, not shipped (calibrate.py derive/compare; this test
 * cannot read that folder): a count of rows out of 2,178 unless stated.
 *
 * <p>Tolerance: a generated share of n events is a binomial estimate of the rate built into the
 * generator, so it may deviate by a few standard errors sqrt(p(1-p)/n). Pins draw their
 * placeholders independently, but account attributes (follower format, home category) repeat for
 * every post of an account, which inflates the variance by the design effect Σ m_a² / n (m_a =
 * rows of account a), measured on the generated events themselves (about 3.8 here). We accept 4
 * such standard errors: a correct generator fails with probability below 1e-4 per figure for any
 * seed, while on 20,000 events a rate off by a fifth is caught for every figure above 1%.
 */
public class GeneratorCalibrationTest {
  private static final long SEED = 20_240_601L;
  private static final int EVENTS = 20_000;
  private static final double STANDARD_ERRORS = 4;
  private static final double SAMPLE = 2178;

  private static final double REAL_USER_INFO_ERROR = 17 / SAMPLE;
  private static final double REAL_NO_TITLE = 17 / SAMPLE;
  private static final double REAL_EMPTY_TITLE = 1 / SAMPLE;
  private static final double REAL_STORY = 155 / SAMPLE; // description placeholder = story pins
  private static final double REAL_NO_DESCRIPTION = 32 / SAMPLE;
  private static final double REAL_UNTITLED = 1 / SAMPLE;
  private static final double REAL_NO_TAGS = 32 / SAMPLE;
  private static final double REAL_IMAGE_SRC_ERROR = 54 / SAMPLE;
  private static final double REAL_VIDEO = 66 / SAMPLE;
  private static final double REAL_FOLLOWERS_K = 1601 / SAMPLE;
  private static final double REAL_FOLLOWERS_M = 167 / SAMPLE;
  private static final double REAL_FOLLOWERS_DIGITS = 393 / SAMPLE;
  /** 2,178 rows by 1,489 distinct (first_name, last_name, age, date_joined). */
  private static final double REAL_ROWS_PER_PERSON = SAMPLE / 1489;
  /** Persons aged 20..24: 425 of the 1,488 persons without the "User Info Error" one. */
  private static final double REAL_PERSONS_AGED_20_TO_24 = 425 / 1488.0;

  private static final Map<String, Integer> REAL_CATEGORY_ROWS =
      Map.ofEntries(
          Map.entry("art", 188),
          Map.entry("beauty", 145),
          Map.entry("christmas", 216),
          Map.entry("diy-and-crafts", 162),
          Map.entry("education", 164),
          Map.entry("event-planning", 158),
          Map.entry("finance", 173),
          Map.entry("home-decor", 150),
          Map.entry("mens-fashion", 169),
          Map.entry("quotes", 175),
          Map.entry("tattoos", 168),
          Map.entry("travel", 169),
          Map.entry("vehicles", 141));

  private static final String STORY = "multi-video(story page format)";
  private static final String STORY_DESCRIPTION = "No description available Story format";
  private static final String UIE = "User Info Error";

  private static GeneratedEvents events;
  private static double designEffect;

  @BeforeClass
  public static void generate() {
    events = GeneratedEvents.generate(SEED, EVENTS);
    Map<String, Integer> rowsPerPerson = rowsPerPerson();
    double sumOfSquares = 0;
    for (int m : rowsPerPerson.values()) {
      sumOfSquares += (double) m * m;
    }
    designEffect = sumOfSquares / EVENTS;
  }

  @Test
  public void placeholdersOccurAtTheRealDatasRates() {
    assertPinRate("User Info Error", REAL_USER_INFO_ERROR, 1, p -> is(p, "poster_name", UIE));
    assertPinRate("No Title Data Available", REAL_NO_TITLE, 1, p -> is(p, "title", "No Title Data Available"));
    assertPinRate("empty title", REAL_EMPTY_TITLE, 1, p -> is(p, "title", ""));
    assertPinRate("story description", REAL_STORY, 1, p -> is(p, "description", STORY_DESCRIPTION));
    assertPinRate(
        "No description available", REAL_NO_DESCRIPTION, 1,
        p -> is(p, "description", "No description available"));
    assertPinRate("Untitled", REAL_UNTITLED, 1, p -> is(p, "description", "Untitled"));
    assertPinRate(
        "no tags", REAL_NO_TAGS, 1, p -> is(p, "tag_list", "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e"));
    assertPinRate("image src error", REAL_IMAGE_SRC_ERROR, 1, p -> is(p, "image_src", "Image src error."));
    assertPinRate("video", REAL_VIDEO, 1, p -> is(p, "is_image_or_video", "video"));
  }

  @Test
  public void placeholdersComeWhereTheRealDataHasThem() {
    for (JsonNode pin : events.pins) {
      boolean story = is(pin, "is_image_or_video", STORY);
      assertEquals(pin.toString(), story, is(pin, "description", STORY_DESCRIPTION));
      assertEquals(pin.toString(), is(pin, "image_src", "Image src error."), pin.get("downloaded").asInt() == 0);
      assertEquals(pin.toString(), is(pin, "poster_name", UIE), is(pin, "follower_count", UIE));
      if (is(pin, "poster_name", UIE)) {
        // in the real data every "User Info Error" pin is broken throughout
        assertEquals("No Title Data Available", pin.get("title").asText());
        assertEquals("Image src error.", pin.get("image_src").asText());
        assertTrue(story);
      }
      if (is(pin, "image_src", "Image src error.")) {
        assertTrue("only story pins lack an image", story);
      }
    }
  }

  @Test
  public void followerCountFormatsOccurAtTheRealRatesUpToFifteenMillion() {
    double deff = designEffect;
    assertPinRate("<n>k", REAL_FOLLOWERS_K, deff, p -> p.get("follower_count").asText().matches("\\d+k"));
    assertPinRate("<n>M", REAL_FOLLOWERS_M, deff, p -> p.get("follower_count").asText().matches("\\d+M"));
    assertPinRate("digits", REAL_FOLLOWERS_DIGITS, deff, p -> p.get("follower_count").asText().matches("\\d+"));
    int maxMillions = 0;
    for (JsonNode pin : events.pins) {
      String f = pin.get("follower_count").asText();
      if (f.endsWith("M")) {
        maxMillions = Math.max(maxMillions, Integer.parseInt(f.substring(0, f.length() - 1)));
      } else if (f.endsWith("k")) {
        int k = Integer.parseInt(f.substring(0, f.length() - 1));
        assertTrue(f, k >= 1 && k <= 999);
      } else if (!f.equals(UIE)) {
        assertTrue(f, Integer.parseInt(f) < 1000);
      }
    }
    assertEquals("the real maximum is 15M", 15, maxMillions);
  }

  @Test
  public void theThirteenCategoriesOccurWithTheirRealShares() {
    Set<String> seen = new TreeSet<>();
    events.pins.forEach(p -> seen.add(p.get("category").asText()));
    assertEquals(new TreeSet<>(REAL_CATEGORY_ROWS.keySet()), seen);
    for (Map.Entry<String, Integer> c : REAL_CATEGORY_ROWS.entrySet()) {
      assertPinRate(
          "category " + c.getKey(), c.getValue() / SAMPLE, designEffect, p -> is(p, "category", c.getKey()));
    }
  }

  @Test
  public void personsRecurLikeTheRealOnes() {
    Map<String, Integer> rows = rowsPerPerson();
    double rowsPerPerson = (double) EVENTS / rows.size();
    assertEquals("rows per person", REAL_ROWS_PER_PERSON, rowsPerPerson, 0.1);
    // a poster is a person in the sample: 1,489 poster names too; distinct accounts rarely share
    // a name
    Set<String> posterNames = new HashSet<>();
    events.pins.forEach(p -> posterNames.add(p.get("poster_name").asText()));
    assertEquals("rows per poster name", REAL_ROWS_PER_PERSON, (double) EVENTS / posterNames.size(), 0.1);
    // Heavy tail: the sample's busiest person has 46 of 2,178 rows; choosing a uniformly random
    // earlier person instead of an earlier post would give at most ~10 here.
    List<Integer> counts = new ArrayList<>(rows.values());
    counts.sort((a, b) -> b - a);
    int busiestOrdinary = counts.get(1); // counts.get(0) is the "User Info Error" person
    assertTrue("second busiest person has " + busiestOrdinary + " rows", busiestOrdinary >= 20);
  }

  @Test
  public void aPosterIsOnePersonInOnePlaceWithOneFollowerCount() {
    Map<String, String> accountOfPerson = new HashMap<>();
    Set<String> errorPersons = new HashSet<>();
    for (int i = 0; i < EVENTS; i++) {
      JsonNode pin = events.pins.get(i);
      JsonNode geo = events.geos.get(i);
      String person = person(events.users.get(i));
      if (is(pin, "poster_name", UIE)) {
        errorPersons.add(person + geo.get("country") + geo.get("latitude"));
        continue;
      }
      String account =
          pin.get("poster_name").asText() + "|" + pin.get("follower_count").asText() + "|"
              + geo.get("country").asText() + "|" + geo.get("latitude").asText() + "|"
              + geo.get("longitude").asText();
      String before = accountOfPerson.putIfAbsent(person, account);
      assertTrue(person + ": " + before + " vs " + account, before == null || before.equals(account));
    }
    assertEquals("all User Info Error pins carry one person and place", 1, errorPersons.size());
  }

  @Test
  public void countriesAgesAndDatesCoverTheRealRanges() {
    Set<String> countries = new HashSet<>();
    events.geos.forEach(g -> countries.add(g.get("country").asText()));
    // all 237 countries of the samples occur (the rarest has weight 2 of 1,725 per account)
    assertEquals(237, countries.size());

    Set<Integer> ages = new TreeSet<>();
    events.users.forEach(u -> ages.add(u.get("age").asInt()));
    assertEquals(20, (int) ((TreeSet<Integer>) ages).first());
    assertEquals(60, (int) ((TreeSet<Integer>) ages).last());
    assertEquals("every age 20..60", 41, ages.size());

    Map<String, Integer> persons = new HashMap<>();
    events.users.forEach(u -> persons.put(person(u), u.get("age").asInt()));
    long young = persons.values().stream().filter(a -> a <= 24).count();
    assertShare("persons aged 20..24", REAL_PERSONS_AGED_20_TO_24, 1, young, persons.size());

    for (JsonNode user : events.users) {
      String joined = user.get("date_joined").asText();
      assertTrue(joined, joined.compareTo("2015-10-20 00:00:00") >= 0);
      assertTrue(joined, joined.compareTo("2017-10-20 00:00:00") < 0);
    }
    Set<String> postYears = new TreeSet<>();
    for (JsonNode geo : events.geos) {
      String t = geo.get("timestamp").asText();
      assertTrue(t, t.compareTo("2017-10-20 00:00:00") >= 0);
      assertTrue(t, t.compareTo("2022-10-19 00:00:00") < 0);
      postYears.add(t.substring(0, 4));
      double lat = geo.get("latitude").asDouble();
      double lon = geo.get("longitude").asDouble();
      assertTrue(geo.toString(), lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180);
    }
    assertEquals(Set.of("2017", "2018", "2019", "2020", "2021", "2022"), postYears);
  }

  private static Map<String, Integer> rowsPerPerson() {
    Map<String, Integer> rows = new HashMap<>();
    events.users.forEach(u -> rows.merge(person(u), 1, Integer::sum));
    return rows;
  }

  private static String person(JsonNode user) {
    return user.get("first_name").asText() + "|" + user.get("last_name").asText() + "|"
        + user.get("age").asInt() + "|" + user.get("date_joined").asText();
  }

  private static boolean is(JsonNode record, String field, String value) {
    return record.get(field).asText().equals(value);
  }

  private static void assertPinRate(
      String what, double real, double designEffect, Predicate<JsonNode> test) {
    long hits = events.pins.stream().filter(test).count();
    assertShare(what, real, designEffect, hits, EVENTS);
  }

  private static void assertShare(String what, double real, double designEffect, long hits, long n) {
    double share = (double) hits / n;
    double tolerance = STANDARD_ERRORS * Math.sqrt(designEffect * real * (1 - real) / n);
    assertTrue(
        String.format(
            "%s: generated %.4f%%, real %.4f%%, tolerance ±%.4f%%",
            what, 100 * share, 100 * real, 100 * tolerance),
        Math.abs(share - real) <= tolerance);
  }
}
