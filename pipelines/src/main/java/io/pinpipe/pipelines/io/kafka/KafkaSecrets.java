package io.pinpipe.pipelines.io.kafka;

import io.pinpipe.contract.KafkaClientConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Keeps the Kafka client's secrets (JAAS configuration, key and store passwords, tokens) out of
 * what KafkaIO shows. {@link KafkaIO.Read} lists every entry of its consumer config as display
 * data, which runners put in their UIs, job graphs and logs. So a read gets the config {@link
 * #withoutSecrets without them} through {@code withConsumerConfigUpdates}, and the secrets travel
 * inside {@link #consumerFactory}, which adds them to the config only when it creates a consumer
 * (every consumer KafkaIO creates, the offset and commit consumers too, goes through it).
 *
 * <p>They are still in the serialized factory, which the workers need to connect: a job graph's
 * serialized code is as sensitive as the client properties file itself.
 */
public final class KafkaSecrets {
  private static final ConfigDef CONSUMER = ConsumerConfig.configDef();

  private KafkaSecrets() {}

  /**
   * True for a property whose value must not be shown: a {@code PASSWORD} of Kafka's consumer
   * config (sasl.jaas.config, ssl.*.password, ssl.keystore.key, ...) or any property whose name
   * says password, secret, JAAS, token, key.pem or credential ({@link KafkaClientConfig#isSecret}).
   */
  public static boolean isSecret(String property) {
    ConfigDef.ConfigKey key = CONSUMER.configKeys().get(property);
    return (key != null && key.type == ConfigDef.Type.PASSWORD) || KafkaClientConfig.isSecret(property);
  }

  /** The config less its secret properties: safe for display data and logs. */
  public static Map<String, Object> withoutSecrets(Map<String, Object> config) {
    Map<String, Object> shown = new HashMap<>();
    config.forEach(
        (name, value) -> {
          if (!isSecret(name)) {
            shown.put(name, value);
          }
        });
    return shown;
  }

  /** A consumer factory for KafkaIO that adds the secret properties of {@code config}. */
  public static ConsumerFactory consumerFactory(Map<String, Object> config) {
    TreeMap<String, String> secrets = new TreeMap<>();
    config.forEach(
        (name, value) -> {
          if (isSecret(name) && value != null) {
            secrets.put(name, value instanceof Password ? ((Password) value).value() : String.valueOf(value));
          }
        });
    return new ConsumerFactory(secrets);
  }

  /**
   * Creates KafkaIO's consumers as KafkaIO's default factory does ({@code new KafkaConsumer<>(config)}),
   * with the secret properties added. Its {@code toString} names them without their values.
   */
  public static final class ConsumerFactory
      implements SerializableFunction<Map<String, Object>, Consumer<byte[], byte[]>> {
    private static final long serialVersionUID = 1L;

    private final TreeMap<String, String> secrets;

    private ConsumerFactory(TreeMap<String, String> secrets) {
      this.secrets = secrets;
    }

    @Override
    public Consumer<byte[], byte[]> apply(Map<String, Object> config) {
      return new KafkaConsumer<>(withSecrets(config));
    }

    /** The config a consumer is created with. */
    Map<String, Object> withSecrets(Map<String, Object> config) {
      Map<String, Object> complete = new HashMap<>(config);
      complete.putAll(secrets);
      return complete;
    }

    @Override
    public String toString() {
      return "KafkaConsumer with " + (secrets.isEmpty() ? "no secret properties" : secrets.keySet() + " (values hidden)");
    }
  }
}
