package io.pinpipe.pipelines.bench;

import io.pinpipe.pipelines.batch.ParquetTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.format.ISODateTimeFormat;

/**
 * Benchmark helper, not a test: send-to-table latency of the streaming job's pin table. For every
 * pin row in {@code <tables>/pin/*.parquet}, latency = the file's last-modified time (when the
 * pane's file was written, before its rename) minus the send time of that row number's first pin
 * record on Kafka (the record timestamp the emulator's producer set). Prints count, p50, p99, max,
 * then the same split in two: waiting for the window to end (send to the window's end, from the
 * file name), and the job's own delay after it (window end to file written), and that delay for each
 * window in order: a delay that grows from window to window means the job did not keep up.
 *
 * <p>usage: SendToTableLatency BOOTSTRAP TOPIC TABLES_DIR [SENT_FROM_MS]. With SENT_FROM_MS (epoch
 * millis), only pins first sent at or after it count: the measured part of a run after a warm-up.
 */
public final class SendToTableLatency {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    Path pinTable = Path.of(args[2]).resolve("pin");
    long sentFrom = args.length > 3 ? Long.parseLong(args[3]) : Long.MIN_VALUE;

    Map<Long, Long> sentAt = new HashMap<>();
    Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
          if (r.key() != null) {
            sentAt.merge(Long.parseLong(new String(r.key())), r.timestamp(), Math::min);
          }
        }
      }
    }
    sentAt.values().removeIf(sent -> sent < sentFrom);

    List<Long> latencies = new ArrayList<>();
    List<Long> toWindowEnd = new ArrayList<>();
    List<Long> afterWindowEnd = new ArrayList<>();
    // window end -> the latest write of that window's files holding measured pins
    Map<Long, Long> writtenByWindowEnd = new java.util.TreeMap<>();
    try (Stream<Path> files = Files.list(pinTable)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).collect(Collectors.toList())) {
        long written = Files.getLastModifiedTime(file).toMillis();
        long windowEnd = windowEnd(file.getFileName().toString());
        for (GenericRecord row : ParquetTable.read(file.getParent(), file.getFileName().toString())) {
          Long sent = sentAt.get((Long) row.get("ind"));
          if (sent != null) {
            latencies.add(written - sent);
            toWindowEnd.add(windowEnd - sent);
            afterWindowEnd.add(written - windowEnd);
            writtenByWindowEnd.merge(windowEnd, written, Math::max);
          }
        }
      }
    }
    Collections.sort(latencies);
    if (latencies.isEmpty()) {
      System.out.println("no rows");
      return;
    }
    System.out.printf(
        "rows %d of %d sent; send-to-table latency ms: p50 %d, p99 %d, max %d%n",
        latencies.size(), sentAt.size(), percentile(latencies, 50), percentile(latencies, 99),
        latencies.get(latencies.size() - 1));
    Collections.sort(toWindowEnd);
    Collections.sort(afterWindowEnd);
    System.out.printf(
        "  send to window end ms: p50 %d, p99 %d; window end to file written ms: p50 %d, p99 %d, max %d%n",
        percentile(toWindowEnd, 50), percentile(toWindowEnd, 99), percentile(afterWindowEnd, 50),
        percentile(afterWindowEnd, 99), afterWindowEnd.get(afterWindowEnd.size() - 1));
    System.out.println(
        "  window end to file written, s, each window in order: "
            + writtenByWindowEnd.entrySet().stream()
                .map(e -> String.format("%.1f", (e.getValue() - e.getKey()) / 1000.0))
                .collect(Collectors.joining(" ")));
  }

  /** The window's end from {@code pin-<start>-<end>-pane-...}, in basic ISO form (UTC). */
  static long windowEnd(String fileName) {
    // WindowedFiles.windowLabel's format: basic ISO, no millis, UTC.
    return ISODateTimeFormat.basicDateTimeNoMillis().withZoneUTC().parseMillis(fileName.split("-")[2]);
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
