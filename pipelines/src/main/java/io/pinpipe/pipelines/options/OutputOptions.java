package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where a run writes: results/, tables/, dead-letter/ and summary.json (docs/semantics.md). */
public interface OutputOptions extends PipelineOptions {

  @Description("Output directory, or s3://bucket/prefix (any Beam filesystem URL)")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description("Replace the results of an earlier run in --output instead of refusing to start")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);
}
