package io.pinpipe.pipelines.archive;

import io.pinpipe.pipelines.io.sink.DeadLetterJson;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.DeadLetterReason;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Decides, record by record, whether a Kafka record can go into the archive as one line: it must
 * be one JSON object with an integral row number (the parse step of docs/semantics.md#cleaning-per-kind,
 * the same one
 * batch applies) and no larger than the size limit. Each record goes out keyed by its {@link
 * Chunk}: a good one as its line, the others as a dead-letter line with their origin {@code
 * <topic>+<partition>+<offset>} and reason. A record the archive already holds (read again only
 * because it lies between ranges still to write) is dropped and counted.
 *
 * <p>Counters (namespace {@link ArchivePipeline}): {@code archived}, {@code dead_lettered}, {@code
 * already_archived}, and per kind {@code <kind>_archived} and {@code <kind>_dead_lettered} for the
 * progress lines. Counted as each record is checked, as they were before the progress lines: the
 * run's summary reads them, and with counts added at each bundle's end one DirectRunner run under
 * load reported 0 of its 4 archived records (cause not found).
 */
final class CheckRecordsFn extends DoFn<KafkaRecord<byte[], byte[]>, KV<String, ChunkLine>> {
  private final String topicPrefix;
  private final ChunkPlan plan;
  private final int maxRecordBytes;
  private final boolean dailyFolders;
  private final Counter archived = Metrics.counter(ArchivePipeline.class, "archived");
  private final Counter deadLettered = Metrics.counter(ArchivePipeline.class, "dead_lettered");
  private final Counter alreadyArchived = Metrics.counter(ArchivePipeline.class, "already_archived");
  private transient Map<RecordKind, JsonRecordParser> parsers;
  private transient Counter[] archivedPerKind;
  private transient Counter[] deadLetteredPerKind;

  CheckRecordsFn(String topicPrefix, ChunkPlan plan, int maxRecordBytes, boolean dailyFolders) {
    this.topicPrefix = topicPrefix;
    this.plan = plan;
    this.maxRecordBytes = maxRecordBytes;
    this.dailyFolders = dailyFolders;
  }

  @Setup
  public void setup() {
    parsers = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      // process() checks --maxRecordBytes first, with its own reason; the parser's limit must not be
      // lower (its default is the option's default), or a larger --maxRecordBytes would not take effect.
      parsers.put(kind, new JsonRecordParser(kind, maxRecordBytes));
    }
    RecordKind[] kinds = RecordKind.values();
    archivedPerKind = new Counter[kinds.length];
    deadLetteredPerKind = new Counter[kinds.length];
    for (RecordKind kind : kinds) {
      archivedPerKind[kind.ordinal()] = Metrics.counter(ArchivePipeline.class, kind.id() + "_archived");
      deadLetteredPerKind[kind.ordinal()] = Metrics.counter(ArchivePipeline.class, kind.id() + "_dead_lettered");
    }
  }

  @ProcessElement
  public void process(@Element KafkaRecord<byte[], byte[]> record, OutputReceiver<KV<String, ChunkLine>> out) {
    String topic = record.getTopic();
    int partition = record.getPartition();
    long offset = record.getOffset();
    Optional<Chunk> chunk = plan.chunkOf(topic, partition, offset);
    if (chunk.isEmpty()) {
      alreadyArchived.inc();
      return;
    }
    RecordKind kind = RecordKind.fromId(topic.substring(topicPrefix.length() + 1));
    String origin = topic + "+" + partition + "+" + offset;
    byte[] value = record.getKV().getValue() == null ? new byte[0] : record.getKV().getValue();

    DeadLetter dead;
    if (value.length > maxRecordBytes) {
      dead = tooLarge(kind, origin, value);
    } else {
      dead = parsers.get(kind).parse(RawRecord.of(origin, value)).deadLetter();
    }
    String key = chunk.get().key();
    if (dead == null) {
      archived.inc();
      archivedPerKind[kind.ordinal()].inc();
      out.output(KV.of(key, new ChunkLine(offset, day(record.getTimestamp()), false, oneLine(value))));
    } else {
      deadLettered.inc();
      deadLetteredPerKind[kind.ordinal()].inc();
      // Dead letters are not split by day: one file per chunk.
      byte[] line = DeadLetterJson.toJsonLine(dead).getBytes(StandardCharsets.UTF_8);
      out.output(KV.of(key, new ChunkLine(offset, Optional.empty(), true, line)));
    }
  }

  /** The UTC day of a record's Kafka timestamp, when daily folders are on and it has one. */
  private Optional<String> day(long timestampMillis) {
    if (!dailyFolders || timestampMillis < 0) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(timestampMillis).atZone(ZoneOffset.UTC).toLocalDate().toString());
  }

  private DeadLetter tooLarge(RecordKind kind, String origin, byte[] value) {
    String reason = DeadLetterReason.ARCHIVE_RECORD_TOO_LARGE.format(value.length, maxRecordBytes);
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
