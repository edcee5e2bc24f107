package io.pinpipe.pipelines.streaming;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.iceberg.BatchTables;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.pipelines.iceberg.StreamTables;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.services.FlinkSession;
import io.pinpipe.transforms.results.QueryOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming job on a real Flink 1.19 session cluster, one of whose TaskManagers is killed
 * mid-stream (README.md#flink-run; docs/streaming.md#restarts-what-resumes-where). A JobManager and two
 * TaskManagers run as JVMs of their own from Flink's jars only ({@link FlinkSession}; each
 * TaskManager has the slots to run the job alone, heartbeats notice a lost one within seconds and
 * a fixed-delay restart strategy restarts the job). The packaged {@code pinterest-pipelines.jar}
 * is submitted as the README says, {@code flink run -d -c io.pinpipe.pipelines.PipelinesMain
 * pinterest-pipelines.jar streaming --runner=FlinkRunner ...} (Flink's own CLI, from the cluster's
 * lib/), with {@code --tableFormat=iceberg} (a Hadoop catalog in {@code <output>/warehouse}, which
 * the JobManager and TaskManagers share on this one machine) and checkpoints every second under
 * {@code --flinkCheckpointDir}; the job reads a real Kafka broker while events (and a few
 * unreadable records) are posted all along. Once the job has written a window, committed the
 * tables and completed checkpoints, the TaskManager running its tasks is killed with SIGKILL right
 * after the tables' next commit, which the checkpoint the failover restores then most likely does
 * not know of. The job must restart from its latest checkpoint on the other TaskManager (the
 * commit step's state restored from that checkpoint, which may be older than the
 * tables: docs/iceberg.md#flinkrunner) and commit windows that began after the kill, and in the
 * end, read through Iceberg's API from each table's current snapshot, every (topic, partition,
 * offset) posted must be in exactly one row (by origin) of exactly one of its kind's table and its
 * dead-letter table, nothing else there, every table's position at the logs' ends and the group's
 * committed offsets too. Runs in {@code mvn verify} (it needs the packaged jar): 88-139 s on 2
 * cores at a load average of 7-19 (other builds); most of it submitting and deploying the job and
 * catching up.
 */
public class StreamingOnFlinkClusterIT {
  /**
   * What the outputs must hold for every record posted: the streaming Iceberg tables are exactly
   * once across a failover too (docs/iceberg.md#streaming): every count below must be exactly 1.
   */
  static final Delivery DELIVERY = Delivery.EXACTLY_ONCE;

  enum Delivery {
    AT_LEAST_ONCE,
    EXACTLY_ONCE
  }

  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final String PREFIX = "flinkcluster";
  private static final int PARTITIONS = 2;
  /** The job's parallelism, and each TaskManager's slots: either TaskManager can run it alone. */
  private static final int PARALLELISM = 2;
  private static final int POSTS_PER_SECOND = 10;
  /** Per step; generous, as the 2-core machine may be shared (a step took 100 s at a load of 40). */
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(180);
  private static final Pattern WINDOW_FILE = Pattern.compile("summary-(\\d{8}T\\d{6}Z)-(\\d{8}T\\d{6}Z)\\.json");
  private static final DateTimeFormatter WINDOW_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);

  /** One record as the broker stored it; {@code ind} is null for an unreadable record. */
  record Posted(RecordKind kind, Long ind, String topic, int partition, long offset) {
    String coordinates() {
      return topic + "+" + partition + "+" + offset;
    }
  }

  @Test
  public void jobRestartsAfterATaskManagerIsKilledAndLosesOrDuplicatesNoRecord() throws Exception {
    long testStarted = System.nanoTime();
    Path jar = Path.of("").toAbsolutePath().resolve("target/pinterest-pipelines.jar");
    assertTrue("the job jar is built by `mvn package`: " + jar, Files.isRegularFile(jar));
    KAFKA.createTopics(PREFIX, PARTITIONS);
    Path output = tmp.newFolder("output").toPath();
    Path checkpoints = tmp.newFolder("checkpoints").toPath();
    List<Posted> posted = new ArrayList<>();
    Outputs outputs = new Outputs(output);

    try (FlinkSession flink =
            FlinkSession.onFreePorts(tmp.newFolder("flink").toPath(), Optional.empty())
                .start(2, PARALLELISM, Map.of(), Duration.ofSeconds(90));
        KafkaPoster poster = new KafkaPoster(KAFKA, new PostGenerator(22), PREFIX, POSTS_PER_SECOND)) {
      posted.addAll(sendUnreadable("before"));
      // flink run -d: the README's command. The CLI returns once the cluster has the job.
      Path cliLog = tmp.getRoot().toPath().resolve("flink-run.log");
      Process cli = flink.flink(flinkRun(jar, output, checkpoints), cliLog);
      boolean exited = cli.waitFor(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!exited) {
        cli.destroyForcibly();
      }
      String submitted = Files.readString(cliLog, StandardCharsets.UTF_8);
      assertTrue("flink run -d did not return within " + STEP_TIMEOUT.toSeconds() + " s:\n" + submitted + flink.logTails(25), exited);
      assertEquals("flink run -d failed:\n" + submitted + flink.logTails(25), 0, cli.exitValue());
      assertTrue(submitted, submitted.contains("streaming: submitted detached; the job runs on the Flink cluster until cancelled"));
      Matcher submittedId = Pattern.compile("Job has been submitted with JobID ([0-9a-f]{32})").matcher(submitted);
      assertTrue(submitted, submittedId.find());
      String jobId = submittedId.group(1);
      System.out.printf(Locale.ROOT, "flink run -d returned: %.1f s into the test%n", (System.nanoTime() - testStarted) / 1e9);
      // Running, a window written, the tables committed, checkpoints completed: the state a
      // failover restores (the commit step's, which the tables' later commits then run ahead of).
      await("the job to run, write a window, commit the tables and complete 2 checkpoints", flink, () ->
          jobState(flink, jobId).equals("RUNNING") && completedCheckpoints(flink, jobId) >= 2 && !outputs.windows().isEmpty()
              && !outputs.lowestPositions().isEmpty() ? Optional.of(true) : Optional.empty());
      String victim = await("a TaskManager running the job's tasks", flink, () -> busyTaskManager(flink));
      // Killed right after a commit of the tables, most likely before a checkpoint has taken the
      // commit step's state after it: the restored state is then older than the tables.
      Map<String, Map<String, Long>> positionsBefore = outputs.positions();
      awaitQuickly("a commit of the tables", flink, () -> {
        try {
          return Optional.of(!outputs.positions().equals(positionsBefore));
        } catch (RuntimeException e) {
          return Optional.of(false); // a table's metadata read while the job commits it: asked again
        }
      });
      String survivor = flink.taskManagerIds().stream().filter(t -> !t.equals(victim)).findFirst().orElseThrow();
      long checkpointsBefore = completedCheckpoints(flink, jobId);
      Instant killed = Instant.now();
      flink.kill(victim);
      long killedAt = System.nanoTime();
      posted.addAll(sendUnreadable("after"));

      // The job restarts from its latest checkpoint on the TaskManager left, and writes windows
      // that began after the kill: only a recovered job can have read their records.
      JsonNode restored = await("the job to restore a checkpoint after the kill", flink, () -> {
        JsonNode latest = flink.rest("/jobs/" + jobId + "/checkpoints").path("latest").path("restored");
        return latest.isObject() && jobState(flink, jobId).equals("RUNNING") ? Optional.of(latest) : Optional.empty();
      });
      Instant firstWindowAfter = await("a window begun after the kill to be committed to the result tables", flink, () ->
          outputs.committedWindows().stream().filter(start -> !start.isBefore(killed)).findFirst());
      double recoverySeconds = (System.nanoTime() - killedAt) / 1e9;
      long restoredCompleted = flink.rest("/jobs/" + jobId + "/checkpoints/details/" + restored.path("id").asLong())
          .path("latest_ack_timestamp").asLong();
      JsonNode taskManagers = flink.rest("/taskmanagers").path("taskmanagers");
      assertEquals("only " + survivor + " is left: " + taskManagers, 1, taskManagers.size());
      assertEquals(taskManagers.toString(), survivor, taskManagers.get(0).path("id").asText());
      assertTrue(
          "the job runs on " + survivor + ": " + taskManagers,
          taskManagers.get(0).path("freeSlots").asInt() < taskManagers.get(0).path("slotsNumber").asInt());
      String exceptions = flink.rest("/jobs/" + jobId + "/exceptions").toString();
      // Lost by a failed heartbeat RPC ("... is no longer reachable") or by a heartbeat timeout.
      assertTrue(exceptions, exceptions.contains("TaskManager with id " + victim + " "));

      // Posting stops; the job must then write and commit every record posted.
      for (KafkaPoster.Stored s : poster.stop()) {
        posted.add(new Posted(s.kind(), s.ind(), s.where().topic(), s.where().partition(), s.where().offset()));
      }
      await("every posted record written and its offset committed", flink,
          () -> outputs.allAt(ends(posted)) && outputs.holdsAll(posted) && committedToTheEnd() ? Optional.of(true) : Optional.empty(),
          () -> {
            List<Posted> missing = outputs.missing(posted);
            return Optional.of("; not yet written: " + missing.size() + " records, first " + missing.stream().limit(10).toList()
                + "; partitions: " + partitions() + "; lowest table positions: " + outputs.lowestPositions());
          });
      long checkpointsAfter = completedCheckpoints(flink, jobId);
      flink.cancel(jobId);
      await("the job to be cancelled", flink, () ->
          jobState(flink, jobId).equals("CANCELED") ? Optional.of(true) : Optional.empty());

      // Every (topic, partition, offset) posted, in the tables or the dead letters; nothing else.
      Map<String, Long> expected = new TreeMap<>();
      Map<String, Long> found = new TreeMap<>();
      for (Posted p : posted) {
        expected.put((p.ind() == null ? BatchTables.deadLetterTable(p.kind()) : p.kind().id()) + " " + p.coordinates(), 1L);
      }
      // An origin in both a kind's table and its dead letters counts as 2 under either name.
      Map<String, Long> byOrigin = new HashMap<>();
      Map<String, Map<String, Long>> rows = outputs.rowsByTable();
      rows.values().forEach(origins -> origins.forEach((origin, n) -> byOrigin.merge(origin, n, Long::sum)));
      rows.forEach((table, origins) -> origins.keySet().forEach(origin -> found.put(table + " " + origin, byOrigin.get(origin))));
      assertEquals("rows and dead letters that no posted record explains", List.of(),
          found.keySet().stream().filter(k -> !expected.containsKey(k)).toList());
      assertEquals("posted records in no table and no dead letter", List.of(),
          expected.keySet().stream().filter(k -> !found.containsKey(k)).toList());
      // Each clean row is its record's: the row number posted at that offset.
      Map<String, Long> inds = outputs.indByOrigin();
      assertEquals("clean rows whose row number is not the one posted at their offset", List.of(),
          posted.stream().filter(p -> p.ind() != null && !p.ind().equals(inds.get(p.coordinates())))
              .map(p -> p.coordinates() + " posted " + p.ind() + ", row " + inds.get(p.coordinates())).limit(20).toList());
      Map<String, Long> twice = new TreeMap<>();
      found.forEach((k, n) -> {
        if (n > 1) {
          twice.put(k, n);
        }
      });
      if (DELIVERY == Delivery.EXACTLY_ONCE && !twice.isEmpty()) {
        fail("written more than once: " + twice.size() + " origins, first " + new TreeMap<>(twice).entrySet().stream().limit(20).toList()
            + "\n" + outputs.history(twice.keySet()) + flink.logTails(40));
      }
      // The job's own accounting: every record a window read is cleaned, dead-lettered or a duplicate.
      long readInWindows = 0;
      long duplicatesInWindows = 0;
      for (RecordKind kind : RecordKind.values()) {
        Map<String, Long> totals = WindowedOutput.totals(output, kind);
        assertEquals(kind.id() + " " + totals, totals.get("read"), (Long) (totals.get("cleaned") + totals.get("dead_lettered") + totals.get("duplicates")));
        readInWindows += totals.get("read");
        duplicatesInWindows += totals.get("duplicates");
      }

      System.out.printf(
          Locale.ROOT,
          "Flink session cluster, %s killed (SIGKILL) %.0f s into the test while it ran the job; restored checkpoint %d"
              + " (%d completed before the kill, %d in all); first window begun after the kill (%s) written %.1f s after it;"
              + " %d records posted (%d unreadable), all in the tables or dead letters; %d rows or dead letters written"
              + " more than once (%d extra copies); the windows' summaries counted %d records read, %d of them duplicates;"
              + " %s; %d of them committed after the restored checkpoint completed and before the kill; test %.0f s%n",
          victim, (killedAt - testStarted) / 1e9, restored.path("id").asLong(), checkpointsBefore, checkpointsAfter,
          firstWindowAfter, recoverySeconds, posted.size(), posted.stream().filter(p -> p.ind() == null).count(),
          twice.size(), twice.values().stream().mapToLong(n -> n - 1).sum(), readInWindows, duplicatesInWindows,
          outputs.snapshotCounts(), outputs.snapshotsBetween(restoredCompleted, killed.toEpochMilli()),
          (System.nanoTime() - testStarted) / 1e9);
    }
  }

  /**
   * {@code flink run -d -c io.pinpipe.pipelines.PipelinesMain pinterest-pipelines.jar streaming ...}:
   * the README's command, checkpoints every second kept under {@code --flinkCheckpointDir}.
   */
  private static List<String> flinkRun(Path jar, Path output, Path checkpoints) {
    return List.of(
        "run", "-d", "-c", "io.pinpipe.pipelines.PipelinesMain", jar.toString(),
        "streaming", "--runner=FlinkRunner", "--parallelism=" + PARALLELISM,
        "--source=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX,
        "--groupId=" + PREFIX + "-streaming", "--windowSeconds=2", "--output=" + output,
        "--tableFormat=iceberg", "--commitSeconds=3",
        "--flinkCheckpointDir=" + checkpoints, "--checkpointingInterval=1000");
  }

  // ---- the cluster -----------------------------------------------------------------------------

  private static String jobState(FlinkSession flink, String jobId) throws Exception {
    return flink.rest("/jobs/" + jobId).path("state").asText();
  }

  private static long completedCheckpoints(FlinkSession flink, String jobId) throws Exception {
    return flink.rest("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
  }

  /** A TaskManager with a slot taken: it runs the job's tasks. */
  private static Optional<String> busyTaskManager(FlinkSession flink) throws Exception {
    for (JsonNode tm : flink.rest("/taskmanagers").path("taskmanagers")) {
      if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()) {
        return Optional.of(tm.path("id").asText());
      }
    }
    return Optional.empty();
  }

  interface Probe<T> {
    Optional<T> get() throws Exception;
  }

  /**
   * Polls {@code probe} every 500 ms until it answers, for at most {@link #STEP_TIMEOUT}; fails
   * with the cluster's log tails if it does not.
   */
  private static <T> T await(String what, FlinkSession flink, Probe<T> probe) throws Exception {
    return await(what, flink, probe, Optional::empty);
  }

  private static <T> T await(String what, FlinkSession flink, Probe<T> probe, Probe<String> state) throws Exception {
    long started = System.nanoTime();
    long deadline = started + STEP_TIMEOUT.toNanos();
    RuntimeException lastFailure = null;
    while (true) {
      Optional<T> answer = Optional.empty();
      try {
        answer = probe.get();
      } catch (RuntimeException e) {
        lastFailure = e; // a table's metadata read while the job commits it: asked again
      }
      if (answer.isPresent()) {
        System.out.printf(Locale.ROOT, "%s: %.1f s%n", what, (System.nanoTime() - started) / 1e9);
        return answer.get();
      }
      if (System.nanoTime() > deadline) {
        fail("waiting for " + what + ": no answer within " + STEP_TIMEOUT.toSeconds() + " s" + state.get().orElse("")
            + (lastFailure == null ? "" : "; last failure: " + lastFailure) + flink.logTails(25));
      }
      Thread.sleep(500); // polling interval, not a synchronization
    }
  }

  /** Polls {@code condition} every 50 ms, for at most {@link #STEP_TIMEOUT}. */
  private static void awaitQuickly(String what, FlinkSession flink, Probe<Boolean> condition) throws Exception {
    long started = System.nanoTime();
    while (!condition.get().orElse(false)) {
      if (System.nanoTime() - started > STEP_TIMEOUT.toNanos()) {
        fail("waiting for " + what + ": none within " + STEP_TIMEOUT.toSeconds() + " s" + flink.logTails(25));
      }
      Thread.sleep(50); // polling interval, not a synchronization
    }
    System.out.printf(Locale.ROOT, "%s: %.1f s%n", what, (System.nanoTime() - started) / 1e9);
  }

  // ---- posting ---------------------------------------------------------------------------------

  /** One unreadable record per topic (no row number: it is dead-lettered with its origin). */
  private static List<Posted> sendUnreadable(String label) throws Exception {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      records.add(new ProducerRecord<>(PREFIX + "." + kind.id(), ("not JSON, posted " + label + " the kill").getBytes(StandardCharsets.UTF_8)));
    }
    List<Posted> posted = new ArrayList<>();
    List<KafkaFixture.Sent> sent = KAFKA.send(records);
    for (int i = 0; i < sent.size(); i++) {
      KafkaFixture.Sent s = sent.get(i);
      posted.add(new Posted(RecordKind.values()[i], null, s.topic(), s.partition(), s.offset()));
    }
    return posted;
  }


  /** Per partition key {@code <topic>+<partition>+}, the offset after the last one posted. */
  private static Map<String, Long> ends(List<Posted> posted) {
    Map<String, Long> ends = new TreeMap<>();
    for (Posted p : posted) {
      ends.merge(p.topic() + "+" + p.partition() + "+", p.offset() + 1, Math::max);
    }
    return ends;
  }

  /** Every partition's committed offset is its log's end: the job wrote all it read. */
  private static boolean committedToTheEnd() {
    return partitions().stream().allMatch(p -> p.committed().equals(Optional.of(p.end())));
  }

  private static List<PartitionOffsets> partitions() {
    return KafkaOffsets.offsets(
        Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
        List.of(PREFIX + ".pin", PREFIX + ".geo", PREFIX + ".user"), StartPosition.earliest(),
        Optional.of(PREFIX + "-streaming"));
  }

  // ---- what the output holds -------------------------------------------------------------------

  /**
   * The streaming Iceberg tables (read through Iceberg's API, each table's current snapshot: what a
   * reader sees) and the windows whose summaries are written.
   */
  static final class Outputs {
    private final Path root;

    Outputs(Path root) {
      this.root = root;
    }

    /** The start of every window whose summary is written. */
    List<Instant> windows() throws IOException {
      List<Instant> starts = new ArrayList<>();
      for (Path file : files(root.resolve("summary"), ".json")) {
        Matcher m = WINDOW_FILE.matcher(file.getFileName().toString());
        if (m.matches()) {
          starts.add(LocalDateTime.parse(m.group(1), WINDOW_TIME).toInstant(ZoneOffset.UTC));
        }
      }
      starts.sort(null);
      return starts;
    }

    private interface WithCatalog<T> {
      T apply(Catalog catalog) throws Exception;
    }

    /** Opens the catalog (none before the job created it: empty) and closes it again. */
    private <T> Optional<T> withCatalog(WithCatalog<T> body) throws Exception {
      Path warehouse = root.resolve("warehouse");
      if (!Files.isDirectory(warehouse.resolve(StreamTables.NAMESPACE))) {
        return Optional.empty();
      }
      Catalog catalog = IcebergCatalog.hadoop(warehouse.toString()).open();
      try {
        return Optional.of(body.apply(catalog));
      } catch (org.apache.iceberg.exceptions.NoSuchTableException e) {
        return Optional.empty(); // the job is still creating its tables
      } finally {
        IcebergCatalog.close(catalog);
      }
    }

    /** The window starts the result tables' current snapshots hold (partition {@code window_start}). */
    List<Instant> committedWindows() throws Exception {
      return withCatalog(catalog -> {
        List<Instant> starts = new ArrayList<>();
        for (QueryOutput result : QueryOutput.values()) {
          Table table = catalog.loadTable(StreamTables.identifier(result.outputName()));
          try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            for (FileScanTask task : tasks) {
              long micros = task.file().partition().get(1, Long.class);
              starts.add(Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS));
            }
          }
        }
        starts.sort(null);
        return starts;
      }).orElse(List.of());
    }

    /** Per table, its recorded positions. */
    Map<String, Map<String, Long>> positions() throws Exception {
      return withCatalog(catalog -> {
        Map<String, Map<String, Long>> positions = new TreeMap<>();
        for (String name : StreamTables.tableNames()) {
          positions.put(name, StreamTables.positions(catalog.loadTable(StreamTables.identifier(name))));
        }
        return positions;
      }).orElse(Map.of());
    }

    Map<String, Long> lowestPositions() throws Exception {
      Map<String, Long> lowest = new TreeMap<>();
      positions().values().forEach(p -> p.forEach((k, v) -> lowest.merge(k, v, Math::min)));
      return lowest;
    }

    /** Every table's position at (or past) every partition's end. */
    boolean allAt(Map<String, Long> ends) throws Exception {
      Map<String, Map<String, Long>> positions = positions();
      if (positions.isEmpty()) {
        return false;
      }
      for (Map<String, Long> p : positions.values()) {
        for (Map.Entry<String, Long> end : ends.entrySet()) {
          if (p.getOrDefault(end.getKey(), -1L) < end.getValue()) {
            return false;
          }
        }
      }
      return true;
    }

    private static List<String> recordTables() {
      List<String> names = new ArrayList<>();
      for (RecordKind kind : RecordKind.values()) {
        names.add(kind.id());
        names.add(BatchTables.deadLetterTable(kind));
      }
      return names;
    }

    /** Per kind table and dead-letter table, its rows' origins with how often each is there. */
    Map<String, Map<String, Long>> rowsByTable() throws Exception {
      return withCatalog(catalog -> {
        Map<String, Map<String, Long>> rows = new TreeMap<>();
        for (String name : recordTables()) {
          rows.put(name, origins(catalog.loadTable(StreamTables.identifier(name)), Optional.empty()));
        }
        return rows;
      }).orElse(Map.of());
    }

    /** The kind tables' rows' {@code ind} by origin. */
    Map<String, Long> indByOrigin() throws Exception {
      return withCatalog(catalog -> {
        Map<String, Long> inds = new HashMap<>();
        for (RecordKind kind : RecordKind.values()) {
          Table table = catalog.loadTable(StreamTables.identifier(kind.id()));
          try (CloseableIterable<Record> records = IcebergGenerics.read(table).select(StreamTables.ORIGIN, "ind").build()) {
            for (Record r : records) {
              inds.put((String) r.getField(StreamTables.ORIGIN), (Long) r.getField("ind"));
            }
          }
        }
        return inds;
      }).orElse(Map.of());
    }

    private static Map<String, Long> origins(Table table, Optional<Long> snapshot) throws IOException {
      Map<String, Long> origins = new HashMap<>();
      IcebergGenerics.ScanBuilder scan = IcebergGenerics.read(table).select(StreamTables.ORIGIN);
      if (snapshot.isPresent()) {
        scan = scan.useSnapshot(snapshot.get());
      }
      try (CloseableIterable<Record> records = scan.build()) {
        for (Record r : records) {
          origins.merge((String) r.getField(StreamTables.ORIGIN), 1L, Long::sum);
        }
      }
      return origins;
    }

    /** The posted records in no table's current snapshot. */
    boolean holdsAll(List<Posted> posted) throws Exception {
      return missing(posted).isEmpty();
    }

    List<Posted> missing(List<Posted> posted) throws Exception {
      Map<String, Map<String, Long>> rows = rowsByTable();
      return posted.stream()
          .filter(p -> !rows.getOrDefault(p.ind() == null ? BatchTables.deadLetterTable(p.kind()) : p.kind().id(), Map.of())
              .containsKey(p.coordinates()))
          .toList();
    }

    /** Snapshots per record table, for the report. */
    String snapshotCounts() throws Exception {
      return withCatalog(catalog -> {
        Map<String, Integer> counts = new TreeMap<>();
        for (String name : recordTables()) {
          int n = 0;
          for (Snapshot ignored : catalog.loadTable(StreamTables.identifier(name)).snapshots()) {
            n++;
          }
          counts.put(name, n);
        }
        return "snapshots " + counts;
      }).orElse("no tables");
    }

    /** The record tables' snapshots committed in (from, to), epoch milliseconds. */
    long snapshotsBetween(long from, long to) throws Exception {
      return withCatalog(catalog -> {
        long n = 0;
        for (String name : recordTables()) {
          for (Snapshot snapshot : catalog.loadTable(StreamTables.identifier(name)).snapshots()) {
            if (snapshot.timestampMillis() > from && snapshot.timestampMillis() < to) {
              n++;
            }
          }
        }
        return n;
      }).orElse(0L);
    }

    /**
     * For a failure: per record table, every snapshot's summary (commit id, positions from-to,
     * records added) and which snapshots first held each of the (first 20) origins written twice,
     * and with what count.
     */
    String history(java.util.Set<String> twice) throws Exception {
      List<String> keys = twice.stream().sorted().limit(20).toList();
      return withCatalog(catalog -> {
        StringBuilder s = new StringBuilder("tables' snapshots:\n");
        for (String name : recordTables()) {
          Table table = catalog.loadTable(StreamTables.identifier(name));
          Map<String, Long> seen = new HashMap<>();
          for (Snapshot snapshot : table.snapshots()) {
            Map<String, String> summary = new TreeMap<>(snapshot.summary());
            summary.keySet().removeIf(k -> !k.startsWith("pinpipe.") && !k.equals("added-records") && !k.equals("total-records"));
            s.append(String.format(Locale.ROOT, "  %s snapshot %d parent %s at %s: %s%n", name, snapshot.snapshotId(),
                snapshot.parentId(), Instant.ofEpochMilli(snapshot.timestampMillis()), summary));
            Map<String, Long> now = origins(table, Optional.of(snapshot.snapshotId()));
            for (String key : keys) {
              String origin = key.substring(key.indexOf(' ') + 1);
              long n = now.getOrDefault(origin, 0L);
              if (n != seen.getOrDefault(origin, 0L)) {
                s.append("    ").append(origin).append(" now in ").append(n).append(" row(s)\n");
                seen.put(origin, n);
              }
            }
          }
        }
        return s.toString();
      }).orElse("no tables");
    }

    /** Complete files only: a file being written has a hidden temporary name. */
    private static List<Path> files(Path folder, String suffix) throws IOException {
      if (!Files.isDirectory(folder)) {
        return List.of();
      }
      try (Stream<Path> files = Files.list(folder)) {
        return files
            .filter(f -> f.getFileName().toString().endsWith(suffix) && !f.getFileName().toString().startsWith("."))
            .sorted()
            .toList();
      }
    }
  }
}
