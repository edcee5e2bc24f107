package io.pinpipe.services;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  /** The variable that names the jar directory (the {@code kafka} command's help names it). */
  public static final String LIB_ENV = "PINPIPE_KAFKA_LIB";

  /**
   * The broker's files in its data directory, and its jar directory: {@code pinpipe.kafka.lib}, else
   * {@value #LIB_ENV}, else the one {@code local-services/} fills. Stopped gracefully: SIGTERM, then
   * a kill after 30 s.
   */
  public static final Descriptor SERVICE =
      new Descriptor(
          "the Kafka broker",
          "broker",
          Duration.ofSeconds(30),
          new Installation(
              "pinpipe.kafka.lib",
              LIB_ENV,
              "local-services/target/kafka/lib",
              dir -> LocalProcess.requireFileStartingWith(dir, "kafka_2.13-", "kafka_2.13 jar"),
              "cannot find the Kafka broker's jars: run `mvn -q -pl local-services generate-resources`"
                  + " in the project, or point " + LIB_ENV + " at a directory of Kafka 3.9 jars"));

  private static final String CONFIG_FILE = "server.properties";

  private final int controllerPort;
  private final Path lib;

  private KafkaBroker(Path dataDir, int port, int controllerPort, Optional<Path> lib) {
    super(SERVICE, dataDir, port);
    this.controllerPort = controllerPort;
    this.lib = SERVICE.installation().locate(lib);
  }

  /** A broker on free loopback ports, in {@code dataDir}; call {@link #start} next. */
  public static KafkaBroker onFreePorts(Path dataDir) {
    return new KafkaBroker(dataDir, LocalProcess.freePort(), LocalProcess.freePort(), Optional.empty());
  }

  /** A broker on {@code port} (its controller on {@code controllerPort}) in {@code dataDir}. */
  public static KafkaBroker at(Path dataDir, int port, int controllerPort, Optional<Path> lib) {
    return new KafkaBroker(dataDir, port, controllerPort, lib);
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
    List<String> command =
        LocalProcess.javaCommand(
            "-Xms128m",
            "-Xmx768m",
            "-XX:+UseG1GC",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
            "-Dorg.slf4j.simpleLogger.showDateTime=true");
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

  /** Properties for a client of this broker: bootstrap servers only (PLAINTEXT, loopback). */
  public Map<String, Object> clientConfig() {
    return Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }
}
