package io.pinpipe.pipelines.s3;

import io.pinpipe.services.S3Mock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * S3Mock as its own JVM for a test class, with one bucket, and the tests' own S3 client of it:
 * path-style, the server's endpoint and region, credentials from the SDK's default chain (set to
 * "local" here; S3Mock accepts any). It copies local trees up and S3 prefixes down, so the
 * assertions read plain files; {@link #close()} closes the client and stops the server.
 */
final class LocalS3 implements AutoCloseable {
  private final S3Mock server;
  private final S3Client client;

  private LocalS3(S3Mock server) {
    this.server = server;
    client =
        S3Client.builder()
            .endpointOverride(server.endpoint())
            .region(Region.of(server.region()))
            .forcePathStyle(true)
            .credentialsProvider(DefaultCredentialsProvider.create())
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
  }

  /** Starts S3Mock with its store and log in {@code dataDir}, and creates {@code bucket} in it. */
  static LocalS3 start(Path dataDir, String bucket) throws IOException, InterruptedException {
    useLocalCredentials();
    LocalS3 s3 = new LocalS3(S3Mock.onFreePorts(dataDir).start(Duration.ofSeconds(90)));
    try {
      s3.createBucket(bucket);
    } catch (RuntimeException e) {
      s3.close();
      throw e;
    }
    return s3;
  }

  /** The credentials the SDK's default chain finds in the tests (the jobs' too); S3Mock checks no signature. */
  private static void useLocalCredentials() {
    System.setProperty("aws.accessKeyId", "local");
    System.setProperty("aws.secretAccessKey", "local");
  }

  URI endpoint() {
    return server.endpoint();
  }

  String region() {
    return server.region();
  }

  void createBucket(String bucket) {
    client.createBucket(b -> b.bucket(bucket));
  }

  /** Uploads every file under {@code dir} to {@code bucket/prefix/<relative path>}. */
  void upload(Path dir, String bucket, String prefix) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
        String key = prefix + "/" + dir.relativize(file).toString().replace('\\', '/');
        client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(file));
      }
    }
  }

  void put(String bucket, String key, String text) {
    client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(text));
  }

  /** The keys under {@code prefix/}, relative to it, sorted. */
  List<String> list(String bucket, String prefix) {
    return client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix + "/")).contents().stream()
        .map(S3Object::key)
        .map(k -> k.substring(prefix.length() + 1))
        .sorted()
        .collect(Collectors.toList());
  }

  /** Downloads every object under {@code prefix/} into {@code dir}, keeping the relative keys. */
  Path download(String bucket, String prefix, Path dir) throws IOException {
    for (String relative : list(bucket, prefix)) {
      Path target = dir.resolve(relative);
      Files.createDirectories(target.getParent());
      Files.write(target, client.getObjectAsBytes(b -> b.bucket(bucket).key(prefix + "/" + relative)).asByteArray());
    }
    return dir;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      server.close();
    }
  }
}
