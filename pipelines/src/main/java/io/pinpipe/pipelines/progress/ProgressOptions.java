package io.pinpipe.pipelines.progress;

import io.pinpipe.pipelines.UserError;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How a job shows that it is working: progress lines on standard error, or none. */
public interface ProgressOptions extends PipelineOptions {
  @Description(
      "Print no progress lines (batch and archive: the counts so far; streaming: a line per window"
          + " written); the closing summary is printed all the same")
  @Default.Boolean(false)
  boolean getQuiet();

  void setQuiet(boolean value);

  @Description("Seconds between progress lines (streaming: between looks for windows written)")
  @Default.Integer(5)
  int getProgressSeconds();

  void setProgressSeconds(int value);

  /** Checks the options before the job touches anything. */
  static void check(PipelineOptions options) {
    if (options.as(ProgressOptions.class).getProgressSeconds() < 1) {
      throw new UserError("--progressSeconds must be at least 1");
    }
  }
}
