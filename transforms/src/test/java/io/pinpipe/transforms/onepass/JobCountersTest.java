package io.pinpipe.transforms.onepass;

import static org.junit.Assert.assertEquals;

import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.junit.Rule;
import org.junit.Test;

/**
 * The Beam counters of {@link JobCounters} hold the counts the fixtures were built with (records
 * read, cleaned, dead-lettered, duplicates and conflicts per kind) and one result window with each
 * result's rows, with packs small enough that every kind is counted over several packs and buckets.
 */
public class JobCountersTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** Rows per result, seen by a step of the test pipeline itself (DirectRunner: one JVM). */
  private static final Map<String, Long> ROWS = new ConcurrentHashMap<>();

  @Test
  public void countersHoldTheFixturesCountsPerKindAndEachResultsRows() {
    countersEqualTheFixturesCounts(false);
  }

  /**
   * A second pass over the same records (batch's per-day Iceberg pass) built {@link
   * CleanAndQuery#withoutJobCounters()} leaves the counters as one pass makes them.
   */
  @Test
  public void aSecondPassWithoutJobCountersCountsNothingTwice() {
    countersEqualTheFixturesCounts(true);
  }

  private void countersEqualTheFixturesCounts(boolean secondPass) {
    PCollectionTuple out =
        CleanAndQuery.inputs(OnePassFixtures.create(p, "Read", OnePassFixtures.mixedRecords()))
            .apply(
                "CleanAndQuery",
                CleanAndQuery.inGlobalWindow(QuerySettings.defaults()).withPackLimits(PackLimits.of(4, 1 << 20, 64L << 20)));
    if (secondPass) {
      CleanAndQuery.inputs(OnePassFixtures.create(p, "ReadAgain", OnePassFixtures.mixedRecords()))
          .apply(
              "CleanAndQueryAgain",
              CleanAndQuery.inGlobalWindow(QuerySettings.defaults())
                  .withPackLimits(PackLimits.of(4, 1 << 20, 64L << 20))
                  .withoutJobCounters());
    }
    for (QueryOutput output : QueryOutput.values()) {
      String name = output.outputName();
      out.get(output.tag())
          .apply("Count" + output.id(), Count.globally())
          .apply("Remember" + output.id(), ParDo.of(new RememberRows(name)));
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();

    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> c :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (c.getName().getNamespace().equals(JobCounters.NAMESPACE)) {
        counters.merge(c.getName().getName(), c.getCommitted(), Long::sum);
      }
    }
    int posts = OnePassFixtures.POSTS;
    int dead = OnePassFixtures.DEAD_LETTERS_PER_KIND;
    // pin: 12 posts, 3 copies, a conflicting second pin for row 6, one bad record
    assertKind(counters, RecordKind.PIN, posts + 3 + 1 + dead, posts + 1, dead, 3, 2);
    // geo: 12 posts, 1 copy, one bad record
    assertKind(counters, RecordKind.GEO, posts + 1 + dead, posts, dead, 1, 0);
    // user: 12 posts, 1 copy, a conflicting second user for row 7, one bad record
    assertKind(counters, RecordKind.USER, posts + 1 + 1 + dead, posts + 1, dead, 1, 2);

    assertEquals(1L, counters.get(JobCounters.RESULT_WINDOWS).longValue());
    for (QueryOutput output : QueryOutput.values()) {
      assertEquals(output.outputName(), ROWS.get(output.outputName()), counters.get(JobCounters.resultRows(output)));
    }
  }

  private static final class RememberRows extends DoFn<Long, Void> {
    private final String name;

    RememberRows(String name) {
      this.name = name;
    }

    @ProcessElement
    public void process(@Element Long rows) {
      ROWS.put(name, rows);
    }
  }

  private static void assertKind(
      Map<String, Long> counters, RecordKind kind, long read, long cleaned, long dead, long duplicates, long conflicts) {
    assertEquals(kind.id() + " read", read, counters.get(JobCounters.name(kind, QualityMetrics.READ)).longValue());
    assertEquals(kind.id() + " cleaned", cleaned, counters.get(JobCounters.name(kind, QualityMetrics.CLEANED)).longValue());
    assertEquals(kind.id() + " dead-lettered", dead, counters.get(JobCounters.name(kind, QualityMetrics.DEAD_LETTERED)).longValue());
    assertEquals(kind.id() + " duplicates", duplicates, counters.get(JobCounters.name(kind, QualityMetrics.DUPLICATES)).longValue());
    assertEquals(kind.id() + " conflicts", conflicts, counters.get(JobCounters.name(kind, QualityMetrics.CONFLICTS)).longValue());
  }
}
