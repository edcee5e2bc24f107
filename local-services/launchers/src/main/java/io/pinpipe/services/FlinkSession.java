package io.pinpipe.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Flink 1.19 session cluster on 127.0.0.1: one JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and TaskManagers ({@code TaskManagerRunner}), each its own
 * JVM, started the way Flink's {@code jobmanager.sh} and {@code taskmanager.sh} start them: the
 * memory flags and settings come from Flink's own {@code BashJavaUtils} for the configuration. The
 * class path is a Flink {@code lib/} (by default the one {@code local-services/flink-home}
 * assembles from Maven Central; {@code flink-dist} is not served): Flink only, so a job runs from
 * the jar it ships, as on a real cluster. The configuration is a {@code config.yaml} in the data
 * directory, next to each process's log; every server listens on loopback, on free ports. Used by
 * the Flink-cluster test; {@link #close()} stops every JVM it started.
 */
public final class FlinkSession implements AutoCloseable {
  /** The Flink home whose lib/ the processes run from: the given one, else {@code pinpipe.flink.home}, else the assembled one. */
  static final Installation HOME =
      new Installation("pinpipe.flink.home", null, "local-services/flink-home/target/flink-home",
          home -> LocalProcess.requireFileStartingWith(home.resolve("lib"), "flink-runtime-1.19", "flink-runtime 1.19 jar"),
          "cannot find a Flink lib/: run `mvn -q -pl local-services/flink-home generate-resources` in the"
              + " project, or set -Dpinpipe.flink.home to a Flink 1.19 home");

  /**
   * The JVM flags Flink 1.19's scripts add on Java 17 ({@code env.java.default-opts.all} in its
   * default configuration): its runtime and Kryo reach into these JDK packages.
   */
  public static final List<String> JAVA_17_FLAGS =
      Stream.concat(
              Stream.of(
                  "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                  "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                  "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED"),
              LocalProcess.addOpens(
                  "java.base", "java.lang", "java.net", "java.io", "java.nio", "sun.nio.ch", "java.lang.reflect", "java.text",
                  "java.time", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
                  "java.util.concurrent.locks").stream())
          .toList();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";

  private final Path lib;
  private final Path dataDir;
  private final int rpcPort = LocalProcess.freePort();
  private final int restPort = LocalProcess.freePort();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process jobManager;
  /** TaskManagers by their resource id ({@code tm-1}, ...), in start order. */
  private final Map<String, Process> taskManagers = new LinkedHashMap<>();

  private FlinkSession(Path lib, Path dataDir) {
    this.lib = lib;
    this.dataDir = dataDir;
  }

  /** A cluster on free loopback ports with its configuration, logs and files in {@code dataDir}. */
  public static FlinkSession onFreePorts(Path dataDir, Optional<Path> flinkHome) {
    return new FlinkSession(HOME.locate(flinkHome), dataDir.toAbsolutePath());
  }

  /** What {@code --flinkMaster} or {@code flink run -m} take: the JobManager's REST address. */
  public String restAddress() {
    return "127.0.0.1:" + restPort;
  }

  public Path confDir() {
    return dataDir.resolve("conf");
  }

  /**
   * The configuration: loopback addresses, the given ports, files under the data directory, and
   * what a TaskManager killed mid-job needs: heartbeats that notice it in seconds (Flink's default
   * timeout is 50 s) and a restart strategy, so the job restarts from its latest checkpoint on the
   * TaskManagers left. {@code overrides} win.
   */
  Map<String, String> configuration(int slotsPerTaskManager, Map<String, String> overrides) {
    Map<String, String> config = new TreeMap<>();
    config.put("jobmanager.rpc.address", "127.0.0.1");
    config.put("jobmanager.rpc.port", Integer.toString(rpcPort));
    config.put("jobmanager.bind-host", "127.0.0.1");
    config.put("rest.address", "127.0.0.1");
    config.put("rest.bind-address", "127.0.0.1");
    config.put("rest.port", Integer.toString(restPort));
    config.put("taskmanager.bind-host", "127.0.0.1");
    config.put("taskmanager.host", "127.0.0.1");
    config.put("taskmanager.numberOfTaskSlots", Integer.toString(slotsPerTaskManager));
    // Small processes for a 2-core test machine; streaming state lives on the heap (hashmap backend),
    // so managed memory is kept small, and metaspace has room for a job's classes per restart.
    config.put("jobmanager.memory.process.size", "1024m");
    config.put("taskmanager.memory.process.size", "1536m");
    config.put("taskmanager.memory.managed.size", "64m");
    config.put("taskmanager.memory.network.min", "64m");
    config.put("taskmanager.memory.network.max", "64m");
    config.put("taskmanager.memory.jvm-metaspace.size", "384m");
    config.put("heartbeat.interval", "1000");
    config.put("heartbeat.timeout", "5000");
    config.put("restart-strategy.type", "fixed-delay");
    config.put("restart-strategy.fixed-delay.attempts", "10");
    config.put("restart-strategy.fixed-delay.delay", "1 s");
    config.put("io.tmp.dirs", dataDir.resolve("tmp").toString());
    config.put("blob.storage.directory", dataDir.resolve("blobs").toString());
    config.put("web.tmpdir", dataDir.resolve("web").toString());
    config.putAll(overrides);
    return config;
  }

  /**
   * Starts the JobManager, then {@code taskManagers} TaskManagers of {@code slotsPerTaskManager}
   * slots each, and returns once the JobManager lists them all.
   */
  public FlinkSession start(int taskManagers, int slotsPerTaskManager, Map<String, String> overrides, Duration timeout)
      throws IOException, InterruptedException {
    for (String dir : List.of("conf", "tmp", "blobs", "web")) {
      Files.createDirectories(dataDir.resolve(dir));
    }
    StringBuilder yaml = new StringBuilder("# A Flink session cluster on loopback for the tests (local-services' FlinkSession).\n");
    configuration(slotsPerTaskManager, overrides).forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
    Files.writeString(confDir().resolve("config.yaml"), yaml.toString());
    try {
      jobManager = launch("jobmanager.log", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", "GET_JM_RESOURCE_PARAMS", List.of());
      for (int i = 1; i <= taskManagers; i++) {
        String id = "tm-" + i;
        this.taskManagers.put(
            id,
            launch(id + ".log", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", "GET_TM_RESOURCE_PARAMS",
                List.of("-D", "taskmanager.resource-id=" + id)));
      }
      LocalProcess.awaitReady(
          "the Flink cluster", timeout, 300, processes(), () -> registeredTaskManagers() >= taskManagers, this::logTails, () -> {});
    } catch (IOException | InterruptedException | RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  /**
   * Starts {@code flink <args>} (e.g. {@code run -d -c <main> <jar> ...}) the way Flink's {@code
   * bin/flink} does: its {@code CliFrontend} from the lib/, with {@code FLINK_CONF_DIR} this
   * cluster's configuration, which names the JobManager. Output and errors go to {@code log}.
   */
  public Process flink(List<String> args, Path log) throws IOException {
    List<String> command = LocalProcess.javaCommand("-Xmx768m");
    command.addAll(JAVA_17_FLAGS);
    command.addAll(loggingFlags());
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-Djava.io.tmpdir=" + dataDir.resolve("tmp"));
    command.add("-cp");
    command.add(lib + "/*");
    command.add("org.apache.flink.client.cli.CliFrontend");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("FLINK_CONF_DIR", confDir().toString());
    return LocalProcess.start(builder, log);
  }

  /** GET of the JobManager's REST API ({@code /jobs}, {@code /taskmanagers}, ...). */
  public JsonNode rest(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  /** Cancels a job ({@code PATCH /jobs/<id>?mode=cancel}); returns at once. */
  public void cancel(String jobId) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(uri("/jobs/" + jobId + "?mode=cancel")).method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  private URI uri(String path) {
    return URI.create("http://" + restAddress() + path);
  }

  private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(
          "Flink's REST API answered " + response.statusCode() + " to " + request.build().method() + " "
              + request.build().uri() + ": " + response.body());
    }
    return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
  }

  private int registeredTaskManagers() throws InterruptedException {
    try {
      return rest("/taskmanagers").path("taskmanagers").size();
    } catch (IOException e) {
      return 0; // the REST endpoint is not up yet
    }
  }

  /** The TaskManagers started (killed ones too), by resource id. */
  public List<String> taskManagerIds() {
    return List.copyOf(taskManagers.keySet());
  }

  /** The pid of a TaskManager's JVM. */
  public long pid(String taskManagerId) {
    return requireTaskManager(taskManagerId).pid();
  }

  /** {@code kill -9} of a TaskManager's JVM (SIGKILL: no shutdown hook runs); waits until it is gone. */
  public void kill(String taskManagerId) throws InterruptedException {
    Process process = requireTaskManager(taskManagerId);
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("TaskManager " + taskManagerId + " (pid " + process.pid() + ") outlived SIGKILL for 30 s");
    }
  }

  private Process requireTaskManager(String id) {
    Process process = taskManagers.get(id);
    if (process == null) {
      throw new IllegalArgumentException("no TaskManager " + id + " was started: " + taskManagers.keySet());
    }
    return process;
  }

  public Path log(String process) {
    return dataDir.resolve(process + ".log");
  }

  /** The last {@code lines} lines of every process's log, for a failure message. */
  public String logTails(int lines) {
    StringBuilder tails = new StringBuilder();
    for (String name : processes().keySet()) {
      tails.append("\n ").append(name).append(".log (").append(log(name)).append("):")
          .append(LocalProcess.lastLines(log(name), lines));
    }
    return tails.toString();
  }

  private String logTails() {
    return logTails(15);
  }

  private Map<String, Process> processes() {
    Map<String, Process> all = new LinkedHashMap<>();
    if (jobManager != null) {
      all.put("jobmanager", jobManager);
    }
    all.putAll(taskManagers);
    return all;
  }

  /**
   * Starts one process as Flink's scripts do: {@code BashJavaUtils} turns the configuration into
   * the JVM's memory flags and the settings the entry point requires (a TaskManager refuses to
   * start without its derived memory sizes and CPU cores).
   */
  private Process launch(String logName, String mainClass, String resourceCommand, List<String> extraArgs)
      throws IOException, InterruptedException {
    List<String> resources = bashJavaUtils(resourceCommand);
    List<String> command = LocalProcess.javaCommand(resources.get(0).trim().split("\\s+"));
    command.addAll(JAVA_17_FLAGS);
    command.addAll(loggingFlags());
    command.add("-Djava.io.tmpdir=" + dataDir.resolve("tmp"));
    command.add("-cp");
    command.add(lib + "/*");
    command.add(mainClass);
    command.add("--configDir");
    command.add(confDir().toString());
    command.addAll(Arrays.asList(resources.get(1).trim().split("\\s+")));
    command.addAll(extraArgs);
    return LocalProcess.start(new ProcessBuilder(command), dataDir.resolve(logName));
  }

  /** {@code BashJavaUtils <command>}'s two results: the JVM's flags, then the dynamic settings. */
  private List<String> bashJavaUtils(String resourceCommand) throws IOException, InterruptedException {
    Path log = dataDir.resolve("bash-java-utils-" + resourceCommand + ".log");
    Process process =
        new ProcessBuilder(
                LocalProcess.javaBinary(), "-Xmx128m", "-cp", lib + "/*", "org.apache.flink.runtime.util.bash.BashJavaUtils",
                resourceCommand, "--configDir", confDir().toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("Flink's BashJavaUtils " + resourceCommand + " did not finish in 60 s; see " + log);
    }
    List<String> results =
        Files.readAllLines(log, StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith(RESULT_PREFIX))
            .map(l -> l.substring(RESULT_PREFIX.length()))
            .toList();
    if (process.exitValue() != 0 || results.size() != 2) {
      throw new IOException(
          "Flink's BashJavaUtils " + resourceCommand + " failed (status " + process.exitValue() + "):"
              + LocalProcess.lastLines(log, 15));
    }
    return results;
  }

  /** slf4j-simple (the lib's logging) with times, to the process's log file. */
  private static List<String> loggingFlags() {
    return List.of(
        "-Dorg.slf4j.simpleLogger.showDateTime=true",
        "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        "-Dorg.slf4j.simpleLogger.showShortLogName=true");
  }

  /** Stops the TaskManagers, then the JobManager (SIGTERM, then SIGKILL after 20 s). */
  @Override
  public void close() {
    List<Process> order = new ArrayList<>(taskManagers.values());
    order.add(jobManager);
    for (Process process : order) {
      if (process != null && process.isAlive()) {
        LocalProcess.stop(process.toHandle(), Duration.ofSeconds(20));
      }
    }
    jobManager = null;
  }
}
