package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Validation;

/** Where a run writes: results/, tables/, dead-letter/ and summary.json (docs/design.md#outputs). */
public interface OutputOptions extends AdoptOutputOptions {

  @Description("Output directory, or s3://bucket/prefix (any Beam filesystem URL)")
  @Validation.Required
  String getOutput();

  void setOutput(String value);

  @Description(
      "Replace what an earlier run of this job wrote in --output instead of refusing to start (only"
          + " that: a job refuses an output holding anything else)")
  @Default.Boolean(false)
  boolean getOverwrite();

  void setOverwrite(boolean value);
}
