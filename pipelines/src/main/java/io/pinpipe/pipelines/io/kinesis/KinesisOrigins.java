package io.pinpipe.pipelines.io.kinesis;

/**
 * Record origins of the streaming job's Kinesis read into Iceberg tables (docs/iceberg.md#streaming-from-kinesis):
 * {@code <stream>/<shard>/<sequence number>+<ordinal>} ({@code <sequence
 * number>:<sub-sequence number>} for a record a producer aggregated into one Kinesis record with
 * others, which KinesisIO hands out one by one), the ordinal being
 * the record's number in its shard (from 0, in the shard's order, {@link ShardOrdinals}). The
 * origin's trailing number is the ordinal, so the offset bookkeeping of the tables works on it as on
 * a Kafka offset; the sequence number stays in the origin, so a dead letter or a row names the
 * record as Kinesis knows it ({@code GetShardIterator AT_SEQUENCE_NUMBER}).
 *
 * <p>A record's partition, as the tables' positions name it, is its origin prefix without the
 * sequence number: {@code <stream>/<shard>/}. A Kafka origin prefix ({@code <topic>+<partition>+};
 * a topic has no {@code /}) is its own partition.
 */
public final class KinesisOrigins {
  private KinesisOrigins() {}

  public static String origin(String stream, String shard, String sequenceNumber, long subSequenceNumber, long ordinal) {
    return stream + "/" + shard + "/" + sequenceNumber + (subSequenceNumber == 0 ? "" : ":" + subSequenceNumber) + "+" + ordinal;
  }

  /** A shard's partition key, {@code <stream>/<shard>/}. */
  public static String shardKey(String stream, String shard) {
    return stream + "/" + shard + "/";
  }

  /** Whether a partition key names a Kinesis shard (not a Kafka partition). */
  public static boolean isShardKey(String partitionKey) {
    return partitionKey.endsWith("/");
  }

  /**
   * The partition of an origin prefix (an origin without its trailing number): {@code
   * <stream>/<shard>/} of {@code <stream>/<shard>/<sequence number>+}; a Kafka prefix as it is.
   */
  public static String partitionOf(String originPrefix) {
    int slash = originPrefix.lastIndexOf('/');
    return slash < 0 ? originPrefix : originPrefix.substring(0, slash + 1);
  }

  /** The sequence number in an origin prefix {@code <stream>/<shard>/<sequence number>[:<sub>]+}. */
  public static String sequenceOf(String originPrefix) {
    String record = recordOf(originPrefix);
    int colon = record.indexOf(':');
    return colon < 0 ? record : record.substring(0, colon);
  }

  /** The sub-sequence number in an origin prefix (0 when it has none). */
  public static long subSequenceOf(String originPrefix) {
    String record = recordOf(originPrefix);
    int colon = record.indexOf(':');
    return colon < 0 ? 0 : Long.parseLong(record.substring(colon + 1));
  }

  private static String recordOf(String originPrefix) {
    int slash = originPrefix.lastIndexOf('/');
    int end = originPrefix.endsWith("+") ? originPrefix.length() - 1 : originPrefix.length();
    return originPrefix.substring(slash + 1, end);
  }
}
