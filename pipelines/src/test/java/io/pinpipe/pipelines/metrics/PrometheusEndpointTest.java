package io.pinpipe.pipelines.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.pinpipe.emulator.EmulatorMain;
import io.pinpipe.services.ListeningSockets;
import io.pinpipe.pipelines.PipelinesMain;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.contract.RecordKind;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming job on FlinkRunner (embedded cluster, in a child JVM as an operator would start it)
 * with --prometheusPort=0 over a backlog of known records: the endpoint it announces listens on
 * 127.0.0.1 only, and scraping it until the job's counters stop short of nothing shows exactly the
 * counts the backlog holds, summed over operators and subtasks as a Prometheus query would. The job
 * is then stopped as Ctrl-C would (SIGTERM). The broker fixture checks, as for every Kafka test,
 * that nothing this class started listened beyond loopback.
 */
public class PrometheusEndpointTest {
  private static final String PREFIX = "prom";
  private static final int EVENTS = 200;
  /** Records of each kind without a row number: dead-lettered. */
  private static final int BAD_PER_KIND = 2;
  private static final long WAIT_SECONDS = 180;

  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Pattern ANNOUNCED = Pattern.compile("metrics: Prometheus endpoint at (http://127\\.0\\.0\\.1:(\\d+)/metrics)");
  private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(\\{[^}]*\\})? (\\S+)$");

  @Test
  public void theEndpointListensOnLoopbackAndShowsExactlyTheBacklogsCounts() throws Exception {
    KAFKA.createTopics(PREFIX, 1);
    // No resends: a resend in another window than its first copy would be cleaned again there.
    assertEquals(0, EmulatorMain.execute(
        "post", "--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX,
        "--count=" + EVENTS, "--seed=5"));
    List<ProducerRecord<byte[], byte[]>> bad = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      for (int i = 0; i < BAD_PER_KIND; i++) {
        bad.add(new ProducerRecord<>(PREFIX + "." + kind.id(), ("{\"no_row_number\": " + i + "}").getBytes(StandardCharsets.UTF_8)));
      }
    }
    KAFKA.send(bad);

    Map<String, Long> expected = new TreeMap<>();
    for (RecordKind kind : RecordKind.values()) {
      expected.put(name(kind, QualityMetrics.READ), (long) EVENTS + BAD_PER_KIND);
      expected.put(name(kind, QualityMetrics.CLEANED), (long) EVENTS);
      expected.put(name(kind, QualityMetrics.DEAD_LETTERED), (long) BAD_PER_KIND);
      expected.put(name(kind, QualityMetrics.DUPLICATES), 0L);
    }

    File log = TMP.newFile("streaming.log");
    Path output = TMP.newFolder("out").toPath();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), PipelinesMain.class.getName(),
        "streaming", "--runner=FlinkRunner", "--parallelism=1", "--source=kafka",
        "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX, "--startFrom=earliest",
        "--output=" + output, "--windowSeconds=2", "--assemblyWaitSeconds=2", "--prometheusPort=0",
        // The counters are the same with either table format; plain files spare the commits' time.
        "--tableFormat=parquet"));
    long start = System.nanoTime();
    Process job = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      Matcher announced = ANNOUNCED.matcher("");
      while (!announced.reset(Files.readString(log.toPath())).find()) {
        awaitAlive(job, deadline, log, "the endpoint was announced");
      }
      int port = Integer.parseInt(announced.group(2));
      System.out.printf("endpoint announced after %.1f s%n", (System.nanoTime() - start) / 1e9);
      boolean onLoopback = false;
      for (ListeningSockets.Listener l : ListeningSockets.of(List.of(job.toHandle()))) {
        if (l.port() == port) {
          assertTrue(l.toString(), l.loopback());
          onLoopback = true;
        }
      }
      assertTrue("nothing of the job listens on port " + port, onLoopback || !ListeningSockets.supported());

      HttpClient http =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
      HttpRequest scrape = HttpRequest.newBuilder(URI.create(announced.group(1))).timeout(Duration.ofSeconds(10)).build();
      Map<String, Long> counters = Map.of();
      while (!counters.equals(expected)) {
        awaitAlive(job, deadline, log, "the counters reached " + expected + "; last scrape: " + counters);
        HttpResponse<String> response = http.send(scrape, HttpResponse.BodyHandlers.ofString());
        assertEquals(response.body(), 200, response.statusCode());
        counters = jobCounters(response.body(), expected.keySet());
      }
      assertEquals(expected, counters);
      System.out.printf("counters reached after %.1f s%n", (System.nanoTime() - start) / 1e9);
    } finally {
      job.destroy(); // SIGTERM, as Ctrl-C: the job cancels itself
      if (!job.waitFor(60, TimeUnit.SECONDS)) {
        job.destroyForcibly().waitFor();
      }
      System.out.printf("job stopped after %.1f s%n", (System.nanoTime() - start) / 1e9);
    }
  }

  private static String name(RecordKind kind, String measure) {
    return JobCounters.name(kind, measure);
  }

  /**
   * Each counter summed over its series (one per operator and subtask), as {@code sum(...)} in a
   * Prometheus query; only the names asked for.
   */
  static Map<String, Long> jobCounters(String exposition, Iterable<String> names) {
    Map<String, String> series = new TreeMap<>();
    for (String n : names) {
      series.put("flink_taskmanager_job_task_operator_" + JobCounters.NAMESPACE + "_" + n, n);
    }
    Map<String, Long> sums = new TreeMap<>();
    for (String line : exposition.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (!line.startsWith("#") && m.matches() && series.containsKey(m.group(1))) {
        sums.merge(series.get(m.group(1)), (long) Double.parseDouble(m.group(3)), Long::sum);
      }
    }
    return sums;
  }

  /** Waits a little for the next look; fails if the job ended or the time is up. */
  private static void awaitAlive(Process job, long deadline, File log, String what) throws Exception {
    if (!job.isAlive() || System.nanoTime() > deadline) {
      fail("the job " + (job.isAlive() ? "ran " + WAIT_SECONDS + " s" : "ended (status " + job.exitValue() + ")")
          + " before " + what + ":\n" + tail(log));
    }
    job.waitFor(250, TimeUnit.MILLISECONDS);
  }

  private static String tail(File log) throws Exception {
    List<String> lines = Files.readAllLines(log.toPath());
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
