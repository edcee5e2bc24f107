package io.pinpipe.pipelines;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.transforms.display.DisplayData;

/**
 * Everything a built pipeline shows as display data, as text: the pipeline options' items and
 * every transform's, composite and primitive, each item as {@code <transform>: <namespace>.<key>
 * (<label>) = <value> [<short value>] <link>}. Runners put display data in their UIs and job
 * graphs, so no secret may be in it.
 */
public final class DisplayDataScan {
  private DisplayDataScan() {}

  public static List<String> items(Pipeline pipeline) {
    List<String> items = new ArrayList<>();
    add(items, "pipeline options", DisplayData.from(pipeline.getOptions()));
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            visit(node);
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            visit(node);
          }

          private void visit(TransformHierarchy.Node node) {
            if (!node.isRootNode()) {
              items.add(node.getFullName() + ": (transform) " + node.getTransform());
              add(items, node.getFullName(), DisplayData.from(node.getTransform()));
            }
          }
        });
    return items;
  }

  /** The items that contain any of {@code needles}. */
  public static List<String> itemsContaining(Pipeline pipeline, String... needles) {
    List<String> found = new ArrayList<>();
    for (String item : items(pipeline)) {
      for (String needle : needles) {
        if (item.contains(needle)) {
          found.add(item);
          break;
        }
      }
    }
    return found;
  }

  private static void add(List<String> items, String where, DisplayData data) {
    for (DisplayData.Item item : data.items()) {
      items.add(
          where + ": " + item.getNamespace() + "." + item.getKey() + " (" + item.getLabel() + ") = "
              + item.getValue() + " [" + item.getShortValue() + "] " + item.getLinkUrl());
    }
  }
}
