package io.pinpipe.pipelines.streaming;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Windows, triggers and assembly: what decides when results and table files appear. */
public interface WindowOptions extends PipelineOptions {
  @Description(
      "Fixed event-time window length in seconds; 0 for one global window (a bounded replay: results at the end"
          + " of the run; with --tableFormat=iceberg committed once, at the end, result rows with null"
          + " window_start/window_end, docs/iceberg.md)")
  @Default.Long(60)
  long getWindowSeconds();

  void setWindowSeconds(long value);

  @Description(
      "Write early (speculative) table files this many seconds of processing time after a"
          + " window's first record, and again after each such delay; 0 for none")
  @Default.Long(0)
  long getEarlyFiringSeconds();

  void setEarlyFiringSeconds(long value);

  @Description(
      "How long after a window's end a late record is still taken: appended to the tables at once"
          + " and included in the window's results, which wait for this before they are written")
  @Default.Long(0)
  long getAllowedLatenessSeconds();

  void setAllowedLatenessSeconds(long value);

  @Description(
      "How long (event time) a post waits for its pin, geo and user records before its parts are"
          + " written anyway and counted as incomplete")
  @Default.Long(10)
  long getAssemblyWaitSeconds();

  void setAssemblyWaitSeconds(long value);
}
