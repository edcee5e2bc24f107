package io.pinpipe.pipelines.s3;

import io.pinpipe.services.S3Mock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The tests' own S3 client of a local {@link S3Mock}: path-style, the server's endpoint and region,
 * credentials from the SDK's default chain (the tests set the system properties to "local"; S3Mock
 * accepts any). It copies local trees up and S3 prefixes down, so the assertions read plain files.
 */
final class S3Objects implements AutoCloseable {
  private final S3Client client;

  S3Objects(S3Mock s3) {
    client =
        S3Client.builder()
            .endpointOverride(s3.endpoint())
            .region(Region.of(s3.region()))
            .forcePathStyle(true)
            .credentialsProvider(DefaultCredentialsProvider.create())
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
  }

  /** The credentials the SDK's default chain finds in the tests; S3Mock checks no signature. */
  static void useLocalCredentials() {
    System.setProperty("aws.accessKeyId", "local");
    System.setProperty("aws.secretAccessKey", "local");
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
    client.close();
  }
}
