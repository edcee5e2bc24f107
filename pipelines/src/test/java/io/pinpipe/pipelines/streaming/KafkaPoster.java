package io.pinpipe.pipelines.streaming;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Posts {@code perSecond} events a second, each one's pin, geo and user record as the emulator
 * sends them, to a test broker's {@code <prefix>.<kind>} topics while a live job runs, until
 * stopped; then says where the broker stored each record.
 */
final class KafkaPoster implements AutoCloseable {
  /** One posted record: its kind, its event's row number, and where the broker stored it. */
  record Stored(RecordKind kind, long ind, RecordMetadata where) {}

  private final KafkaProducer<byte[], byte[]> producer;
  private final List<Future<RecordMetadata>> futures = new ArrayList<>();
  private final List<RecordKind> kinds = new ArrayList<>();
  private final List<Long> inds = new ArrayList<>();
  private final PacedPosting posting;

  KafkaPoster(KafkaFixture kafka, PostGenerator generator, String prefix, int perSecond) {
    producer = kafka.producer();
    posting =
        new PacedPosting(
            "poster",
            perSecond,
            n -> {
              GeneratedPost post = generator.next();
              for (RecordKind kind : RecordKind.values()) {
                futures.add(producer.send(KafkaFixture.record(prefix, kind, post)));
                kinds.add(kind);
                inds.add(post.index());
              }
            });
  }

  /** Stops posting; returns every record posted, in the order sent. */
  List<Stored> stop() throws Exception {
    posting.stop();
    producer.flush();
    List<Stored> stored = new ArrayList<>();
    for (int i = 0; i < futures.size(); i++) {
      stored.add(new Stored(kinds.get(i), inds.get(i), futures.get(i).get()));
    }
    return stored;
  }

  @Override
  public void close() throws Exception {
    posting.close();
    producer.close();
  }
}
