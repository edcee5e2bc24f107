package io.pinpipe.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone cluster on 127.0.0.1: one master and one worker, each its own JVM started
 * from a {@code SPARK_HOME} (by default the one {@code local-services/spark-home} assembles from
 * Maven Central). The worker launches executors from {@code SPARK_HOME/jars}, as on a real cluster,
 * so an application submitted to {@link #masterUrl()} runs on an executor JVM, not in local mode.
 * Used by the Spark-cluster test; {@link #close()} stops both JVMs and the executors they started.
 */
public final class SparkStandalone implements AutoCloseable {
  /** The SPARK_HOME: the given one, else {@code pinpipe.spark.home}, else $SPARK_HOME, else the assembled one. */
  static final Installation HOME =
      new Installation(
          "pinpipe.spark.home",
          "SPARK_HOME",
          "local-services/spark-home/target/spark-home",
          home -> LocalProcess.requireFileStartingWith(home.resolve("jars"), "spark-core_2.12-", "spark-core_2.12 jar").getParent(),
          "cannot find a SPARK_HOME: run `mvn -q -pl local-services/spark-home generate-resources`"
              + " in the project, or set SPARK_HOME to a Spark 3.5 (Scala 2.12) distribution");

  /** The Java 17 module flags Spark 3.5 needs (its own launcher's list, JavaModuleOptions). */
  public static final List<String> JAVA_17_FLAGS =
      LocalProcess.addOpens(
          "java.base", "java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net", "java.nio",
          "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "sun.nio.ch", "sun.nio.cs",
          "sun.security.action", "sun.util.calendar");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path sparkHome;
  private final Path dataDir;
  private final int masterPort = LocalProcess.freePort();
  private final int masterUiPort = LocalProcess.freePort();
  private final int workerPort = LocalProcess.freePort();
  private final int workerUiPort = LocalProcess.freePort();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process master;
  private Process worker;

  private SparkStandalone(Path sparkHome, Path dataDir) {
    this.sparkHome = sparkHome;
    this.dataDir = dataDir;
  }

  /** A cluster on free loopback ports with its logs and work directory in {@code dataDir}. */
  public static SparkStandalone onFreePorts(Path dataDir, Optional<Path> sparkHome) {
    return new SparkStandalone(HOME.locate(sparkHome), dataDir);
  }

  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  public Path sparkHome() {
    return sparkHome;
  }

  /** Where the worker keeps each application's executor folders ({@code app-*}/{@code <id>}). */
  public Path workDir() {
    return dataDir.resolve("work");
  }

  /**
   * The environment a Spark process of this cluster needs: SPARK_HOME, the Scala version (the
   * launcher cannot infer it without a source build) and loopback addresses.
   */
  public Map<String, String> environment() {
    return Map.of(
        "SPARK_HOME", sparkHome.toString(),
        "SPARK_SCALA_VERSION", "2.12",
        "SPARK_LOCAL_IP", "127.0.0.1",
        "SPARK_LOCAL_HOSTNAME", "127.0.0.1");
  }

  /**
   * Starts the master, then one worker with {@code cores} cores and {@code memory} (e.g. "2g"),
   * and returns once the master lists the worker as ALIVE.
   */
  public SparkStandalone start(int cores, String memory, Duration timeout)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir());
    master =
        launch(
            "master.log",
            "org.apache.spark.deploy.master.Master",
            "--host", "127.0.0.1",
            "--port", Integer.toString(masterPort),
            "--webui-port", Integer.toString(masterUiPort));
    worker =
        launch(
            "worker.log",
            "org.apache.spark.deploy.worker.Worker",
            "--host", "127.0.0.1",
            "--port", Integer.toString(workerPort),
            "--webui-port", Integer.toString(workerUiPort),
            "--cores", Integer.toString(cores),
            "--memory", memory,
            "--work-dir", workDir().toString(),
            masterUrl());
    LocalProcess.awaitReady(
        "the Spark cluster",
        timeout,
        300,
        Map.of("the master", master, "the worker", worker),
        () -> aliveWorkers() >= 1,
        this::logTails,
        this::close);
    return this;
  }

  /** The master's state as its web UI serves it ({@code /json}): workers, active and completed apps. */
  public JsonNode masterState() throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
            .timeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("the Spark master's /json answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  private int aliveWorkers() throws InterruptedException {
    try {
      int alive = 0;
      for (JsonNode w : masterState().path("workers")) {
        if ("ALIVE".equals(w.path("state").asText())) {
          alive++;
        }
      }
      return alive;
    } catch (IOException e) {
      return 0; // the master's UI is not up yet
    }
  }

  private Process launch(String logName, String mainClass, String... args) throws IOException {
    List<String> command = LocalProcess.javaCommand("-Xmx512m");
    command.addAll(JAVA_17_FLAGS);
    command.add("-cp");
    command.add(sparkHome.resolve("conf") + ":" + sparkHome.resolve("jars") + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment());
    return LocalProcess.start(builder, dataDir.resolve(logName));
  }

  /** Stops the worker (and with it its executors), then the master. */
  @Override
  public void close() {
    for (Process process : new Process[] {worker, master}) {
      if (process != null) {
        LocalProcess.stop(process.toHandle(), Duration.ofSeconds(20));
      }
    }
    worker = null;
    master = null;
  }

  private String logTails() {
    return "\n master.log:" + LocalProcess.lastLines(dataDir.resolve("master.log"))
        + "\n worker.log:" + LocalProcess.lastLines(dataDir.resolve("worker.log"));
  }
}
