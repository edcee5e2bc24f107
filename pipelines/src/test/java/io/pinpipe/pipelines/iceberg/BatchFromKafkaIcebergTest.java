package io.pinpipe.pipelines.iceberg;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserErrorOutput;
import io.pinpipe.pipelines.archive.ArchivePipeline;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Batch from Kafka into Iceberg tables (docs/iceberg.md#runs-from-kafka): each row's {@code
 * ingestion_date} is the UTC day of its record's Kafka timestamp. On a real broker, 60 posts sent with
 * the timestamp {@code DAY1T23:59:30Z} and 60 with {@code DAY2T00:00:00Z} (yesterday and today, UTC;
 * midnight belongs to the new day), one post of the first day sent again on the second, one bad geo record on the first day and
 * one bad pin record on the second. The archive job files the same records under {@code dt=} folders
 * by the same timestamps, with its own code; a batch of that archive commits what the batch from
 * Kafka must commit (the dead letters aside: the archive job keeps bad records out of the archive).
 */
public class BatchFromKafkaIcebergTest {
  private static final String PREFIX = "arrive";
  // Yesterday and today: a broker deletes records older than its retention (7 days) by their timestamps.
  private static final String DAY2 = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
  private static final String DAY1 = java.time.LocalDate.parse(DAY2).minusDays(1).toString();
  private static final int POSTS_PER_DAY = 60;

  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public UserErrorOutput stderr = new UserErrorOutput();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path fromKafka;
  private static Path fromArchive;
  private static KafkaFixture.Sent badGeo;
  private static KafkaFixture.Sent badPin;
  private static long resentIndex;

  @BeforeClass
  public static void sendTwoDaysAndRunBatchBothWays() throws Exception {
    KAFKA.createTopics(PREFIX, 2);
    long day1 = Instant.parse(DAY1 + "T23:59:30Z").toEpochMilli();
    long day2 = Instant.parse(DAY2 + "T00:00:00Z").toEpochMilli();
    PostGenerator generator = new PostGenerator(22);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    List<GeneratedPost> first = new ArrayList<>();
    for (int i = 0; i < POSTS_PER_DAY; i++) {
      first.add(generator.next());
    }
    first.forEach(post -> addPost(records, post, day1));
    records.add(record(RecordKind.GEO, "bad-geo", "{\"ind\": ", day1));
    for (int i = 0; i < POSTS_PER_DAY; i++) {
      addPost(records, generator.next(), day2);
    }
    // Sent again the next day: a row of each day (duplicates are found within a day, as with --date).
    GeneratedPost resent = first.get(5);
    resentIndex = resent.index();
    addPost(records, resent, day2);
    records.add(record(RecordKind.PIN, "bad-pin", "[1, 2]", day2));
    List<KafkaFixture.Sent> sent = KAFKA.send(records);
    for (KafkaFixture.Sent s : sent) {
      if (s.text().equals("{\"ind\": ")) {
        badGeo = s;
      } else if (s.text().equals("[1, 2]")) {
        badPin = s;
      }
    }

    fromKafka = TMP.getRoot().toPath().resolve("from-kafka");
    assertEquals(
        CommandLine.OK,
        BatchPipeline.run("--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX, "--output=" + fromKafka, "--quiet"));

    Path archive = TMP.newFolder("archive").toPath();
    assertEquals(
        0,
        ArchivePipeline.run(
            "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX, "--output=" + archive,
            "--groupId=arrive-archive", "--quiet"));
    fromArchive = TMP.getRoot().toPath().resolve("from-archive");
    assertEquals(
        CommandLine.OK,
        BatchPipeline.run("--input=" + archive, "--topicPrefix=" + PREFIX, "--output=" + fromArchive, "--quiet"));
  }

  private static void addPost(List<ProducerRecord<byte[], byte[]>> records, GeneratedPost post, long timestamp) {
    for (RecordKind kind : RecordKind.values()) {
      records.add(record(kind, Long.toString(post.index()), post.json(kind), timestamp));
    }
  }

  private static ProducerRecord<byte[], byte[]> record(RecordKind kind, String key, String value, long timestamp) {
    return new ProducerRecord<>(
        PREFIX + "." + kind.id(), null, timestamp, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  /** Rows per ingestion_date. */
  private static Map<String, Integer> perDay(List<String> rows) {
    Map<String, Integer> days = new TreeMap<>();
    for (String row : rows) {
      days.merge(row.substring(row.lastIndexOf('|') + 1), 1, Integer::sum);
    }
    return days;
  }

  @Test
  public void eachRowsIngestionDateIsItsKafkaTimestampsUtcDay() throws Exception {
    for (RecordKind kind : RecordKind.values()) {
      List<String> rows = RowText.currentRowsOfAnyTable(IcebergFixtures.batchTable(fromKafka, kind.id()));
      // The resent post is a row of both days; midnight is the second day's.
      assertEquals(kind.id(), Map.of(DAY1, POSTS_PER_DAY, DAY2, POSTS_PER_DAY + 1), perDay(rows));
      long resentRows = rows.stream().filter(r -> r.startsWith(resentIndex + "|")).count();
      assertEquals(kind.id() + " rows of the post sent on both days", 2, resentRows);
    }
  }

  @Test
  public void theKindAndResultTablesAreWhatABatchOfTheDailyArchiveCommits() throws Exception {
    for (String name : BatchTables.tableNames()) {
      if (name.endsWith(BatchTables.DEAD_LETTERS)) {
        continue;
      }
      assertEquals(
          name,
          RowText.currentRowsOfAnyTable(IcebergFixtures.batchTable(fromArchive, name)),
          RowText.currentRowsOfAnyTable(IcebergFixtures.batchTable(fromKafka, name)));
    }
  }

  @Test
  public void deadLettersAreInTheirArrivalDayWithTheirKafkaOrigin() throws Exception {
    assertEquals(
        List.of(badPin.coordinates() + "|" + DAY2),
        RowText.currentRowsOfAnyTable(IcebergFixtures.batchTable(fromKafka, "pin_dead_letters")).stream()
            .map(r -> r.substring(0, r.indexOf('|')) + r.substring(r.lastIndexOf('|')))
            .toList());
    assertEquals(
        List.of(badGeo.coordinates() + "|" + DAY1),
        RowText.currentRowsOfAnyTable(IcebergFixtures.batchTable(fromKafka, "geo_dead_letters")).stream()
            .map(r -> r.substring(0, r.indexOf('|')) + r.substring(r.lastIndexOf('|')))
            .toList());
    assertEquals(List.of(), RowText.currentRowsOfAnyTable(IcebergFixtures.batchTable(fromKafka, "user_dead_letters")));
  }

  @Test
  public void theRunReplacesTheArrivalDaysOfItsRecordsInOneSnapshotPerTable() throws Exception {
    JsonNode iceberg = new ObjectMapper().readTree(fromKafka.resolve("summary.json").toFile()).path("iceberg");
    assertEquals("[\"" + DAY1 + "\",\"" + DAY2 + "\"]", iceberg.path("ingestion_dates").toString());
    for (String name : BatchTables.tableNames()) {
      Table table = IcebergFixtures.batchTable(fromKafka, name);
      assertEquals(name, 1, com.google.common.collect.Iterables.size(table.snapshots()));
      assertEquals(name, DAY1 + "," + DAY2, table.currentSnapshot().summary().get(BatchTables.INGESTION_DATE));
      assertEquals(
          name,
          table.currentSnapshot().snapshotId(),
          iceberg.path("tables").path(BatchTables.NAMESPACE + "." + name).path("snapshot_id").asLong());
    }
  }

  @Test
  public void aLogCutByRetentionOrAPartialStartIsRefusedNotReplacedInPart() throws Exception {
    // Each day read is replaced whole, so a run must read every record of it: from the earliest
    // offset of a log nothing was deleted from. (It deletes a record: the other tests read what the
    // class's runs wrote before.)
    Path out = TMP.getRoot().toPath().resolve("partial");
    stderr.reset();
    int status =
        BatchPipeline.run(
            "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX, "--output=" + out,
            "--startFrom=" + DAY2 + "T00:00:00Z", "--quiet");
    stderr.assertUserError(status, "with Iceberg tables: a run from Kafka replaces each day it read, so it reads the whole log");
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      // What retention does to a partition's oldest segment: its log now begins at offset 1.
      admin.deleteRecords(Map.of(new TopicPartition(PREFIX + ".geo", 0), RecordsToDelete.beforeOffset(1))).all().get();
    }
    stderr.reset();
    status = BatchPipeline.run("--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX, "--output=" + out, "--quiet");
    stderr.assertUserError(status, PREFIX + ".geo partition 0 begins at offset 1 (the records before it are gone");
    assertFalse("nothing was written", Files.exists(out.resolve("warehouse")));
  }
}
