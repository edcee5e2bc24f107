package io.pinpipe.transforms.testing;

import static org.junit.Assert.assertEquals;

import io.pinpipe.transforms.aggregate.PostQuery;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.queries.PinterestQueries;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.values.Row;

/**
 * Runs the queries ({@link PostQuery}, {@link PinterestQueries}) on clean records in plain Java, as
 * a pipeline feeds them: the records grouped by {@code ind} into {@link Post}s, added into
 * accumulators, and merged.
 *
 * <p>{@link #run} also checks that the posts added into several accumulators, each encoded and
 * decoded with the query's accumulator coder and then merged, give the same rows as one
 * accumulator: a pipeline merges its bundles' accumulators after they have crossed the runner.
 */
public final class PostQueries {
  private PostQueries() {}

  /** How the accumulators of the parts are merged. */
  public enum Merge {
    /** One {@code mergeAccumulators} of every part. */
    AT_ONCE,
    /** A running accumulator merged with one part at a time, as FlinkRunner's batch combine does. */
    ONE_BY_ONE
  }

  /** The clean records grouped by {@code ind} into posts, in {@code ind} order. */
  public static List<Post> posts(List<Row> pins, List<Row> geos, List<Row> users) {
    Map<Long, List<List<Row>>> byInd = new TreeMap<>();
    List<List<Row>> kinds = List.of(pins, geos, users);
    for (int kind = 0; kind < kinds.size(); kind++) {
      for (Row row : kinds.get(kind)) {
        byInd
            .computeIfAbsent(
                row.getInt64("ind"), ind -> List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>()))
            .get(kind)
            .add(row);
      }
    }
    List<Post> posts = new ArrayList<>();
    byInd.forEach((ind, records) -> posts.add(Post.of(ind, records.get(0), records.get(1), records.get(2))));
    return posts;
  }

  /** The output of {@code fn} with every post added, in order, into one accumulator. */
  public static <A, O> O combine(CombineFn<Post, A, O> fn, List<Post> posts) {
    A accumulator = fn.createAccumulator();
    for (Post post : posts) {
      accumulator = fn.addInput(accumulator, post);
    }
    return fn.extractOutput(accumulator);
  }

  /**
   * The output of {@code fn} with the posts shuffled and dealt at random into {@code parts}
   * accumulators (some may stay empty), each encoded and decoded with {@code fn}'s accumulator
   * coder, then merged.
   */
  public static <A, O> O combineInParts(
      CombineFn<Post, A, O> fn, List<Post> posts, Random random, int parts, Merge merge) {
    List<Post> shuffled = new ArrayList<>(posts);
    Collections.shuffle(shuffled, random);
    List<List<Post>> dealt = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      dealt.add(new ArrayList<>());
    }
    for (Post post : shuffled) {
      dealt.get(random.nextInt(parts)).add(post);
    }
    return combineParts(fn, dealt, merge);
  }

  /** As {@link #combineInParts}, with every post in an accumulator of its own, in order. */
  public static <A, O> O combineEachAlone(CombineFn<Post, A, O> fn, List<Post> posts, Merge merge) {
    List<List<Post>> alone = new ArrayList<>();
    posts.forEach(post -> alone.add(List.of(post)));
    return combineParts(fn, alone, merge);
  }

  private static <A, O> O combineParts(CombineFn<Post, A, O> fn, List<List<Post>> parts, Merge merge) {
    List<A> decoded = new ArrayList<>();
    for (List<Post> part : parts) {
      A accumulator = fn.createAccumulator();
      for (Post post : part) {
        accumulator = fn.addInput(accumulator, post);
      }
      decoded.add(roundTrip(fn, accumulator));
    }
    return fn.extractOutput(merge(fn, decoded, merge));
  }

  /** The accumulators merged into one as {@code merge} says. */
  public static <A> A merge(CombineFn<Post, A, ?> fn, List<A> accumulators, Merge merge) {
    if (merge == Merge.AT_ONCE || accumulators.isEmpty()) {
      return fn.mergeAccumulators(accumulators);
    }
    A running = accumulators.get(0);
    for (A next : accumulators.subList(1, accumulators.size())) {
      running = fn.mergeAccumulators(List.of(running, next));
    }
    return running;
  }

  /** {@code accumulator} encoded and decoded with {@code fn}'s accumulator coder. */
  public static <A> A roundTrip(CombineFn<Post, A, ?> fn, A accumulator) {
    try {
      // The pipelines pass no input coder: the queries' accumulator coders do not depend on it.
      Coder<A> coder = fn.getAccumulatorCoder(CoderRegistry.createDefault(), null);
      return CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, accumulator));
    } catch (CannotProvideCoderException | CoderException e) {
      throw new AssertionError("accumulator coder of " + fn.getClass().getSimpleName(), e);
    }
  }

  /**
   * The rows of {@code query} on the clean records, from one accumulator; checks that merging
   * accumulators of parts of the posts, each through the accumulator coder, gives the same rows.
   */
  public static List<Row> run(PostQuery<?> query, List<Row> pins, List<Row> geos, List<Row> users) {
    return runChecked(query, query.output().id(), posts(pins, geos, users));
  }

  /** As {@link #run(PostQuery, List, List, List)}, for every output of {@code queries}. */
  public static Map<QueryOutput, List<Row>> run(
      PinterestQueries queries, List<Row> pins, List<Row> geos, List<Row> users) {
    return runChecked(queries, "PinterestQueries", posts(pins, geos, users));
  }

  private static <A, O> O runChecked(CombineFn<Post, A, O> fn, String name, List<Post> posts) {
    O output = combine(fn, posts);
    // Each post alone, merged one by one; and random parts merged at once.
    assertEquals(
        name + " merged from one accumulator per post",
        output,
        combineEachAlone(fn, posts, Merge.ONE_BY_ONE));
    assertEquals(
        name + " merged from three parts",
        output,
        combineInParts(fn, posts, new Random(1), 3, Merge.AT_ONCE));
    return output;
  }
}
