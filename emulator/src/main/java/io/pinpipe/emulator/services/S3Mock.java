package io.pinpipe.emulator.services;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A local S3-compatible server without Docker: Adobe S3Mock's standalone Spring Boot jar
 * ({@code com.adobe.testing:s3mock:5.2.0}, classifier {@code exec}, the root pom.xml), which
 * {@code local-services/} copies out of Maven Central, run as its own JVM. Beam's aws2 S3
 * filesystem and the AWS SDK v2 talk to it over plain HTTP with path-style addressing.
 *
 * <p>Objects live under {@code dataDir/store}, which S3Mock deletes when it stops; its output
 * goes to {@code dataDir/s3mock.log}. S3Mock accepts any signature, so the credentials a client
 * signs with are arbitrary (the tests use "local").
 *
 * <p>S3Mock always opens two connectors: its main one (HTTPS by default) and an extra plain
 * HTTP one. Here the main one is plain HTTP on the loopback {@link #endpoint()}; the extra one
 * is on a second free port and nothing uses it. S3Mock's settings give that one no address, and
 * Tomcat would open it on every interface, so a Spring bean file ({@value #LOOPBACK_BEANS},
 * written to the data directory and added with {@code --spring.main.sources}) sets its address
 * to 127.0.0.1 before it opens: no socket of the server is reachable from other machines.
 */
public final class S3Mock implements AutoCloseable {
  /** Where the jar is when neither the property nor the environment says. */
  static final String JAR_DIR_IN_SOURCE_TREE = "local-services/target/s3mock";

  public static final String JAR_PROPERTY = "pinpipe.s3mock.jar";
  public static final String JAR_ENV = "PINPIPE_S3MOCK_JAR";
  /** The region S3Mock answers for (its default), which clients sign for. */
  public static final String REGION = "us-east-1";

  private static final String PID_FILE = "s3mock.pid";
  private static final String LOG_FILE = "s3mock.log";
  static final String LOOPBACK_BEANS = "loopback-connector.xml";

  /**
   * Calls {@code setProperty("address", "127.0.0.1")} on S3Mock's extra connector (its bean
   * {@code httpConnector}); the web server binds its connectors only after every eager bean is
   * created, and this one is eager although S3Mock makes beans lazy by default. Should a later
   * S3Mock rename the bean, the server fails to start rather than open a port to the network.
   */
  private static final String LOOPBACK_BEANS_XML =
      String.join(
          "\n",
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
          "<beans xmlns=\"http://www.springframework.org/schema/beans\"",
          "       xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
          "       xsi:schemaLocation=\"http://www.springframework.org/schema/beans"
              + " https://www.springframework.org/schema/beans/spring-beans.xsd\">",
          "  <bean id=\"pinpipeLoopbackHttpConnector\" lazy-init=\"false\"",
          "        class=\"org.springframework.beans.factory.config.MethodInvokingBean\">",
          "    <property name=\"targetObject\" ref=\"httpConnector\"/>",
          "    <property name=\"targetMethod\" value=\"setProperty\"/>",
          "    <property name=\"arguments\"><list><value>address</value><value>127.0.0.1</value></list></property>",
          "  </bean>",
          "</beans>",
          "");

  private final Path dataDir;
  private final int port;
  private final int unusedHttpPort;
  private final Path jar;
  private final List<String> initialBuckets;
  private Process process;

  private S3Mock(Path dataDir, int port, int unusedHttpPort, Path jar, List<String> initialBuckets) {
    this.dataDir = dataDir;
    this.port = port;
    this.unusedHttpPort = unusedHttpPort;
    this.jar = jar;
    this.initialBuckets = List.copyOf(initialBuckets);
  }

  /** A server on free loopback ports, its store and log in {@code dataDir}; call {@link #start} next. */
  public static S3Mock onFreePorts(Path dataDir, String... initialBuckets) {
    return new S3Mock(
        dataDir, KafkaBroker.freePort(), KafkaBroker.freePort(), locateJar(Optional.empty()), List.of(initialBuckets));
  }

  /** A server on {@code port} in {@code dataDir}, with the given jar or the located one. */
  public static S3Mock at(Path dataDir, int port, Optional<Path> jar, List<String> initialBuckets) {
    return new S3Mock(dataDir, port, KafkaBroker.freePort(), locateJar(jar), initialBuckets);
  }

  /** The endpoint for {@code --endpoint} and SDK clients: {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public String region() {
    return REGION;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return dataDir.resolve(LOG_FILE);
  }

  /** Starts the server JVM and returns once it answers an HTTP request (a bucket listing). */
  public S3Mock start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    Path loopbackBeans = dataDir.resolve(LOOPBACK_BEANS);
    Files.writeString(loopbackBeans, LOOPBACK_BEANS_XML);
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms64m");
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.add("--server.port=" + port);
    command.add("--server.address=127.0.0.1");
    command.add("--server.ssl.enabled=false");
    command.add("--com.adobe.testing.s3mock.httpPort=" + unusedHttpPort);
    command.add("--com.adobe.testing.s3mock.store.root=" + dataDir.resolve("store").toAbsolutePath());
    command.add("--com.adobe.testing.s3mock.store.retainFilesOnExit=false");
    if (!initialBuckets.isEmpty()) {
      command.add("--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", initialBuckets));
    }
    command.add("--logging.level.root=WARN");
    command.add("--spring.main.banner-mode=off");
    command.add("--spring.main.sources=" + loopbackBeans.toAbsolutePath().toUri());
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
    process = builder.start();
    LocalProcess.record(dataDir.resolve(PID_FILE), process);
    awaitReady(timeout);
    return this;
  }

  private void awaitReady(Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest listBuckets =
        HttpRequest.newBuilder(endpoint().resolve("/")).timeout(Duration.ofSeconds(5)).GET().build();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException(
            "S3Mock exited with status " + process.exitValue() + " while starting; see " + logFile() + LocalProcess.lastLines(logFile()));
      }
      try {
        if (http.send(listBuckets, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // The port opens only once Spring has started the connector.
      }
      if (System.nanoTime() > deadline) {
        stop();
        throw new IOException(
            "S3Mock did not answer within " + timeout.toSeconds() + " s; see " + logFile() + LocalProcess.lastLines(logFile()));
      }
      Thread.sleep(200);
    }
  }

  /** Stops the server (SIGTERM, then a kill after 20 s) and waits for it to exit. */
  public void stop() throws InterruptedException {
    LocalProcess.stopStarted(process, dataDir.resolve(PID_FILE), Duration.ofSeconds(20));
    process = null;
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The server recorded in {@code dataDir}, if that process is still running. */
  public static Optional<ProcessHandle> running(Path dataDir) throws IOException {
    return LocalProcess.running(dataDir.resolve(PID_FILE));
  }

  /**
   * The S3Mock exec jar: the given one, else {@value #JAR_PROPERTY}, else {@value #JAR_ENV}, else
   * the {@code s3mock-*-exec.jar} in {@value #JAR_DIR_IN_SOURCE_TREE} in the working directory or
   * one of its parents.
   */
  static Path locateJar(Optional<Path> given) {
    Optional<Path> explicit =
        given
            .or(() -> Optional.ofNullable(System.getProperty(JAR_PROPERTY)).map(Path::of))
            .or(() -> Optional.ofNullable(System.getenv(JAR_ENV)).map(Path::of));
    if (explicit.isPresent()) {
      if (!Files.isRegularFile(explicit.get())) {
        throw new IllegalStateException("no S3Mock jar at " + explicit.get());
      }
      return explicit.get();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(JAR_DIR_IN_SOURCE_TREE);
      if (Files.isDirectory(candidate)) {
        try (var files = Files.list(candidate)) {
          Optional<Path> jar =
              files
                  .filter(f -> f.getFileName().toString().matches("s3mock-.*-exec\\.jar"))
                  .sorted()
                  .reduce((a, b) -> b);
          if (jar.isPresent()) {
            return jar.get();
          }
        } catch (IOException e) {
          throw new IllegalStateException("cannot read " + candidate, e);
        }
      }
    }
    throw new IllegalStateException(
        "cannot find S3Mock's jar: run `mvn -q -pl local-services generate-resources` in the"
            + " project, or point " + JAR_ENV + " at s3mock-5.2.0-exec.jar");
  }
}
