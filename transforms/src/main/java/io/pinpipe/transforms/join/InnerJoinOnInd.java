package io.pinpipe.transforms.join;

import io.pinpipe.transforms.clean.RowNumberBuckets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.join.RawUnionValue;
import org.apache.beam.sdk.transforms.join.UnionCoder;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * SQL inner join of two record kinds on their row number {@code ind}: one output row, {@code ind}
 * then the chosen left columns then the chosen right columns, per matching (left, right) pair.
 *
 * <p>Each side is narrowed to its chosen columns before the shuffle and keyed by its {@link
 * RowNumberBuckets row-number bucket}, not by {@code ind}: a million one-post groups cost every
 * runner per group (the direct runner makes each its own bundle), while buckets of a few thousand
 * row numbers are joined in memory with a hash table on the right side. (Beam's schema {@code Join} groups by
 * {@code ind} itself.)
 */
final class InnerJoinOnInd extends PTransform<PCollectionTuple, PCollection<Row>> {
  static final String IND = "ind";
  static final int LEFT = 0;
  static final int RIGHT = 1;

  private final TupleTag<Row> leftTag;
  private final List<String> leftColumns;
  private final TupleTag<Row> rightTag;
  private final List<String> rightColumns;
  private final Schema outputSchema;

  InnerJoinOnInd(
      TupleTag<Row> leftTag,
      List<String> leftColumns,
      TupleTag<Row> rightTag,
      List<String> rightColumns,
      Schema outputSchema) {
    this.leftTag = leftTag;
    this.leftColumns = leftColumns;
    this.rightTag = rightTag;
    this.rightColumns = rightColumns;
    this.outputSchema = outputSchema;
  }

  @Override
  public PCollection<Row> expand(PCollectionTuple input) {
    PCollection<Row> left = input.get(leftTag);
    PCollection<Row> right = input.get(rightTag);
    Schema leftSchema = narrow(left.getSchema(), leftColumns);
    Schema rightSchema = narrow(right.getSchema(), rightColumns);
    checkOutputSchema(leftSchema, rightSchema);

    // Both sides in one shuffle, each value tagged with its side (what CoGroupByKey does inside),
    // and each bucket's values read exactly once: Flink's batch GroupByKey results cannot be
    // iterated twice, and CoGbkResult re-iterates a large group once per side.
    UnionCoder sides = UnionCoder.of(List.of(narrowed(leftSchema), narrowed(rightSchema)));
    PCollection<KV<Integer, RawUnionValue>> keyedLeft =
        left.apply(stepName(leftTag), ParDo.of(new KeyByBucketFn(leftSchema, LEFT)))
            .setCoder(KvCoder.of(VarIntCoder.of(), sides));
    PCollection<KV<Integer, RawUnionValue>> keyedRight =
        right
            .apply(stepName(rightTag), ParDo.of(new KeyByBucketFn(rightSchema, RIGHT)))
            .setCoder(KvCoder.of(VarIntCoder.of(), sides));
    return PCollectionList.of(keyedLeft)
        .and(keyedRight)
        .apply("BothSides", Flatten.pCollections())
        .apply("GroupByIndBucket", GroupByKey.create())
        .apply("EmitMatchingPairs", ParDo.of(new EmitPairsFn(outputSchema)))
        .setRowSchema(outputSchema);
  }

  /** "KeyPinsByIndBucket" for the tag "pins". */
  private static String stepName(TupleTag<Row> tag) {
    String id = tag.getId();
    return "Key" + Character.toUpperCase(id.charAt(0)) + id.substring(1) + "ByIndBucket";
  }

  private static KvCoder<Long, Row> narrowed(Schema schema) {
    return KvCoder.of(VarLongCoder.of(), RowCoder.of(schema));
  }

  private static Schema narrow(Schema schema, List<String> columns) {
    return new Schema(columns.stream().map(schema::getField).collect(Collectors.toList()));
  }

  /** The declared output must be {@code ind} and the narrowed columns, types included. */
  private void checkOutputSchema(Schema leftSchema, Schema rightSchema) {
    Schema.Builder expected = Schema.builder().addInt64Field(IND);
    leftSchema.getFields().forEach(expected::addField);
    rightSchema.getFields().forEach(expected::addField);
    if (!expected.build().equivalent(outputSchema)) {
      throw new IllegalArgumentException(
          "Join output schema " + outputSchema + " does not match its inputs: " + expected.build());
    }
  }

  /** (bucket, side: (ind, the chosen columns)): what the join shuffles. */
  private static final class KeyByBucketFn extends DoFn<Row, KV<Integer, RawUnionValue>> {
    private final Schema narrowSchema;
    private final int side;

    KeyByBucketFn(Schema narrowSchema, int side) {
      this.narrowSchema = narrowSchema;
      this.side = side;
    }

    @ProcessElement
    public void process(@Element Row record, OutputReceiver<KV<Integer, RawUnionValue>> out) {
      List<Object> narrow = new ArrayList<>(narrowSchema.getFieldCount());
      for (String column : narrowSchema.getFieldNames()) {
        narrow.add(record.getValue(column));
      }
      long ind = record.getInt64(IND);
      Row narrowRow = Row.withSchema(narrowSchema).attachValues(narrow);
      out.output(KV.of(RowNumberBuckets.of(ind), new RawUnionValue(side, KV.of(ind, narrowRow))));
    }
  }

  /**
   * One output row per (left, right) pair of a row number; none if a side is missing. One pass
   * over the bucket: the right side into a hash table by {@code ind}, the left side into a list.
   */
  private static final class EmitPairsFn extends DoFn<KV<Integer, Iterable<RawUnionValue>>, Row> {
    private final Schema outputSchema;

    EmitPairsFn(Schema outputSchema) {
      this.outputSchema = outputSchema;
    }

    @ProcessElement
    public void process(@Element KV<Integer, Iterable<RawUnionValue>> bucket, OutputReceiver<Row> out) {
      emitPairs(bucket.getValue(), outputSchema, out::output);
    }
  }

  /** The join of one bucket's tagged values, reading them once (see {@link EmitPairsFn}). */
  @SuppressWarnings("unchecked")
  static void emitPairs(Iterable<RawUnionValue> values, Schema outputSchema, Consumer<Row> out) {
    Map<Long, List<Row>> rightsByInd = new HashMap<>();
    List<KV<Long, Row>> lefts = new ArrayList<>();
    for (RawUnionValue value : values) {
      KV<Long, Row> record = (KV<Long, Row>) value.getValue();
      if (value.getUnionTag() == LEFT) {
        lefts.add(record);
      } else {
        rightsByInd.computeIfAbsent(record.getKey(), ind -> new ArrayList<>(1)).add(record.getValue());
      }
    }
    for (KV<Long, Row> left : lefts) {
      List<Row> rights = rightsByInd.get(left.getKey());
      if (rights == null) {
        continue;
      }
      for (Row right : rights) {
        List<Object> pair = new ArrayList<>(outputSchema.getFieldCount());
        pair.add(left.getKey());
        pair.addAll(left.getValue().getValues());
        pair.addAll(right.getValues());
        out.accept(Row.withSchema(outputSchema).attachValues(pair));
      }
    }
  }
}
