package io.pinpipe.transforms.queries;

import io.pinpipe.transforms.aggregate.PostQuery;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.results.QueryOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.values.Row;

/**
 * All nine query outputs (docs/semantics.md#queries) as one {@link CombineFn} over {@link Post}s: the
 * accumulator is every query's accumulator side by side, so a pipeline adds each post into it once
 * and merges one accumulator per bundle and window, instead of shuffling joined records once per
 * query. Each query stays its own {@link PostQuery} (q1 {@link TopCategoryByCountry} ... q8 {@link
 * MedianFollowersByAgeGroupAndJoinYear}); q3b ({@link TopCountryByUserFollowers}) is computed from
 * q3a's rows.
 *
 * <pre>{@code
 * PinterestQueries queries = PinterestQueries.with(settings);
 * Object[] accumulator = queries.createAccumulator();
 * for (Post post : posts) queries.addInput(accumulator, post);
 * Map<QueryOutput, List<Row>> results = queries.extractOutput(accumulator);
 * }</pre>
 *
 * <p>Results are exact when each window's accumulator is merged from all of its posts once: a
 * pipeline fires results once per window (docs/streaming.md#windows-and-triggers),
 * because a later pane's posts cannot
 * retract an earlier pane's tops or medians.
 */
public final class PinterestQueries extends CombineFn<Post, Object[], Map<QueryOutput, List<Row>>> {
  private static final long serialVersionUID = 1L;

  private final QuerySettings settings;
  private final List<PostQuery<?>> queries;
  private final UsersJoinedByYear usersJoinedByYear;
  private final TopCountryByUserFollowers topCountryByUserFollowers;

  private PinterestQueries(QuerySettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.usersJoinedByYear = new UsersJoinedByYear(settings);
    this.queries =
        List.of(
            new TopCategoryByCountry(settings),
            new TopCategoryByYear(settings),
            new TopUserByCountry(settings),
            new TopCategoryByAgeGroup(settings),
            new MedianFollowersByAgeGroup(settings),
            usersJoinedByYear,
            new MedianFollowersByJoinYear(settings),
            new MedianFollowersByAgeGroupAndJoinYear(settings));
    this.topCountryByUserFollowers = new TopCountryByUserFollowers(settings);
  }

  /** The queries with {@code settings}. */
  public static PinterestQueries with(QuerySettings settings) {
    return new PinterestQueries(settings);
  }

  public QuerySettings settings() {
    return settings;
  }

  /** q6, for pipelines that count its distinct persons in shards (see {@link UsersJoinedByYear}). */
  public UsersJoinedByYear usersJoinedByYear() {
    return usersJoinedByYear;
  }

  @Override
  public Object[] createAccumulator() {
    Object[] accumulators = new Object[queries.size()];
    for (int i = 0; i < accumulators.length; i++) {
      accumulators[i] = queries.get(i).createAccumulator();
    }
    return accumulators;
  }

  @Override
  public Object[] addInput(Object[] accumulators, Post post) {
    return add(accumulators, post, true);
  }

  /**
   * Adds a post to every query but leaves q6's distinct persons out, for a pipeline that counts
   * them in shards and merges the settled counts ({@link #withUsersJoinedByYear}).
   */
  public Object[] addInputLeavingPersonsOut(Object[] accumulators, Post post) {
    return add(accumulators, post, !usersJoinedByYear.countsDistinctPersons());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Object[] add(Object[] accumulators, Post post, boolean withUsers) {
    for (int i = 0; i < accumulators.length; i++) {
      PostQuery query = queries.get(i);
      if (withUsers || query != usersJoinedByYear) {
        accumulators[i] = query.addInput(accumulators[i], post);
      }
    }
    return accumulators;
  }

  /** An accumulator holding only q6's {@code users} (settled counts of a shard of persons). */
  public Object[] withUsersJoinedByYear(UsersJoinedByYear.Users users) {
    Object[] accumulators = createAccumulator();
    accumulators[queries.indexOf(usersJoinedByYear)] = users;
    return accumulators;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object[] mergeAccumulators(Iterable<Object[]> accumulators) {
    List<Object[]> all = new ArrayList<>();
    accumulators.forEach(all::add);
    Object[] merged = new Object[queries.size()];
    for (int i = 0; i < merged.length; i++) {
      List<Object> ith = new ArrayList<>(all.size());
      for (Object[] accumulator : all) {
        ith.add(accumulator[i]);
      }
      merged[i] = ((PostQuery) queries.get(i)).mergeAccumulators(ith);
    }
    return merged;
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Map<QueryOutput, List<Row>> extractOutput(Object[] accumulators) {
    Map<QueryOutput, List<Row>> results = new EnumMap<>(QueryOutput.class);
    for (int i = 0; i < accumulators.length; i++) {
      PostQuery query = queries.get(i);
      results.put(query.output(), (List<Row>) query.extractOutput(accumulators[i]));
    }
    results.put(QueryOutput.Q3B, topCountryByUserFollowers.of(results.get(QueryOutput.Q3A)));
    return results;
  }

  @Override
  public Coder<Object[]> getAccumulatorCoder(CoderRegistry registry, Coder<Post> input)
      throws CannotProvideCoderException {
    List<Coder<Object>> coders = new ArrayList<>();
    for (PostQuery<?> query : queries) {
      @SuppressWarnings("unchecked")
      Coder<Object> coder = (Coder<Object>) query.getAccumulatorCoder(registry, input);
      coders.add(coder);
    }
    return new AccumulatorsCoder(coders);
  }

  /** Every query's accumulator in turn, each with its own coder. */
  private static final class AccumulatorsCoder extends CustomCoder<Object[]> {
    private final List<Coder<Object>> coders;

    AccumulatorsCoder(List<Coder<Object>> coders) {
      this.coders = coders;
    }

    @Override
    public void encode(Object[] accumulators, OutputStream out) throws IOException {
      for (int i = 0; i < coders.size(); i++) {
        coders.get(i).encode(accumulators[i], out);
      }
    }

    @Override
    public Object[] decode(InputStream in) throws IOException {
      Object[] accumulators = new Object[coders.size()];
      for (int i = 0; i < accumulators.length; i++) {
        accumulators[i] = coders.get(i).decode(in);
      }
      return accumulators;
    }
  }
}
