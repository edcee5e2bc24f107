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
 * pin row in {@code <output>/tables/pin/*.parquet}, latency = the file's last-modified time (when the
 * pane's file was written, before its rename), or with Iceberg tables ({@code <output>/warehouse})
 * the commit time of the snapshot that added the row's file, minus the send time of that row number's first pin
 * record on Kafka (the record timestamp the emulator's producer set). Prints count, p50, p99, max,
 * then the same split in two: waiting for the window to end (send to the window's end, from the
 * file name), and the job's own delay after it (window end to file written), and that delay for each
 * window in order: a delay that grows from window to window means the job did not keep up.
 *
 * <p>usage: SendToTableLatency BOOTSTRAP TOPIC OUTPUT_DIR [SENT_FROM_MS]. With SENT_FROM_MS (epoch
 * millis), only pins first sent at or after it count: the measured part of a run after a warm-up.
 */
public final class SendToTableLatency {
  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    Path output = Path.of(args[2]);
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
    PinRows pins = Files.isDirectory(output.resolve("warehouse")) ? icebergPins(output) : parquetPins(output.resolve("tables").resolve("pin"));
    pins.forEach(
        (ind, windowEnd, written) -> {
          Long sent = sentAt.get(ind);
          if (sent != null) {
            long end = windowEnd == Long.MIN_VALUE ? windowEndOf(sent) : windowEnd;
            latencies.add(written - sent);
            toWindowEnd.add(end - sent);
            afterWindowEnd.add(written - end);
            writtenByWindowEnd.merge(end, written, Math::max);
          }
        });
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

  /** Each pin row: its row number, its window's end if known (else {@link Long#MIN_VALUE}), when it was in the table. */
  interface PinRows {
    void forEach(PinRow row) throws Exception;
  }

  interface PinRow {
    void accept(long ind, long windowEnd, long inTable);
  }

  /** Plain Parquet tables: each pane file's rows, in the table when the file was written. */
  private static PinRows parquetPins(Path pinTable) {
    return out -> {
      try (Stream<Path> files = Files.list(pinTable)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".parquet")).collect(Collectors.toList())) {
          long written = Files.getLastModifiedTime(file).toMillis();
          long windowEnd = windowEnd(file.getFileName().toString());
          for (GenericRecord row : ParquetTable.read(file.getParent(), file.getFileName().toString())) {
            out.accept((Long) row.get("ind"), windowEnd, written);
          }
        }
      }
    };
  }

  /**
   * Iceberg tables: each row of a data file a snapshot added, in the table when that snapshot was
   * committed (readers see nothing before); the window is the 10 s window of its Kafka timestamp.
   */
  private static PinRows icebergPins(Path output) {
    return out -> {
      org.apache.iceberg.catalog.Catalog catalog =
          io.pinpipe.pipelines.iceberg.IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
      try {
        org.apache.iceberg.Table table =
            catalog.loadTable(io.pinpipe.pipelines.iceberg.StreamTables.identifier(io.pinpipe.contract.RecordKind.PIN.id()));
        for (org.apache.iceberg.Snapshot snapshot : table.snapshots()) {
          for (org.apache.iceberg.DataFile file : snapshot.addedDataFiles(table.io())) {
            Path path = Path.of(java.net.URI.create(file.path().toString()).getPath());
            for (GenericRecord row : ParquetTable.read(path.getParent(), path.getFileName().toString())) {
              out.accept((Long) row.get("ind"), Long.MIN_VALUE, snapshot.timestampMillis());
            }
          }
        }
      } finally {
        io.pinpipe.pipelines.iceberg.IcebergCatalog.close(catalog);
      }
    };
  }

  /** The end of the 10 s window (the benchmark's) holding an event time. */
  static long windowEndOf(long eventMillis) {
    return Math.floorDiv(eventMillis, 10_000L) * 10_000L + 10_000L;
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
