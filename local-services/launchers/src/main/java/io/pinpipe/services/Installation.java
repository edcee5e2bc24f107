package io.pinpipe.services;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where one local service's own files are (the Kafka jars, the kinesis-local package, S3Mock's jar,
 * a Flink lib/ or a SPARK_HOME), said once per service: a place given by the caller wins, else the
 * system property {@code property}, else the environment variable {@code env} (none when null),
 * else {@code inSourceTree} in the working directory or one of its parents. {@code check} accepts
 * the place (and may name a file in it) or throws {@link IllegalStateException}; when nothing is
 * found, the {@link IllegalStateException} says {@code howToGetIt}.
 */
public record Installation(String property, String env, String inSourceTree, UnaryOperator<Path> check, String howToGetIt) {

  /** The checked place, looked for in the order above. */
  public Path locate(Optional<Path> given) {
    Optional<Path> explicit =
        given
            .or(() -> Optional.ofNullable(System.getProperty(property)).map(Path::of))
            .or(() -> env == null ? Optional.empty() : Optional.ofNullable(System.getenv(env)).map(Path::of));
    if (explicit.isPresent()) {
      return check.apply(explicit.get());
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(inSourceTree);
      if (Files.isDirectory(candidate)) {
        return check.apply(candidate);
      }
    }
    throw new IllegalStateException(howToGetIt);
  }
}
