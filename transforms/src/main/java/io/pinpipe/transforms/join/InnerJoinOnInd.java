package io.pinpipe.transforms.join;

import io.pinpipe.transforms.clean.RowNumberBuckets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.transforms.join.CoGroupByKey;
import org.apache.beam.sdk.transforms.join.KeyedPCollectionTuple;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;

/**
 * SQL inner join of two record kinds on their row number {@code ind}: one output row, {@code ind}
 * then the chosen left columns then the chosen right columns, per matching (left, right) pair.
 *
 * <p>Each side is narrowed to its chosen columns before the shuffle and keyed by its {@link
 * RowNumberBuckets row-number bucket}, not by {@code ind}: a million one-post groups cost every
 * runner per group (the direct runner makes each its own bundle), while a few dozen buckets are
 * joined in memory with a hash table on the right side. (Beam's schema {@code Join} groups by
 * {@code ind} itself.)
 */
final class InnerJoinOnInd extends PTransform<PCollectionTuple, PCollection<Row>> {
  static final String IND = "ind";

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

    PCollection<KV<Integer, KV<Long, Row>>> keyedLeft =
        left.apply(stepName(leftTag), ParDo.of(new KeyByBucketFn(leftSchema)))
            .setCoder(bucketed(leftSchema));
    PCollection<KV<Integer, KV<Long, Row>>> keyedRight =
        right
            .apply(stepName(rightTag), ParDo.of(new KeyByBucketFn(rightSchema)))
            .setCoder(bucketed(rightSchema));
    TupleTag<KV<Long, Row>> l = new TupleTag<>(leftTag.getId());
    TupleTag<KV<Long, Row>> r = new TupleTag<>(rightTag.getId());
    return KeyedPCollectionTuple.of(l, keyedLeft)
        .and(r, keyedRight)
        .apply("GroupByIndBucket", CoGroupByKey.create())
        .apply("EmitMatchingPairs", ParDo.of(new EmitPairsFn(l, r, outputSchema)))
        .setRowSchema(outputSchema);
  }

  /** "KeyPinsByIndBucket" for the tag "pins". */
  private static String stepName(TupleTag<Row> tag) {
    String id = tag.getId();
    return "Key" + Character.toUpperCase(id.charAt(0)) + id.substring(1) + "ByIndBucket";
  }

  private static KvCoder<Integer, KV<Long, Row>> bucketed(Schema schema) {
    return KvCoder.of(VarIntCoder.of(), KvCoder.of(VarLongCoder.of(), RowCoder.of(schema)));
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

  /** (bucket, (ind, the chosen columns)): what the join shuffles. */
  private static final class KeyByBucketFn extends DoFn<Row, KV<Integer, KV<Long, Row>>> {
    private final Schema narrowSchema;

    KeyByBucketFn(Schema narrowSchema) {
      this.narrowSchema = narrowSchema;
    }

    @ProcessElement
    public void process(@Element Row record, OutputReceiver<KV<Integer, KV<Long, Row>>> out) {
      Row.Builder narrow = Row.withSchema(narrowSchema);
      for (String column : narrowSchema.getFieldNames()) {
        narrow.addValue(record.getValue(column));
      }
      long ind = record.getInt64(IND);
      out.output(KV.of(RowNumberBuckets.of(ind), KV.of(ind, narrow.build())));
    }
  }

  /** One output row per (left, right) pair of a row number; none if a side is missing. */
  private static final class EmitPairsFn extends DoFn<KV<Integer, CoGbkResult>, Row> {
    private final TupleTag<KV<Long, Row>> leftTag;
    private final TupleTag<KV<Long, Row>> rightTag;
    private final Schema outputSchema;

    EmitPairsFn(
        TupleTag<KV<Long, Row>> leftTag, TupleTag<KV<Long, Row>> rightTag, Schema outputSchema) {
      this.leftTag = leftTag;
      this.rightTag = rightTag;
      this.outputSchema = outputSchema;
    }

    @ProcessElement
    public void process(@Element KV<Integer, CoGbkResult> bucket, OutputReceiver<Row> out) {
      Map<Long, List<Row>> rightsByInd = new HashMap<>();
      for (KV<Long, Row> right : bucket.getValue().getAll(rightTag)) {
        rightsByInd.computeIfAbsent(right.getKey(), ind -> new ArrayList<>(1)).add(right.getValue());
      }
      if (rightsByInd.isEmpty()) {
        return;
      }
      for (KV<Long, Row> left : bucket.getValue().getAll(leftTag)) {
        List<Row> rights = rightsByInd.get(left.getKey());
        if (rights == null) {
          continue;
        }
        for (Row right : rights) {
          out.output(
              Row.withSchema(outputSchema)
                  .addValue(left.getKey())
                  .addValues(left.getValue().getValues())
                  .addValues(right.getValues())
                  .build());
        }
      }
    }
  }
}
