package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.options.Description;

/** Where the raw events are: the archived layout of docs/semantics.md#archived-raw-layout. */
public interface ArchiveInputOptions extends TopicOptions {

  @Description(
      "Root of the raw archive, a local directory or s3://bucket/prefix (any Beam filesystem URL), holding "
          + "topics/<topicPrefix>.{pin,geo,user}/[dt=<day>/]partition=<p>/<files>")
  String getInput();

  void setInput(String value);

  @Description(
      "Read only one ingestion day, YYYY-MM-DD (the archive's dt=<day> level); default: everything")
  String getDate();

  void setDate(String value);
}
