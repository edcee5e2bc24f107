package io.pinpipe.pipelines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PValue;

/**
 * A built pipeline's graph as the shape tests read it ({@code BatchGraphShapeTest},
 * {@code StreamingGraphShapeTest}): every collection with its producer and readers, and the
 * GroupByKey primitives with their inputs. Subclasses add what each test looks for.
 */
public class GraphWalk extends Pipeline.PipelineVisitor.Defaults {
  public final Map<PCollection<?>, String> producers = new LinkedHashMap<>();
  public final Map<PCollection<?>, Set<String>> consumers = new LinkedHashMap<>();
  public final List<String> groupByKeys = new ArrayList<>();
  public final Map<String, PCollection<?>> groupByKeyInputs = new LinkedHashMap<>();

  /** Walks {@code pipeline} into {@code walk} and returns it. */
  public static <W extends GraphWalk> W walk(Pipeline pipeline, W walk) {
    pipeline.traverseTopologically(walk);
    return walk;
  }

  @Override
  public void visitValue(PValue value, TransformHierarchy.Node producer) {
    if (value instanceof PCollection) {
      producers.putIfAbsent((PCollection<?>) value, producer.getFullName());
    }
  }

  @Override
  public void visitPrimitiveTransform(TransformHierarchy.Node node) {
    if (node.getTransform() instanceof GroupByKey) {
      groupByKeys.add(node.getFullName());
      for (PValue input : node.getInputs().values()) {
        groupByKeyInputs.put(node.getFullName(), (PCollection<?>) input);
      }
    }
    for (PValue input : node.getInputs().values()) {
      if (input instanceof PCollection) {
        consumers.computeIfAbsent((PCollection<?>) input, c -> new LinkedHashSet<>()).add(node.getFullName());
      }
    }
  }

  public Set<String> consumersOf(PCollection<?> collection) {
    return consumers.getOrDefault(collection, Set.of());
  }
}
