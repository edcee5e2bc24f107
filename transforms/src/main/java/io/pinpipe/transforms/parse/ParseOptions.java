package io.pinpipe.transforms.parse;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Command-line limits of the parser, shared by every job that parses records. */
public interface ParseOptions extends PipelineOptions {

  @Description("Records larger than this many bytes go to the dead-letter output, with their whole payload")
  @Default.Integer(JsonRecordParser.DEFAULT_MAX_RECORD_BYTES)
  int getMaxRecordBytes();

  void setMaxRecordBytes(int value);
}
