package io.pinpipe.pipelines.batch;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.pipelines.io.source.ArchiveSource;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.transforms.onepass.PackedRows;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.pinpipe.pipelines.GraphWalk;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.SchemaCoder;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The batch job's graph, built and walked but not run: records cross one shuffle, every collection
 * that carries records has one reader (FlinkRunner's batch engine serializes a collection once per
 * reader, BENCHMARKS.md), and the GroupByKeys are no more than designed. A change that forks
 * records or adds a grouping fails here, in seconds, before it costs a benchmark run.
 */
public class BatchGraphShapeTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /**
   * The GroupByKey primitives of the batch job as designed, inside Combines and writers included:
   *
   * <ul>
   *   <li>3, one per kind: ReadArchive's FileIO.match spreads the matched files over workers
   *       (MatchAll's Reshuffle.viaRandomKey);
   *   <li>3 in CleanAndQuery: GroupByBucket, the one shuffle of records (packs by row-number
   *       bucket); GroupPersonsByShard, q6's distinct persons counted in shards; MergePartials, the
   *       Combine.globally that merges the bundles' partial results;
   *   <li>none for the Parquet tables: each pack of table rows is written as a file where it is
   *       made (FileIO.write had 4 per table);
   *   <li>3, one per kind: Combine.globally(SortedLines), the sorted dead-letter file;
   *   <li>9, one per query output: Combine.globally(ResultFile.csvOf), the sorted result CSV;
   *   <li>1: Combine.globally(SumByKey), the counts summed for summary.json.
   * </ul>
   *
   * Fewer is fine (lower this); more needs a reason, written here.
   */
  static final int DESIGNED_GROUP_BY_KEYS = 3 + 3 + 3 + 9 + 1;

  @Test
  public void recordsAreReadOnceAndGroupingsDoNotGrow() throws Exception {
    Shape shape = Shape.of(batchPipeline());
    List<String> problems = problems(shape);
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems) + "\n\n" + shape.describe());
    }
  }

  /** The check itself: a second reader of records and one more grouping are both reported. */
  @Test
  public void aForkOfRecordsAndAnExtraGroupingAreCaught() throws Exception {
    Pipeline pipeline = batchPipeline();
    PCollection<?> packs = null;
    for (PCollection<?> collection : Shape.of(pipeline).producers.keySet()) {
      if (collection.getName().equals("CleanAndQuery/AllKinds.out")) {
        packs = collection;
      }
    }
    @SuppressWarnings("unchecked")
    PCollection<KV<Integer, RecordPack>> forked = (PCollection<KV<Integer, RecordPack>>) packs;
    forked.apply("GroupPacksAgain", GroupByKey.create());

    Shape shape = Shape.of(pipeline);
    List<String> problems = problems(shape);
    String all = String.join("\n", problems);
    assertTrue(all, all.contains("CleanAndQuery/AllKinds.out carries records and has 2 consumers"));
    assertTrue(all, all.contains((DESIGNED_GROUP_BY_KEYS + 1) + " GroupByKeys, more than"));
    assertTrue(all, all.contains("they cross [CleanAndQuery/GroupByBucket, GroupPacksAgain]"));
    assertTrue(shape.describe(), shape.describe().startsWith(shape.producers.size() + " PCollections, "));
  }

  /** What is wrong with the graph's shape; nothing when it is as designed. */
  private static List<String> problems(Shape shape) {
    List<String> problems = new ArrayList<>();
    int recordCollections = 0;
    for (PCollection<?> collection : shape.producers.keySet()) {
      if (carriesRecords(collection)) {
        recordCollections++;
        Set<String> readers = shape.consumersOf(collection);
        if (readers.size() > 1) {
          problems.add(collection.getName() + " carries records and has " + readers.size() + " consumers: " + readers);
        }
      }
    }
    if (recordCollections == 0) {
      problems.add("no collection found that carries records: the test no longer recognizes them");
    }
    if (shape.groupByKeys.size() > DESIGNED_GROUP_BY_KEYS) {
      problems.add(
          shape.groupByKeys.size() + " GroupByKeys, more than the " + DESIGNED_GROUP_BY_KEYS + " designed");
    }
    List<String> recordGroupings = new ArrayList<>();
    for (Map.Entry<String, PCollection<?>> grouping : shape.groupByKeyInputs.entrySet()) {
      if (carriesRecords(grouping.getValue())) {
        recordGroupings.add(grouping.getKey());
      }
    }
    if (!recordGroupings.equals(List.of("CleanAndQuery/GroupByBucket"))) {
      problems.add("records should cross one shuffle, CleanAndQuery/GroupByBucket; they cross " + recordGroupings);
    }
    return problems;
  }

  private Pipeline batchPipeline() throws Exception {
    ArchiveFixture archive =
        new ArchiveFixture(tmp.newFolder("archive").toPath())
            .file("pin", 0, ArchiveFixture.pin(1, "art", "10k", "Ann") + "\n")
            .file("geo", 0, ArchiveFixture.geo(1, "Chile", "2020-01-01 10:00:00") + "\n")
            .file("user", 0, ArchiveFixture.user(1, "Ann", "Lee", 30, "2016-01-01 00:00:00") + "\n");
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    BatchPipeline.build(
        pipeline,
        new ArchiveSource(new ArchiveLayout(archive.root().toString(), "pinterest", null)),
        new OutputLayout(tmp.getRoot().toPath().resolve("out").toString()),
        QuerySettings.defaults(),
        "DirectRunner");
    return pipeline;
  }

  /** What the walk finds: every collection, its readers, and the GroupByKey primitives. */
  private static final class Shape extends GraphWalk {
    static Shape of(Pipeline pipeline) {
      return walk(pipeline, new Shape());
    }

    String describe() {
      StringBuilder s = new StringBuilder();
      s.append(producers.size())
          .append(" PCollections, ")
          .append(groupByKeys.size())
          .append(" GroupByKeys (")
          .append(DESIGNED_GROUP_BY_KEYS)
          .append(" designed):\n");
      groupByKeys.forEach(g -> s.append("  GBK ").append(g).append('\n'));
      producers.forEach(
          (collection, producer) -> {
            if (carriesRecords(collection)) {
              s.append("  records ")
                  .append(collection.getName())
                  .append(" -> ")
                  .append(consumersOf(collection))
                  .append('\n');
            }
          });
      return s.toString();
    }
  }

  /**
   * Whether a collection's elements are or hold records: raw records, packs of them (keyed or
   * grouped), packed table rows, or rows of a clean table's schema.
   */
  static boolean carriesRecords(PCollection<?> collection) {
    return carriesRecords(collection.getCoder(), rawRecordSchema(collection.getPipeline()));
  }

  private static boolean carriesRecords(Coder<?> coder, Schema rawRecord) {
    if (coder instanceof RecordPack.Coder || coder instanceof PackedRows.Coder) {
      return true;
    }
    if (coder instanceof SchemaCoder) {
      Schema schema = ((SchemaCoder<?>) coder).getSchema();
      if (schema.equivalent(rawRecord)) {
        return true;
      }
      for (RecordKind kind : RecordKind.values()) {
        if (schema.equivalent(RecordSchemas.clean(kind))) {
          return true;
        }
      }
      return false;
    }
    if (coder instanceof StructuredCoder) {
      for (Coder<?> component : ((StructuredCoder<?>) coder).getComponents()) {
        if (carriesRecords(component, rawRecord)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Schema rawRecordSchema(Pipeline pipeline) {
    try {
      return pipeline.getSchemaRegistry().getSchema(RawRecord.class);
    } catch (org.apache.beam.sdk.schemas.NoSuchSchemaException e) {
      throw new IllegalStateException(e);
    }
  }
}
