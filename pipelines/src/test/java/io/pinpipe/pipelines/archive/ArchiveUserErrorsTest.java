package io.pinpipe.pipelines.archive;

import io.pinpipe.services.KafkaBroker;
import io.pinpipe.services.LocalProcess;
import io.pinpipe.pipelines.UserErrorOutput;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Mistakes in the archive job's settings: one line, exit status 2, nothing written. */
public class ArchiveUserErrorsTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Rule public UserErrorOutput stderr = new UserErrorOutput();

  private void assertOneLineError(int status, String expected) {
    stderr.assertUserError(status, "error: " + expected);
  }

  @Test
  public void aMissingTopicIsAOneLineErrorNamingTopicAndBroker() {
    int status =
        ArchivePipeline.run(
            "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=nope", "--output=" + tmp.getRoot());
    assertOneLineError(
        status, "topic nope.pin does not exist at " + KAFKA.bootstrapServers() + " (check --topicPrefix)");
  }

  @Test
  public void noBrokerListeningIsAnEndpointErrorNamingTheAddress() throws Exception {
    int port = LocalProcess.freePort(); // found on loopback: a test opens no port to other machines
    int status = ArchivePipeline.run("--bootstrapServers=127.0.0.1:" + port, "--output=" + tmp.getRoot());
    stderr.assertEndpointError(status, "error: cannot connect to Kafka: 127.0.0.1:" + port + " (Connection refused)");
  }

  @Test
  public void fileLimitsBelowOneAreRefusedWithOneMessage() {
    for (String limit : new String[] {"--maxRecordsPerFile=0", "--maxRecordBytes=0", "--intervalSeconds=0"}) {
      assertOneLineError(
          ArchivePipeline.run("--bootstrapServers=" + KAFKA.bootstrapServers(), "--output=" + tmp.getRoot(), limit),
          "--maxRecordsPerFile, --maxRecordBytes and --intervalSeconds must be at least 1");
      stderr.reset();
    }
  }

  @Test
  public void aMissingBootstrapServersIsAOneLineError() {
    assertOneLineError(
        ArchivePipeline.run("--output=" + tmp.getRoot()), "--bootstrapServers is required to read Kafka");
  }

  @Test
  public void anUnparsableStartPositionIsAOneLineError() {
    stderr.reset();
    assertOneLineError(
        ArchivePipeline.run(
            "--bootstrapServers=" + KAFKA.bootstrapServers(), "--output=" + tmp.getRoot(), "--startFrom=yesterday"),
        "--startFrom must be committed, earliest or an ISO-8601 instant like 2026-11-23T00:00:00Z, got 'yesterday'");
  }

  @Test
  public void aMissingClientPropertiesFileIsAOneLineError() {
    assertOneLineError(
        ArchivePipeline.run(
            "--bootstrapServers=" + KAFKA.bootstrapServers(), "--output=" + tmp.getRoot(),
            "--clientConfig=" + tmp.getRoot() + "/missing.properties"),
        "cannot read the Kafka client properties: " + tmp.getRoot() + "/missing.properties");
  }
}
