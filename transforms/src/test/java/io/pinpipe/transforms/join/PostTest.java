package io.pinpipe.transforms.join;

import static io.pinpipe.transforms.testing.CleanRows.geo;
import static io.pinpipe.transforms.testing.CleanRows.pin;
import static io.pinpipe.transforms.testing.CleanRows.user;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.values.Row;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * The joins of a {@link Post} are SQL inner joins on {@code ind}: one pair per matching (pin, geo)
 * or (pin, user), so a row number with two records on a side (a conflict the cleaning keeps)
 * multiplies its pairs, and a row number missing on either side gives none. The fixtures are those
 * the pipeline joins (PinGeoJoin, PinUserJoin) were tested with before posts replaced them.
 */
@RunWith(JUnit4.class)
public class PostTest {
  private static final String T1 = "2019-05-01T10:00:00Z";
  private static final String T2 = "2021-07-01T00:00:00Z";
  private static final String JOINED = "2016-02-29T12:00:00Z";

  private static final Row PIN1 = pin(1, "art", "ann", 1000L);
  // ind 2 twice: two conflicting pins with the same row number
  private static final Row PIN2_DIY = pin(2, "diy", "bob", 26000L);
  private static final Row PIN2_TRAVEL = pin(2, "travel", null, null);
  private static final Row PIN3 = pin(3, "beauty", "cat", 5L); // no geo, no user
  private static final Row PIN5 = pin(5, null, "dan", 7L);
  private static final List<Row> PINS = List.of(PIN1, PIN2_DIY, PIN2_TRAVEL, PIN3, PIN5);

  @Test
  public void pinGeoPairsAreOnePerMatchingPairLikeSql() {
    Row geo1 = geo(1, "Chad", T1);
    // ind 2 twice as well: 2 pins x 2 geos = 4 pairs
    Row geo2Chad = geo(2, "Chad", T1);
    Row geo2Peru = geo(2, "Peru", null);
    Row geo4 = geo(4, "Peru", T2); // no pin
    Row geo5 = geo(5, null, T2);
    Map<Long, Post> posts = posts(PINS, List.of(geo1, geo2Chad, geo2Peru, geo4, geo5), List.of());

    List<List<Row>> pairs = new ArrayList<>();
    posts.values().forEach(post -> post.forEachPinGeo((pin, geo) -> pairs.add(List.of(pin, geo))));

    assertThat(
        pairs,
        containsInAnyOrder(
            List.of(PIN1, geo1),
            List.of(PIN2_DIY, geo2Chad),
            List.of(PIN2_DIY, geo2Peru),
            List.of(PIN2_TRAVEL, geo2Chad),
            List.of(PIN2_TRAVEL, geo2Peru),
            List.of(PIN5, geo5)));
    assertEquals(4, pairsOf(posts.get(2L), true).size());
    assertEquals(List.of(), pairsOf(posts.get(3L), true)); // a pin without a geo
    assertEquals(List.of(), pairsOf(posts.get(4L), true)); // a geo without a pin
  }

  @Test
  public void pinUserPairsAreOnePerMatchingPairLikeSql() {
    Row user1 = user(1, "Ann Lee", 24, JOINED);
    Row user2 = user(2, "Bob Roe", null, null);
    Row user4 = user(4, "Nobody", 40, JOINED); // no pin
    // ind 5 twice: 1 pin x 2 users = 2 pairs
    Row user5Unnamed = user(5, null, 51, JOINED);
    Row user5Dan = user(5, "Dan Poe", 51, JOINED);
    Map<Long, Post> posts =
        posts(PINS, List.of(), List.of(user1, user2, user4, user5Unnamed, user5Dan));

    List<List<Row>> pairs = new ArrayList<>();
    posts.values().forEach(post -> post.forEachPinUser((pin, user) -> pairs.add(List.of(pin, user))));

    assertThat(
        pairs,
        containsInAnyOrder(
            List.of(PIN1, user1),
            List.of(PIN2_DIY, user2),
            List.of(PIN2_TRAVEL, user2),
            List.of(PIN5, user5Unnamed),
            List.of(PIN5, user5Dan)));
    assertEquals(List.of(), pairsOf(posts.get(3L), false)); // a pin without a user
    assertEquals(List.of(), pairsOf(posts.get(4L), false)); // a user without a pin
  }

  @Test
  public void aPostWithoutGeosOrUsersHasNoPairsEvenWithManyPins() {
    Post post = Post.of(2, List.of(PIN2_DIY, PIN2_TRAVEL), List.of(), List.of());
    assertEquals(List.of(), pairsOf(post, true));
    assertEquals(List.of(), pairsOf(post, false));
  }

  @Test
  public void pairsVisitEachPinWithEachRecordOfTheOtherSideInOrder() {
    Row geoChad = geo(2, "Chad", T1);
    Row geoPeru = geo(2, "Peru", null);
    Post post = Post.of(2, List.of(PIN2_DIY, PIN2_TRAVEL), List.of(geoChad, geoPeru), List.of());
    assertEquals(
        List.of(
            List.of(PIN2_DIY, geoChad),
            List.of(PIN2_DIY, geoPeru),
            List.of(PIN2_TRAVEL, geoChad),
            List.of(PIN2_TRAVEL, geoPeru)),
        pairsOf(post, true));
  }

  /** The records grouped by row number into posts, as the pipeline does per bucket. */
  private static Map<Long, Post> posts(List<Row> pins, List<Row> geos, List<Row> users) {
    Map<Long, Post> posts = new TreeMap<>();
    pins.forEach(pin -> posts.computeIfAbsent(pin.getInt64("ind"), Post::new).pins().add(pin));
    geos.forEach(geo -> posts.computeIfAbsent(geo.getInt64("ind"), Post::new).geos().add(geo));
    users.forEach(user -> posts.computeIfAbsent(user.getInt64("ind"), Post::new).users().add(user));
    return posts;
  }

  private static List<List<Row>> pairsOf(Post post, boolean geos) {
    List<List<Row>> pairs = new ArrayList<>();
    if (geos) {
      post.forEachPinGeo((pin, geo) -> pairs.add(List.of(pin, geo)));
    } else {
      post.forEachPinUser((pin, user) -> pairs.add(List.of(pin, user)));
    }
    return pairs;
  }
}
