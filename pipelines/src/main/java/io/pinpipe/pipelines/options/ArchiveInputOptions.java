package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where the raw events are: the archived layout of DESIGN.md §4. */
public interface ArchiveInputOptions extends PipelineOptions {

  @Description(
      "Root of the raw archive, a local directory (or URL of a Beam filesystem) holding "
          + "topics/<topicPrefix>.{pin,geo,user}/[dt=<day>/]partition=<p>/<files>")
  @Validation.Required
  String getInput();

  void setInput(String value);

  @Description("Topic prefix: the topics are <topicPrefix>.pin, .geo and .user")
  @Default.String("pinterest")
  String getTopicPrefix();

  void setTopicPrefix(String value);

  @Description(
      "Read only one ingestion day, YYYY-MM-DD (the archive's dt=<day> level); default: everything")
  String getDate();

  void setDate(String value);
}
