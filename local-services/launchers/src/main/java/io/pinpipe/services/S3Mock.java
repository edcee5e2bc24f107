package io.pinpipe.services;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
public final class S3Mock extends LocalAwsEndpoint {
  /**
   * The server's files in its data directory, and its jar: {@code pinpipe.s3mock.jar}, else {@code
   * PINPIPE_S3MOCK_JAR} (the jar, or a folder holding it), else the {@code s3mock-*-exec.jar} that
   * {@code local-services/} copies. Stopped with SIGTERM, then a kill after 20 s.
   */
  public static final Descriptor SERVICE =
      new Descriptor(
          "S3Mock", "s3mock", Duration.ofSeconds(20),
          new Installation("pinpipe.s3mock.jar", "PINPIPE_S3MOCK_JAR", "local-services/target/s3mock", S3Mock::requireJar,
              "cannot find S3Mock's jar: run `mvn -q -pl local-services generate-resources` in the"
                  + " project, or point PINPIPE_S3MOCK_JAR at s3mock-5.2.0-exec.jar"));

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

  private final int unusedHttpPort = LocalProcess.freePort();
  private final Path jar;
  private final List<String> initialBuckets;

  private S3Mock(Path dataDir, int port, Optional<Path> jar, List<String> initialBuckets) {
    super(SERVICE, dataDir, port);
    this.jar = SERVICE.installation().locate(jar);
    this.initialBuckets = List.copyOf(initialBuckets);
  }

  /** A server on free loopback ports, its store and log in {@code dataDir}; call {@link #start} next. */
  public static S3Mock onFreePorts(Path dataDir, String... initialBuckets) {
    return new S3Mock(dataDir, LocalProcess.freePort(), Optional.empty(), List.of(initialBuckets));
  }

  /** A server on {@code port} in {@code dataDir}, with the given jar or the located one. */
  public static S3Mock at(Path dataDir, int port, Optional<Path> jar, List<String> initialBuckets) {
    return new S3Mock(dataDir, port, jar, initialBuckets);
  }

  /** Starts the server JVM and returns once it answers an HTTP request (a bucket listing). */
  public S3Mock start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dataDir());
    Path loopbackBeans = dataDir().resolve(LOOPBACK_BEANS);
    Files.writeString(loopbackBeans, LOOPBACK_BEANS_XML);
    List<String> command = LocalProcess.javaCommand("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.add("--server.port=" + port());
    command.add("--server.address=127.0.0.1");
    command.add("--server.ssl.enabled=false");
    command.add("--com.adobe.testing.s3mock.httpPort=" + unusedHttpPort);
    command.add("--com.adobe.testing.s3mock.store.root=" + dataDir().resolve("store").toAbsolutePath());
    command.add("--com.adobe.testing.s3mock.store.retainFilesOnExit=false");
    if (!initialBuckets.isEmpty()) {
      command.add("--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", initialBuckets));
    }
    command.add("--logging.level.root=WARN");
    command.add("--spring.main.banner-mode=off");
    command.add("--spring.main.sources=" + loopbackBeans.toAbsolutePath().toUri());
    launch(new ProcessBuilder(command));
    awaitBucketListing(timeout);
    return this;
  }

  private void awaitBucketListing(Duration timeout) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest listBuckets =
        HttpRequest.newBuilder(endpoint().resolve("/")).timeout(Duration.ofSeconds(5)).GET().build();
    // The port() opens only once Spring has started the connector.
    awaitReady(timeout, () -> http.send(listBuckets, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
  }

  /** The jar itself, or in a folder the newest {@code s3mock-*-exec.jar}. */
  private static Path requireJar(Path place) {
    if (!Files.isDirectory(place)) {
      if (!Files.isRegularFile(place)) {
        throw new IllegalStateException("no S3Mock jar at " + place);
      }
      return place;
    }
    try (var files = Files.list(place)) {
      return files
          .filter(f -> f.getFileName().toString().matches("s3mock-.*-exec\\.jar"))
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow(() -> new IllegalStateException(place + " holds no s3mock-*-exec.jar"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + place, e);
    }
  }
}
