package io.pinpipe.pipelines.archive;

import io.pinpipe.pipelines.io.DeadLetterJson;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.schema.RecordKind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Decides, record by record, whether a Kafka record can go into the archive as one line: it must
 * be one JSON object with an integral row number (the parse step of docs/semantics.md, the same one
 * batch applies) and no larger than the size limit. Good records go out keyed by their {@link
 * ArchiveFile}; the others as dead-letter lines keyed by their chunk, with their origin {@code
 * <topic>+<partition>+<offset>} and reason.
 */
final class CheckRecordsFn extends DoFn<KafkaRecord<byte[], byte[]>, KV<String, KV<Long, byte[]>>> {
  static final TupleTag<KV<String, KV<Long, byte[]>>> ARCHIVE = new TupleTag<>() {};
  static final TupleTag<KV<String, KV<Long, byte[]>>> DEAD_LETTERS = new TupleTag<>() {};

  private final String topicPrefix;
  private final Map<String, Long> rangeStarts;
  private final long maxRecordsPerFile;
  private final int maxRecordBytes;
  private final boolean dailyFolders;
  private final Counter archived = Metrics.counter(ArchivePipeline.class, "archived");
  private final Counter deadLettered = Metrics.counter(ArchivePipeline.class, "dead_lettered");
  private transient Map<RecordKind, JsonRecordParser> parsers;

  CheckRecordsFn(
      String topicPrefix,
      Map<String, Long> rangeStarts,
      long maxRecordsPerFile,
      int maxRecordBytes,
      boolean dailyFolders) {
    this.topicPrefix = topicPrefix;
    this.rangeStarts = rangeStarts;
    this.maxRecordsPerFile = maxRecordsPerFile;
    this.maxRecordBytes = maxRecordBytes;
    this.dailyFolders = dailyFolders;
  }

  static String rangeKey(String topic, int partition) {
    return topic + "|" + partition;
  }

  @Setup
  public void setup() {
    parsers = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      // process() checks --maxRecordBytes first, with its own reason; the parser's limit must not be
      // lower (its default is the option's default), or a larger --maxRecordBytes would not take effect.
      parsers.put(kind, new JsonRecordParser(kind, maxRecordBytes));
    }
  }

  @ProcessElement
  public void process(@Element KafkaRecord<byte[], byte[]> record, MultiOutputReceiver out) {
    String topic = record.getTopic();
    int partition = record.getPartition();
    long offset = record.getOffset();
    ArchiveFile file =
        ArchiveFile.of(
            topic, partition, offset, rangeStarts.get(rangeKey(topic, partition)),
            maxRecordsPerFile, record.getTimestamp(), dailyFolders);
    RecordKind kind = RecordKind.fromId(topic.substring(topicPrefix.length() + 1));
    String origin = topic + "+" + partition + "+" + offset;
    byte[] value = record.getKV().getValue() == null ? new byte[0] : record.getKV().getValue();

    DeadLetter dead;
    if (value.length > maxRecordBytes) {
      dead = tooLarge(kind, origin, value);
    } else {
      dead = parsers.get(kind).parse(RawRecord.of(origin, value)).deadLetter();
    }
    if (dead == null) {
      archived.inc();
      out.get(ARCHIVE).output(KV.of(file.key(), KV.of(offset, oneLine(value))));
    } else {
      deadLettered.inc();
      // Dead letters are not split by day: one file per chunk of the partition's range.
      ArchiveFile chunk = new ArchiveFile(topic, partition, java.util.Optional.empty(), file.chunk());
      byte[] line = DeadLetterJson.toJsonLine(dead).getBytes(StandardCharsets.UTF_8);
      out.get(DEAD_LETTERS).output(KV.of(chunk.key(), KV.of(offset, line)));
    }
  }

  private DeadLetter tooLarge(RecordKind kind, String origin, byte[] value) {
    String reason =
        "record of " + value.length + " bytes is larger than the limit of " + maxRecordBytes
            + " bytes (--maxRecordBytes)";
    String text = new String(value, StandardCharsets.UTF_8);
    boolean utf8 = java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), value);
    return new DeadLetter(
        kind.id(), origin, reason, utf8 ? text : null,
        utf8 ? null : Base64.getEncoder().encodeToString(value));
  }

  /**
   * A valid JSON object can hold CR or LF only as whitespace between tokens (never inside a
   * string), so a pretty-printed object becomes one line by turning them into spaces: the same
   * JSON value, and every other byte as sent.
   */
  static byte[] oneLine(byte[] value) {
    byte[] line = null;
    for (int i = 0; i < value.length; i++) {
      if (value[i] == '\n' || value[i] == '\r') {
        if (line == null) {
          line = value.clone();
        }
        line[i] = ' ';
      }
    }
    return line == null ? value : line;
  }
}
