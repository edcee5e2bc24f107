package io.pinpipe.contract;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class KafkaClientConfigTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void environmentOverlaysTheFileAndSecretsNeverPrint() throws Exception {
    Path file = temp.newFile("client.properties").toPath();
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
            + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"u\" password=\"p1\";\n");
    Map<String, Object> config =
        KafkaClientConfig.load(
            Optional.of(file),
            Map.of(
                "PINPIPE_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256",
                "PINPIPE_KAFKA_SSL_TRUSTSTORE_PASSWORD", "p2",
                "HOME", "/root"));

    assertEquals("SASL_SSL", config.get("security.protocol"));
    assertEquals("SCRAM-SHA-256", config.get("sasl.mechanism"));
    assertEquals("p2", config.get("ssl.truststore.password"));
    assertEquals(4, config.size());
    String described = KafkaClientConfig.describe(config);
    assertEquals(
        "sasl.jaas.config=[hidden], sasl.mechanism=SCRAM-SHA-256, security.protocol=SASL_SSL,"
            + " ssl.truststore.password=[hidden]",
        described);
    assertFalse(described.contains("p1"));
  }

  @Test
  public void theFileMayBeNamedByTheEnvironment() throws Exception {
    Path file = temp.newFile("c.properties").toPath();
    Files.writeString(file, "client.id=emulator\n");
    Map<String, Object> config =
        KafkaClientConfig.load(
            Optional.empty(), Map.of(KafkaClientConfig.FILE_ENV, file.toString()));
    assertEquals(Map.of("client.id", "emulator"), config);
    assertTrue(KafkaClientConfig.load(Optional.empty(), Map.of()).isEmpty());
  }

  @Test
  public void aMissingFileSaysWhichOne() {
    Path missing = temp.getRoot().toPath().resolve("nope.properties");
    NoSuchFileException e =
        assertThrows(
            NoSuchFileException.class,
            () -> KafkaClientConfig.load(Optional.of(missing), Map.of()));
    assertEquals(missing.toString(), e.getFile());
  }
}
