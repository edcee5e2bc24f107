package io.pinpipe.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Where the Kafka cluster is. TLS and SASL settings never travel as option values (Beam records
 * options in the job graph and the logs, README.md#the-emulator-post-and-load-db):
 * they come from the client properties file
 * named by {@code --clientConfig} or from {@code PINPIPE_KAFKA_*} environment variables.
 */
public interface KafkaOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers, host:port[,host:port...]")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description(
      "Kafka client properties file (security.protocol, sasl.*, ssl.*); or set "
          + "PINPIPE_KAFKA_CLIENT_CONFIG, or PINPIPE_KAFKA_<PROPERTY> variables")
  String getClientConfig();

  void setClientConfig(String value);

  @Description(
      "Kafka consumer group whose committed offsets a run resumes from and commits to (archive"
          + " commits to it for monitoring only: its archive records what it holds). Default:"
          + " pinterest-archive for archive, pinterest-streaming for streaming; batch commits nothing")
  String getGroupId();

  void setGroupId(String value);

  @Description(
      "Where reading starts in each partition: earliest, an ISO-8601 instant (the first record at"
          + " or after it), or committed (the group's offset, else earliest; archive and streaming"
          + " only). Default: committed for streaming from Kafka, earliest otherwise. archive uses it"
          + " only in a partition its archive holds nothing of yet")
  String getStartFrom();

  void setStartFrom(String value);
}
