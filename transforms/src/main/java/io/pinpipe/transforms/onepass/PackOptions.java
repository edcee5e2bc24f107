package io.pinpipe.transforms.onepass;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Command-line bounds of the packed elements the job moves between steps ({@link PackLimits}). */
public interface PackOptions extends PipelineOptions {

  @Description(
      "Most records in one packed element between steps. Larger packs mean fewer elements to move;"
          + " every pack is held in memory while it fills.")
  @Default.Integer(PackLimits.DEFAULT_MAX_RECORDS)
  int getMaxPackRecords();

  void setMaxPackRecords(int value);

  @Description("Most bytes (about) in one packed element between steps.")
  @Default.Integer(PackLimits.DEFAULT_MAX_BYTES)
  int getMaxPackBytes();

  void setMaxPackBytes(int value);
}
