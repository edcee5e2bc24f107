package io.pinpipe.contract;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kafka client settings beyond the bootstrap servers: TLS, SASL (MSK's IAM or SCRAM) and any
 * other client property. They come from a client properties file ({@code --clientConfig FILE},
 * or the file named by {@value #FILE_ENV}) and from environment variables {@value #ENV_PREFIX}
 * followed by the property name in upper case with dots as underscores ({@code
 * PINPIPE_KAFKA_SASL_JAAS_CONFIG} sets {@code sasl.jaas.config}); the environment wins. Never from
 * option values: Beam records options in the job graph and the logs (README.md#the-emulator-post-and-load-db).
 * {@link
 * #describe} prints the names of secret properties, never their values.
 *
 * <p>The emulator's producer and the pipelines' KafkaIO consumers share this class, so a
 * cluster is configured once for both.
 */
public final class KafkaClientConfig {
  public static final String FILE_ENV = "PINPIPE_KAFKA_CLIENT_CONFIG";
  public static final String ENV_PREFIX = "PINPIPE_KAFKA_";

  private static final Pattern SECRET =
      Pattern.compile("(?i).*(password|secret|jaas|token|key\\.pem|credential).*");

  private KafkaClientConfig() {}

  /**
   * The client properties from {@code file} (or the file named by {@value #FILE_ENV}) overlaid
   * with {@value #ENV_PREFIX}* variables of {@code env}, sorted by name.
   */
  public static Map<String, Object> load(Optional<Path> file, Map<String, String> env)
      throws IOException {
    Map<String, Object> config = new TreeMap<>();
    Optional<Path> source =
        file.or(() -> Optional.ofNullable(env.get(FILE_ENV)).filter(s -> !s.isEmpty()).map(Path::of));
    if (source.isPresent()) {
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(source.get(), StandardCharsets.UTF_8)) {
        properties.load(reader);
      } catch (NoSuchFileException e) {
        throw new NoSuchFileException(
            source.get().toString(), null, "the Kafka client properties file does not exist");
      }
      properties.stringPropertyNames().forEach(name -> config.put(name, properties.getProperty(name)));
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && !name.equals(FILE_ENV) && name.length() > ENV_PREFIX.length()) {
            config.put(propertyName(name), value);
          }
        });
    return config;
  }

  /** {@code PINPIPE_KAFKA_SASL_JAAS_CONFIG} → {@code sasl.jaas.config}. */
  static String propertyName(String variable) {
    return variable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
  }

  /** True for properties whose values must never be printed (passwords, JAAS, tokens). */
  public static boolean isSecret(String property) {
    return SECRET.matcher(property).matches();
  }

  /** {@code name=value} pairs for logs, with secret values replaced by {@code [hidden]}. */
  public static String describe(Map<String, Object> config) {
    StringBuilder s = new StringBuilder();
    new TreeMap<>(config)
        .forEach(
            (name, value) -> {
              if (s.length() > 0) {
                s.append(", ");
              }
              s.append(name).append('=').append(isSecret(name) ? "[hidden]" : value);
            });
    return s.toString();
  }
}
