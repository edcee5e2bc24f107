package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Which topics: {@code <topicPrefix>.pin}, {@code .geo} and {@code .user} (docs/design.md#data-contract). */
public interface TopicOptions extends PipelineOptions {
  @Description("Topic prefix: the topics are <topicPrefix>.pin, .geo and .user")
  @Default.String("pinterest")
  String getTopicPrefix();

  void setTopicPrefix(String value);
}
