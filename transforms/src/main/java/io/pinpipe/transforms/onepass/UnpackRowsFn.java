package io.pinpipe.transforms.onepass;

import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.Row;

/** The table rows of {@link PackedRows}, one element each, for the table's writer. */
public final class UnpackRowsFn extends DoFn<PackedRows, Row> {
  private final Schema schema;

  public UnpackRowsFn(Schema schema) {
    this.schema = schema;
  }

  @ProcessElement
  public void process(@Element PackedRows rows, OutputReceiver<Row> out) {
    rows.forEachRow(schema, out::output);
  }
}
