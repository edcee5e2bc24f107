package io.pinpipe.pipelines.io.kafka;

import io.pinpipe.pipelines.UserError;
import io.pinpipe.pipelines.io.source.RawSource;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.contract.ArchiveLayout;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The three topics read directly, for users without an archive: each partition from a start
 * position (earliest, or the first record at or after a time) to its end offset when the run
 * starts. A record's origin is {@code <topic>+<partition>+<offset>}, as in the archive's dead
 * letters. Commits nothing: batch never moves a consumer group.
 */
public final class KafkaSource implements RawSource {
  private final Map<String, Object> clientConfig;
  private final Map<RecordKind, List<PartitionRange>> ranges;
  private final String description;

  private KafkaSource(
      Map<String, Object> clientConfig, Map<RecordKind, List<PartitionRange>> ranges, String description) {
    this.clientConfig = clientConfig;
    this.ranges = ranges;
    this.description = description;
  }

  /** Plans the ranges now, so the run is bounded by the end offsets at its start. */
  public static KafkaSource plan(Map<String, Object> clientConfig, String topicPrefix, StartPosition start) {
    Map<RecordKind, List<PartitionRange>> ranges = new EnumMap<>(RecordKind.class);
    List<String> empty = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      String topic = ArchiveLayout.topic(topicPrefix, kind);
      List<PartitionRange> planned = KafkaOffsets.plan(clientConfig, List.of(topic), start, Optional.empty());
      if (planned.stream().allMatch(r -> r.size() == 0)) {
        empty.add(topic);
      }
      ranges.put(kind, planned);
    }
    if (!empty.isEmpty()) {
      throw new UserError(
          "no records to read in " + String.join(", ", empty) + " from " + start
              + " (check --topicPrefix and --startFrom)");
    }
    return of(clientConfig, topicPrefix, start, ranges);
  }

  /** A source over ranges already planned (the job graph can then be built without a broker). */
  static KafkaSource of(
      Map<String, Object> clientConfig,
      String topicPrefix,
      StartPosition start,
      Map<RecordKind, List<PartitionRange>> ranges) {
    String description =
        "kafka://" + KafkaOffsets.servers(clientConfig) + "/" + topicPrefix + ".{pin,geo,user} from " + start;
    return new KafkaSource(clientConfig, new EnumMap<>(ranges), description);
  }

  public List<PartitionRange> ranges(RecordKind kind) {
    return ranges.get(kind);
  }

  @Override
  public PTransform<PBegin, PCollection<RawRecord>> read(RecordKind kind) {
    return new ReadKind(ranges.get(kind), clientConfig);
  }

  @Override
  public String describe() {
    return description;
  }

  /** One kind's topic as raw records. */
  private static final class ReadKind extends PTransform<PBegin, PCollection<RawRecord>> {
    private final List<PartitionRange> ranges;
    private final Map<String, Object> clientConfig;

    ReadKind(List<PartitionRange> ranges, Map<String, Object> clientConfig) {
      this.ranges = ranges;
      this.clientConfig = clientConfig;
    }

    @Override
    public PCollection<RawRecord> expand(PBegin begin) {
      return begin
          .apply("ReadKafka", ReadKafkaRanges.of(ranges, clientConfig))
          .apply("ToRawRecords", toRawRecords());
    }
  }

  /** A Kafka record as a raw record: its value's bytes, origin {@code <topic>+<partition>+<offset>}. */
  static MapElements<KafkaRecord<byte[], byte[]>, RawRecord> toRawRecords() {
    return MapElements.into(TypeDescriptor.of(RawRecord.class))
        .via(
            (KafkaRecord<byte[], byte[]> r) ->
                RawRecord.of(
                    r.getTopic() + "+" + r.getPartition() + "+" + r.getOffset(),
                    r.getKV().getValue() == null ? new byte[0] : r.getKV().getValue()));
  }

  @Override
  public String toString() {
    return ranges.values().stream().flatMap(List::stream).map(Object::toString).collect(Collectors.joining(", "));
  }
}
