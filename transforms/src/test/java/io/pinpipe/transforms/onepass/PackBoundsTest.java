package io.pinpipe.transforms.onepass;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.assertFalse;

import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/**
 * How records are packed is no part of what the job computes: with tiny {@link PackLimits} (a few
 * records or bytes a pack, so a bucket's records cross the shuffle in many packs, tables come out
 * in many {@link PackedRows} and q6's persons in many shards' packs) every output equals the
 * default limits' output.
 */
@RunWith(JUnit4.class)
public class PackBoundsTest {
  @Rule public final transient TestPipeline p = TestPipeline.create();

  /** Three records, 200 bytes a pack (a pin is larger: one a pack), 400 bytes open per step. */
  private static final PackLimits TINY = PackLimits.of(3, 200, 400);

  @Test
  public void everyOutputWithTinyPacksEqualsTheDefaultLimitsOutput() {
    assertSameOutputs(CleanAndQuery.inGlobalWindow(QuerySettings.defaults()).withPackLimits(TINY));
    p.run().waitUntilFinish();
  }

  /**
   * Batch on SparkRunner groups packs and persons in one all-time window, not the global window
   * ({@link AllTimeWindows}): same outputs, with tiny packs too; and the groupings really are done
   * in that window (else the option would change nothing on SparkRunner either).
   */
  @Test
  public void everyOutputWithSortedGroupingsEqualsTheGlobalWindowOutput() {
    assertSameOutputs(
        CleanAndQuery.inGlobalWindow(QuerySettings.defaults()).withPackLimits(TINY).withSortedGroupings());
    List<String> groupedInAllTime = new ArrayList<>();
    p.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            if (node.getTransform() instanceof GroupByKey) {
              for (PCollection<?> input : node.getInputs().values()) {
                org.apache.beam.sdk.values.WindowingStrategy<?, ?> strategy = input.getWindowingStrategy();
                if (strategy.getWindowFn() instanceof AllTimeWindows) {
                  groupedInAllTime.add(node.getFullName());
                  // What SparkRunner (2.62) requires before it sorts a grouping instead of
                  // gathering it (GroupNonMergingWindowsFunctions.isEligibleForGroupByWindow).
                  assertTrue(strategy.getWindowFn().isNonMerging());
                  assertTrue(strategy.getWindowFn().windowCoder().consistentWithEquals());
                  assertEquals(
                      org.apache.beam.sdk.transforms.windowing.TimestampCombiner.END_OF_WINDOW,
                      strategy.getTimestampCombiner());
                }
              }
            }
          }
        });
    // Walked before the run: a runner may replace the GroupByKeys with its own when it runs.
    assertEquals(
        List.of("CleanAndQueryInTinyPacks/GroupByBucket", "CleanAndQueryInTinyPacks/GroupPersonsByShard"),
        groupedInAllTime);
    p.run().waitUntilFinish();
  }

  /** Adds the check that every output of {@code tinyTransform} equals the defaults' (run by the caller). */
  private void assertSameOutputs(CleanAndQuery tinyTransform) {
    Map<RecordKind, List<RawRecord>> records = OnePassFixtures.mixedRecords();
    PCollectionTuple tiny =
        CleanAndQuery.inputs(OnePassFixtures.create(p, "TinyRaw", records))
            .apply("CleanAndQueryInTinyPacks", tinyTransform);
    PCollectionTuple defaults =
        CleanAndQuery.inputs(OnePassFixtures.create(p, "DefaultRaw", records))
            .apply("CleanAndQuery", CleanAndQuery.inGlobalWindow(QuerySettings.defaults()));

    List<String> outputs = new ArrayList<>();
    PCollectionList<KV<String, String>> described = PCollectionList.empty(p);
    for (RecordKind kind : RecordKind.values()) {
      outputs.add(kind.id() + " table");
      described =
          described
              .and(described(tiny.get(CleanAndQuery.table(kind)), "tiny", kind.id() + " table"))
              .and(described(defaults.get(CleanAndQuery.table(kind)), "default", kind.id() + " table"));
      outputs.add(kind.id() + " dead letters");
      described =
          described
              .and(described(tiny.get(CleanAndQuery.deadLetters(kind)), "tiny", kind.id() + " dead letters"))
              .and(described(defaults.get(CleanAndQuery.deadLetters(kind)), "default", kind.id() + " dead letters"));
    }
    for (QueryOutput output : QueryOutput.values()) {
      outputs.add(output.outputName());
      described =
          described
              .and(described(tiny.get(output.tag()), "tiny", output.outputName()))
              .and(described(defaults.get(output.tag()), "default", output.outputName()));
    }
    outputs.add("summed counts");
    described =
        described
            .and(
                described(
                    tiny.get(CleanAndQuery.COUNTS).apply("SumTinyCounts", Sum.longsPerKey()),
                    "tiny",
                    "summed counts"))
            .and(
                described(
                    defaults.get(CleanAndQuery.COUNTS).apply("SumDefaultCounts", Sum.longsPerKey()),
                    "default",
                    "summed counts"));

    // One assertion over all outputs: each PAssert adds its own groupings to the pipeline.
    PAssert.that("every output, with tiny and default pack limits", described.apply(Flatten.pCollections()))
        .satisfies(new SameOnBothSides(outputs));
  }

  /** Each element as (side, output name and the element's every field). */
  private static <T> PCollection<KV<String, String>> described(
      PCollection<T> elements, String side, String output) {
    return elements.apply(
        "Describe " + side + " " + output,
        MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((T element) -> KV.of(side, output + SEPARATOR + describe(element))));
  }

  private static final String SEPARATOR = " => ";

  /** Every field: a dead letter's own toString leaves the payloads out. */
  private static String describe(Object element) {
    if (element instanceof DeadLetter) {
      DeadLetter d = (DeadLetter) element;
      return String.join("|", d.kind, d.origin, d.reason, String.valueOf(d.payload), String.valueOf(d.payloadBase64));
    }
    return String.valueOf(element);
  }

  /**
   * Both sides hold the same elements, as many times each, output by output; and every output has
   * some, so an output lost on both sides does not pass.
   */
  private static final class SameOnBothSides implements SerializableFunction<Iterable<KV<String, String>>, Void> {
    private final List<String> outputs;

    SameOnBothSides(List<String> outputs) {
      this.outputs = outputs;
    }

    @Override
    public Void apply(Iterable<KV<String, String>> described) {
      Map<String, List<String>> tiny = new TreeMap<>();
      Map<String, List<String>> defaults = new TreeMap<>();
      for (KV<String, String> element : described) {
        String[] parts = element.getValue().split(SEPARATOR, 2);
        (element.getKey().equals("tiny") ? tiny : defaults)
            .computeIfAbsent(parts[0], output -> new ArrayList<>())
            .add(parts[1]);
      }
      for (String output : outputs) {
        List<String> withTiny = tiny.getOrDefault(output, new ArrayList<>());
        List<String> withDefaults = defaults.getOrDefault(output, new ArrayList<>());
        Collections.sort(withTiny);
        Collections.sort(withDefaults);
        assertFalse(output + " is empty with default pack limits", withDefaults.isEmpty());
        assertEquals(output, withDefaults, withTiny);
      }
      assertEquals("outputs", new TreeSet<>(outputs), defaults.keySet());
      assertEquals("outputs", new TreeSet<>(outputs), tiny.keySet());
      return null;
    }
  }
}
