package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** --adoptOutput: take over an output that an earlier version wrote, before outputs had a manifest. */
public interface AdoptOutputOptions extends PipelineOptions {
  @Description(
      "Let this job own an --output that an earlier version of pinpipe wrote (no _pinpipe.json): its"
          + " files then count as this job's, and --overwrite replaces them")
  @Default.Boolean(false)
  boolean getAdoptOutput();

  void setAdoptOutput(boolean value);
}
