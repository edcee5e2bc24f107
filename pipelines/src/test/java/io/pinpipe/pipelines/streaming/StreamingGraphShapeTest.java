package io.pinpipe.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.io.kafka.CommitWrittenOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaStreamSource;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.PackedRows;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.parse.RawRecordCoder;
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
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming job's graph as {@code streaming --source=kafka} builds it (reads, processing,
 * writers, offset commits; with {@code --tableFormat=parquet}, and with the default Iceberg tables
 * once), walked but not run: the Kafka reads pack as they read, bounded or live,
 * so no record travels as an element of its own, and the GroupByKeys are no more than designed. A
 * change that brings back per-record elements with more than one reader, or adds a grouping, fails
 * here, before a benchmark run.
 */
public class StreamingGraphShapeTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /**
   * The GroupByKey primitives of the streaming job with the default windows (tables and results
   * fire once per window, so one grouping of the packs serves both):
   *
   * <ul>
   *   <li>3 in CleanAndQuery: GroupByBucket, the one shuffle of packed records;
   *       GroupPersonsByShard, q6's distinct persons; MergePartials, the Combine.globally that
   *       merges the bundles' partial results;
   *   <li>3, one per kind: the sorted dead-letter file of each window and pane;
   *   <li>9, one per query output: each window's result rows gathered;
   *   <li>1: the counts summed per window for its summary.
   * </ul>
   *
   * Post assembly is a stateful step (keyed by bucket, no GroupByKey); the tables are written a
   * file per pack, without a grouping. Fewer is fine (lower this); more needs a reason, written here.
   */
  static final int DESIGNED_GROUP_BY_KEYS = 3 + 3 + 9 + 1;

  /** With early or late table panes the packs are grouped once more, for the tables' trigger. */
  static final int DESIGNED_WITH_TABLE_PANES = DESIGNED_GROUP_BY_KEYS + 1;

  @Test
  public void aLiveKafkaReadPacksAsItReadsAndGroupingsDoNotGrow() throws Exception {
    Shape shape = Shape.of(streamingPipeline(StreamWindowing.of(Duration.standardSeconds(10), Duration.ZERO, Duration.ZERO)));
    List<String> problems = problems(shape, DESIGNED_GROUP_BY_KEYS);
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems) + "\n\n" + shape.describe());
    }
    // The three reads hand out packs (KafkaPackSource): no collection holds one record an element.
    assertEquals(shape.describe(), List.of(), shape.perRecord());
    assertEquals(shape.describe(), DESIGNED_GROUP_BY_KEYS, shape.groupByKeys.size());
    assertEquals(
        shape.describe(),
        List.of("CleanAndQuery/GroupByBucket"),
        shape.groupingsOf(StreamingGraphShapeTest::carriesRecords));
  }

  /**
   * The graph with Iceberg tables, the job's default ({@code buildWithIceberg}): the same reads and
   * groupings; the tables' files are written by the bucket step and the writers, and the one commit
   * step is a stateful step keyed by one key (no GroupByKey), so no more groupings than designed.
   */
  @Test
  public void theDefaultIcebergGraphPacksAsItReadsAndGroupingsDoNotGrow() throws Exception {
    StreamWindowing windowing = StreamWindowing.of(Duration.standardSeconds(10), Duration.ZERO, Duration.ZERO);
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    Map<String, Object> kafka = Map.of("bootstrap.servers", "127.0.0.1:9");
    KafkaStreamSource source = new KafkaStreamSource(kafka, "shape", StartPosition.committed(), "shape-test", 0, null);
    io.pinpipe.pipelines.iceberg.StreamTables tables =
        new io.pinpipe.pipelines.iceberg.StreamTables(io.pinpipe.pipelines.iceberg.IcebergCatalog.hadoop(tmp.newFolder().toString()));
    StreamingPipeline.buildWithIceberg(
        pipeline,
        source,
        windowing,
        Duration.standardSeconds(5),
        QuerySettings.defaults(),
        PackLimits.defaults(),
        JsonRecordParser.DEFAULT_MAX_RECORD_BYTES,
        new OutputLayout(tmp.newFolder().toString()),
        "FlinkRunner",
        tables,
        source.commitTables(tables, Map.of(), 10));
    Shape shape = Shape.of(pipeline);
    List<String> problems = problems(shape, DESIGNED_GROUP_BY_KEYS);
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems) + "\n\n" + shape.describe());
    }
    assertEquals(shape.describe(), List.of(), shape.perRecord());
    assertEquals(
        shape.describe(),
        List.of("CleanAndQuery/GroupByBucket"),
        shape.groupingsOf(StreamingGraphShapeTest::carriesRecords));
  }

  /**
   * A bounded run ({@code --maxRecordsPerStream}, the catch-up) reads Kafka packed as read: no
   * collection holds one record an element at all. Each read spreads its partitions over the
   * workers with a reshuffle (a GroupByKey), as KafkaIO's bounded read did, so 3 more than
   * designed, and only the shuffle by bucket carries records.
   */
  @Test
  public void aBoundedKafkaReadPacksAsItReads() throws Exception {
    Shape shape =
        Shape.of(streamingPipeline(StreamWindowing.of(Duration.standardSeconds(10), Duration.ZERO, Duration.ZERO), 1000));
    assertEquals(shape.describe(), List.of(), shape.perRecord());
    assertEquals(shape.describe(), DESIGNED_GROUP_BY_KEYS + 3, shape.groupByKeys.size());
    assertEquals(
        shape.describe(),
        List.of("CleanAndQuery/GroupByBucket"),
        shape.groupingsOf(StreamingGraphShapeTest::carriesRecords));
  }

  @Test
  public void earlyAndLateTablePanesGroupThePacksOnceMore() throws Exception {
    Shape shape =
        Shape.of(
            streamingPipeline(
                StreamWindowing.of(Duration.standardSeconds(10), Duration.standardSeconds(5), Duration.standardSeconds(30))));
    List<String> problems = problems(shape, DESIGNED_WITH_TABLE_PANES);
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems) + "\n\n" + shape.describe());
    }
    assertEquals(
        shape.describe(),
        List.of("CleanAndQuery/GroupByBucketForTables", "CleanAndQuery/GroupByBucketForResults"),
        shape.groupingsOf(StreamingGraphShapeTest::carriesRecords));
  }

  /**
   * The tables are written by the step that cleans a bucket (the pass with the tables' trigger),
   * as batch's are: no collection holds table rows, and the offset commits read that step's
   * written-files output, which carries no elements, so they wait for its watermark, which passes
   * a window only once the window's table files are written (docs/streaming.md#what-the-job-commits-to-kafka).
   */
  @Test
  public void tablesAreWrittenInTheBucketStepAndTheOffsetCommitsWaitForIt() throws Exception {
    for (StreamWindowing windowing :
        List.of(
            StreamWindowing.of(Duration.standardSeconds(10), Duration.ZERO, Duration.ZERO),
            StreamWindowing.of(Duration.standardSeconds(10), Duration.standardSeconds(5), Duration.standardSeconds(30)))) {
      Shape shape = Shape.of(streamingPipeline(windowing));
      String tablesStep =
          windowing.tablesFireOnceAtWindowEnd() ? "CleanAndQuery/CleanAndAddUp" : "CleanAndQuery/CleanAndAddUpForTables";
      List<String> tableRows = new ArrayList<>();
      List<String> waitedFor = new ArrayList<>();
      shape.producers.forEach(
          (collection, producer) -> {
            // (The step's main output, unused when it writes the tables, has a table coder and no reader.)
            if (holdsTableRows(collection.getCoder()) && !shape.consumersOf(collection).isEmpty()) {
              tableRows.add(collection.getName());
            }
            if (collection.getName().endsWith(".written-files")) {
              for (String reader : shape.consumersOf(collection)) {
                waitedFor.add(collection.getName() + " -> " + reader.substring(0, reader.indexOf('/') + 1));
              }
            }
          });
      assertEquals(windowing + "\n" + shape.describe(), List.of(), tableRows);
      assertEquals(
          windowing + "\n" + shape.describe(),
          List.of(tablesStep + ".written-files -> CommitKafkaOffsets/"),
          waitedFor);
    }
  }

  private static boolean holdsTableRows(Coder<?> coder) {
    if (coder instanceof PackedRows.Coder) {
      return true;
    }
    if (coder instanceof SchemaCoder) {
      for (RecordKind kind : RecordKind.values()) {
        if (((SchemaCoder<?>) coder).getSchema().equivalent(RecordSchemas.clean(kind))) {
          return true;
        }
      }
    }
    if (coder instanceof StructuredCoder) {
      for (Coder<?> component : ((StructuredCoder<?>) coder).getComponents()) {
        if (holdsTableRows(component)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The check itself: a second reader of per-record elements and one more grouping are both reported. */
  @Test
  public void aSecondReaderOfRecordsAndAnExtraGroupingAreCaught() throws Exception {
    Pipeline pipeline = streamingPipeline(StreamWindowing.of(Duration.standardSeconds(10), Duration.ZERO, Duration.ZERO));
    // No read of the job holds one record an element any more: such a collection, read twice.
    PCollection<RawRecord> records =
        pipeline.apply("CreateRecords", Create.of(RawRecord.of("a:1", new byte[] {'{', '}'})).withCoder(RawRecordCoder.of()));
    records.apply("CountRecords", Count.globally());
    records
        .apply("KeyAgain", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings())).via(r -> org.apache.beam.sdk.values.KV.of(r.origin, r.origin)))
        .apply("WindowAgain", Window.into(FixedWindows.of(Duration.standardSeconds(10))))
        .apply("GroupAgain", GroupByKey.create());

    List<String> problems = problems(Shape.of(pipeline), DESIGNED_GROUP_BY_KEYS);
    String all = String.join("\n", problems);
    assertTrue(all, all.contains(records.getName() + " holds one record an element and has 2 consumers"));
    // GroupAgain, and Count.globally's Combine.
    assertTrue(all, all.contains((DESIGNED_GROUP_BY_KEYS + 2) + " GroupByKeys, more than"));
  }

  private static List<String> problems(Shape shape, int designed) {
    List<String> problems = new ArrayList<>();
    for (PCollection<?> collection : shape.perRecord()) {
      Set<String> readers = shape.consumersOf(collection);
      if (readers.size() > 1) {
        problems.add(
            collection.getName() + " holds one record an element and has " + readers.size() + " consumers: " + readers);
      }
    }
    if (shape.groupByKeys.size() > designed) {
      problems.add(shape.groupByKeys.size() + " GroupByKeys, more than the " + designed + " designed");
    }
    return problems;
  }

  private Pipeline streamingPipeline(StreamWindowing windowing) throws Exception {
    return streamingPipeline(windowing, 0);
  }

  /** The job's graph; {@code maxRecords} > 0: a bounded run ({@code --maxRecordsPerStream}). */
  private Pipeline streamingPipeline(StreamWindowing windowing, long maxRecords) throws Exception {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    Map<String, Object> kafka = Map.of("bootstrap.servers", "127.0.0.1:9");
    StreamingPipeline.build(
        pipeline,
        new KafkaStreamSource(kafka, "shape", StartPosition.earliest(), "shape-test", maxRecords, null),
        windowing,
        Duration.standardSeconds(5),
        QuerySettings.defaults(),
        PackLimits.defaults(),
        JsonRecordParser.DEFAULT_MAX_RECORD_BYTES,
        new OutputLayout(tmp.newFolder().toString()),
        "FlinkRunner",
        written -> new CommitWrittenOffsets(written, windowing.allowedLateness(), kafka, "shape-test", Map.of(), Map.of()));
    return pipeline;
  }

  /** What the walk finds: every collection, its readers, and the GroupByKey primitives. */
  private static final class Shape extends GraphWalk {
    static Shape of(Pipeline pipeline) {
      return walk(pipeline, new Shape());
    }

    List<PCollection<?>> perRecord() {
      List<PCollection<?>> found = new ArrayList<>();
      for (PCollection<?> collection : producers.keySet()) {
        if (carriesRecords(collection) && !packed(collection.getCoder())) {
          found.add(collection);
        }
      }
      return found;
    }

    List<String> groupingsOf(java.util.function.Predicate<PCollection<?>> test) {
      List<String> found = new ArrayList<>();
      groupByKeyInputs.forEach(
          (name, input) -> {
            if (test.test(input)) {
              found.add(name);
            }
          });
      return found;
    }

    String describe() {
      StringBuilder s = new StringBuilder();
      s.append(producers.size()).append(" PCollections, ").append(groupByKeys.size()).append(" GroupByKeys:\n");
      groupByKeys.forEach(g -> s.append("  GBK ").append(g).append('\n'));
      producers.forEach(
          (collection, producer) -> {
            if (carriesRecords(collection)) {
              s.append(packed(collection.getCoder()) ? "  packs " : "  records ")
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
   * Whether a collection's elements are or hold records: raw (by the schema or the streaming reads'
   * plain coder), packed, or clean table rows.
   */
  static boolean carriesRecords(PCollection<?> collection) {
    return carriesRecords(collection.getCoder(), rawRecordSchema(collection.getPipeline()));
  }

  private static boolean carriesRecords(Coder<?> coder, Schema rawRecord) {
    if (coder instanceof RecordPack.Coder || coder instanceof PackedRows.Coder || coder instanceof RawRecordCoder) {
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

  /** Whether the records are packed, many to an element. */
  private static boolean packed(Coder<?> coder) {
    if (coder instanceof RecordPack.Coder || coder instanceof PackedRows.Coder) {
      return true;
    }
    if (coder instanceof StructuredCoder) {
      for (Coder<?> component : ((StructuredCoder<?>) coder).getComponents()) {
        if (packed(component)) {
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
