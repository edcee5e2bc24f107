package io.pinpipe.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running as its
 * own JVM from the jars that {@code local-services/} copies out of Maven Central. Used by the
 * integration tests (free ports, temporary directory, {@link #close()} always stops it) and by
 * {@code pinterest-emulator.jar kafka start|stop|status} for users.
 *
 * <p>The data directory holds everything: {@code server.properties}, the formatted log
 * directory, {@code broker.log} and {@code broker.pid}. Starting again on the same directory and
 * port keeps the topics and committed offsets, which is how the tests restart a broker
 * mid-run.
 */
public final class KafkaBroker extends RecordedService {
  /** Where the jars are when neither the option nor the environment says. */
  static final String LIB_IN_SOURCE_TREE = "local-services/target/kafka/lib";

  public static final String LIB_PROPERTY = "pinpipe.kafka.lib";
  public static final String LIB_ENV = "PINPIPE_KAFKA_LIB";

  private static final String PID_FILE = "broker.pid";
  private static final String LOG_FILE = "broker.log";
  private static final String CONFIG_FILE = "server.properties";

  private final int controllerPort;
  private final Path lib;

  private KafkaBroker(Path dataDir, int port, int controllerPort, Path lib) {
    // Stopped gracefully: SIGTERM, then a kill after 30 s.
    super("the Kafka broker", dataDir, port, PID_FILE, LOG_FILE, Duration.ofSeconds(30));
    this.controllerPort = controllerPort;
    this.lib = lib;
  }

  /** A broker on free loopback ports, in {@code dataDir}; call {@link #start} next. */
  public static KafkaBroker onFreePorts(Path dataDir) {
    return new KafkaBroker(dataDir, LocalProcess.freePort(), LocalProcess.freePort(), locateLib(Optional.empty()));
  }

  /** A broker on {@code port} (its controller on {@code controllerPort}) in {@code dataDir}. */
  public static KafkaBroker at(Path dataDir, int port, int controllerPort, Optional<Path> lib) {
    return new KafkaBroker(dataDir, port, controllerPort, locateLib(lib));
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port();
  }

  /**
   * Formats the data directory on first use, starts the broker JVM and returns once the broker
   * answers a metadata request. The JVM outlives this one unless {@link #stop()} is called.
   */
  public KafkaBroker start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dataDir());
    Path config = writeConfig();
    if (!Files.exists(dataDir().resolve("kraft-logs").resolve("meta.properties"))) {
      format(config);
    }
    launch(new ProcessBuilder(javaCommand("kafka.Kafka", config.toString())));
    awaitMetadata(timeout);
    return this;
  }

  /** The broker recorded in {@code dataDir}'s pid file, if that process is still running. */
  public static Optional<ProcessHandle> running(Path dir) throws IOException {
    return LocalProcess.running(dir.resolve(PID_FILE));
  }

  /** Stops the broker recorded in {@code dataDir}; false when none was running. */
  public static boolean stopRecorded(Path dir, Duration grace)
      throws IOException, InterruptedException {
    return LocalProcess.stopRecorded(dir.resolve(PID_FILE), grace);
  }

  private Path writeConfig() throws IOException {
    // Loopback only, replication factors 1: a laptop broker, not a cluster.
    String config =
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port() + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port(),
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + dataDir().resolve("kraft-logs").toAbsolutePath(),
            "num.partitions=1",
            "auto.create.topics.enable=true",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "");
    Path path = dataDir().resolve(CONFIG_FILE);
    Files.writeString(path, config);
    return path;
  }

  private void format(Path config) throws IOException, InterruptedException {
    List<String> command =
        javaCommand(
            "kafka.tools.StorageTool",
            "format",
            "--ignore-formatted",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            config.toString());
    Process format = LocalProcess.start(new ProcessBuilder(command), logFile());
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IOException(
          "formatting the Kafka data directory failed; see " + logFile()
              + LocalProcess.lastLines(logFile()));
    }
  }

  private List<String> javaCommand(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(LocalProcess.javaBinary());
    command.add("-Xms128m");
    command.add("-Xmx768m");
    command.add("-XX:+UseG1GC");
    command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    command.add("-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info");
    command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
    command.add("-cp");
    command.add(lib.toAbsolutePath() + "/*");
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  private void awaitMetadata(Duration timeout) throws IOException, InterruptedException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
    awaitReady(
        timeout,
        // The listener opens before the controller has elected itself: ready once it lists a node.
        () -> {
          if (!LocalProcess.accepting(port())) {
            return false;
          }
          try (Admin admin = Admin.create(props)) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
          }
        });
  }

  /**
   * The broker's jar directory: the given one, else {@value #LIB_PROPERTY}, else {@value
   * #LIB_ENV}, else {@value #LIB_IN_SOURCE_TREE} in the working directory or one of its parents.
   */
  static Path locateLib(Optional<Path> given) {
    return LocalProcess.locate(
        given,
        LIB_PROPERTY,
        LIB_ENV,
        LIB_IN_SOURCE_TREE,
        dir -> LocalProcess.requireFileStartingWith(dir, "kafka_2.13-", "kafka_2.13 jar"),
        "cannot find the Kafka broker's jars: run `mvn -q -pl local-services generate-resources`"
            + " in the project, or point " + LIB_ENV + " at a directory of Kafka 3.9 jars");
  }

  /** Properties for a client of this broker: bootstrap servers only (PLAINTEXT, loopback). */
  public Map<String, Object> clientConfig() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }
}
