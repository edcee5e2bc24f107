package io.pinpipe.transforms.join;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.beam.sdk.values.Row;

/**
 * The clean records of one row number within one window: a posting event's pin, geo and user
 * record, and the inner joins the queries read (docs/semantics.md#queries).
 *
 * <p>The joins are SQL inner joins on {@code ind}: {@link #forEachPinGeo} visits every (pin, geo)
 * pair, so a row number with two different pins (a conflict the cleaning keeps) gives two pin⋈geo
 * rows, and a post without a geo record gives none. Exact duplicates were removed before a post is
 * built.
 */
public final class Post {
  private final long ind;
  private final List<Row> pins = new ArrayList<>(1);
  private final List<Row> geos = new ArrayList<>(1);
  private final List<Row> users = new ArrayList<>(1);

  public Post(long ind) {
    this.ind = ind;
  }

  /** A post of the given records, e.g. for tests. */
  public static Post of(long ind, List<Row> pins, List<Row> geos, List<Row> users) {
    Post post = new Post(ind);
    post.pins.addAll(pins);
    post.geos.addAll(geos);
    post.users.addAll(users);
    return post;
  }

  public long ind() {
    return ind;
  }

  /** Clean pins, {@link io.pinpipe.transforms.schema.RecordSchemas#PIN}. */
  public List<Row> pins() {
    return pins;
  }

  /** Clean geos, {@link io.pinpipe.transforms.schema.RecordSchemas#GEO}. */
  public List<Row> geos() {
    return geos;
  }

  /** Clean users, {@link io.pinpipe.transforms.schema.RecordSchemas#USER}. */
  public List<Row> users() {
    return users;
  }

  /** Every pin⋈geo pair of this row number. */
  public void forEachPinGeo(BiConsumer<Row, Row> pair) {
    for (Row pin : pins) {
      for (Row geo : geos) {
        pair.accept(pin, geo);
      }
    }
  }

  /** Every pin⋈user pair of this row number. */
  public void forEachPinUser(BiConsumer<Row, Row> pair) {
    for (Row pin : pins) {
      for (Row user : users) {
        pair.accept(pin, user);
      }
    }
  }

  @Override
  public String toString() {
    return "Post{" + ind + ": " + pins.size() + " pin, " + geos.size() + " geo, " + users.size() + " user}";
  }
}
