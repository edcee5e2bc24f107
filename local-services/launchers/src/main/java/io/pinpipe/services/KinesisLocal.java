package io.pinpipe.services;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A local Kinesis-compatible endpoint without Docker: kinesis-mock's Node build, the npm package
 * {@code kinesis-local@0.6.2} (the root pom.xml), started as its own process on loopback ports. Beam's
 * aws2 KinesisIO and the AWS SDK v2 talk to it unchanged over plain HTTP.
 *
 * <p>The package is installed by {@code local-services/kinesis/install.sh} ({@code npm ci}; the
 * build runs it before the tests, and {@code bin/local-kinesis} before starting); it must run from its own folder, where its TLS material
 * ({@code server.json}) lies. Streams live in memory: a restart starts empty.
 *
 * <p>kinesis-mock listens on 0.0.0.0 (hard-coded in 0.6.2), so Node preloads {@value
 * #LOOPBACK_PRELOAD} (written to the data directory from this jar), which makes every server of
 * the process listen on 127.0.0.1: the endpoint is not reachable from other machines.
 */
public final class KinesisLocal extends LocalAwsEndpoint {
  /** The variable that names the package folder (the {@code kinesis} command's help names it). */
  public static final String HOME_ENV = "PINPIPE_KINESIS_HOME";

  /**
   * The endpoint's files in its data directory, and its package folder: {@code pinpipe.kinesis.home},
   * else {@value #HOME_ENV}, else the one {@code local-services/kinesis/install.sh} installs. Stopped
   * with SIGTERM, then a kill after 10 s.
   */
  public static final Descriptor SERVICE =
      new Descriptor(
          "the Kinesis endpoint", "kinesis", Duration.ofSeconds(10),
          new Installation(
              "pinpipe.kinesis.home", HOME_ENV, "local-services/kinesis/node_modules/kinesis-local", KinesisLocal::requireMain,
              "the npm package kinesis-local (the local Kinesis endpoint) is not installed: the build"
                  + " installs it when Node.js and npm are on the PATH (or run local-services/kinesis/install.sh),"
                  + " or point " + HOME_ENV + " at its package folder"));

  private static final String PORT_FILE = "kinesis.port";
  static final String LOOPBACK_PRELOAD = "loopback-only.js";

  private final int tlsPort;
  private final Path home;

  private KinesisLocal(Path dataDir, int port, Optional<Path> home) {
    super(SERVICE, dataDir, port);
    this.tlsPort = LocalProcess.freePort();
    this.home = SERVICE.installation().locate(home);
  }

  /** An endpoint on free loopback ports, its log in {@code dataDir}. */
  public static KinesisLocal onFreePorts(Path dataDir) {
    return at(dataDir, LocalProcess.freePort(), Optional.empty());
  }

  public static KinesisLocal at(Path dataDir, int port, Optional<Path> home) {
    return new KinesisLocal(dataDir, port, home);
  }

  /** True when Node and the installed package are both there, so {@link #start} can work. */
  public static boolean available() {
    return unavailableReason().isEmpty();
  }

  /**
   * Why {@link #start} cannot work here (no Node, or the package is not installed), as one line
   * that says what to run; empty when it can. Tests put this in their skip message.
   */
  public static Optional<String> unavailableReason() {
    try {
      SERVICE.installation().locate(Optional.empty());
    } catch (IllegalStateException e) {
      return Optional.of(e.getMessage());
    }
    return nodeVersion().isPresent()
        ? Optional.empty()
        : Optional.of(
            "Node.js is not on the PATH (install Node.js 18 or later, e.g. Debian's nodejs): the local"
                + " Kinesis endpoint (npm kinesis-local) runs on it");
  }

  /** Starts the endpoint and returns once it answers ListStreams. */
  public KinesisLocal start(Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(dataDir());
    Path preload = dataDir().resolve(LOOPBACK_PRELOAD).toAbsolutePath();
    try (var script = KinesisLocal.class.getResourceAsStream(LOOPBACK_PRELOAD)) {
      if (script == null) {
        throw new IllegalStateException(LOOPBACK_PRELOAD + " is missing from the launchers' classes");
      }
      Files.write(preload, script.readAllBytes());
    }
    ProcessBuilder builder =
        new ProcessBuilder("node", "--require", preload.toString(), "main.js").directory(home.toFile());
    builder.environment().put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port()));
    builder.environment().put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
    builder.environment().put("AWS_REGION", REGION);
    builder.environment().put("LOG_LEVEL", "WARN");
    builder.environment().put("CREATE_STREAM_DURATION", "100ms");
    try {
      launch(builder);
    } catch (IOException e) {
      throw new IOException("cannot run Node.js (`node --require " + preload + " main.js` in " + home + "): " + e.getMessage(), e);
    }
    Files.writeString(dataDir().resolve(PORT_FILE), port() + "\n");
    try (KinesisClient client = client()) {
      awaitReady(
          timeout,
          () -> {
            client.listStreams();
            return true;
          });
    }
    return this;
  }

  /** Creates the streams (if missing) and waits until each is ACTIVE. */
  public void createStreams(List<String> names, int shards) throws InterruptedException {
    try (KinesisClient client = client()) {
      createStreams(client, names, shards);
    }
  }

  /** Creates streams through any client and polls until each is ACTIVE (the SDK waiter takes 10 s). */
  public static void createStreams(KinesisClient client, List<String> names, int shards)
      throws InterruptedException {
    for (String name : names) {
      try {
        client.createStream(b -> b.streamName(name).shardCount(shards));
      } catch (ResourceInUseException exists) {
        // Already there: fine, we only wait for it to be usable.
      }
    }
    for (String name : names) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (client.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamStatus()
          != StreamStatus.ACTIVE) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("stream " + name + " did not become ACTIVE within 30 s");
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * A client of this endpoint; the caller closes it. The mock checks only that a request is
   * signed (unsigned, i.e. anonymous, requests get "Missing Authentication Token"), so it is
   * signed with the fixed dummy key "local": these are not credentials.
   */
  public KinesisClient client() {
    return client(endpoint());
  }

  /** A client of a local endpoint started elsewhere (e.g. by {@code kinesis start}); see {@link #client()}. */
  public static KinesisClient client(URI endpoint) {
    return KinesisClient.builder()
        .endpointOverride(endpoint)
        .region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        // A builder, not an instance: the SDK then closes the HTTP client, and its kept-alive
        // connections, with the Kinesis client (an open connection holds up the endpoint's SIGTERM).
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }

  /** The port recorded in {@code dataDir}. */
  public static Optional<Integer> recordedPort(Path dir) throws IOException {
    Path portFile = dir.resolve(PORT_FILE);
    return Files.exists(portFile)
        ? Optional.of(Integer.parseInt(Files.readString(portFile).trim()))
        : Optional.empty();
  }

  private static Path requireMain(Path dir) {
    if (!Files.isRegularFile(dir.resolve("main.js")) || !Files.isRegularFile(dir.resolve("server.json"))) {
      throw new IllegalStateException(dir + " is not the kinesis-local package (no main.js and server.json)");
    }
    return dir;
  }

  private static Optional<String> nodeVersion() {
    try {
      Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(node.getInputStream().readAllBytes()).trim();
      return node.waitFor() == 0 ? Optional.of(version) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
