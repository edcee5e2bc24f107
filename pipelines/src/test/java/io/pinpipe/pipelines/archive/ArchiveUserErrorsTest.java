package io.pinpipe.pipelines.archive;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.After;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Mistakes in the archive job's settings: one line, exit status 2, nothing written. */
public class ArchiveUserErrorsTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @Before
  public void captureStderr() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @After
  public void restoreStderr() {
    System.setErr(originalErr);
  }

  private void assertOneLineError(int status, String expected) {
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(text, CommandLine.USAGE, status);
    assertEquals("one line: " + text, 1, text.strip().split("\n").length);
    assertThat(text, containsString("error: " + expected));
    assertThat(text, not(containsString("\tat ")));
  }

  @Test
  public void testTopicsThatDoNotExist() {
    int status =
        ArchivePipeline.run(
            "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=nope", "--output=" + tmp.getRoot());
    assertOneLineError(
        status, "topic nope.pin does not exist at " + KAFKA.bootstrapServers() + " (check --topicPrefix)");
  }

  @Test
  public void testNoBrokerListening() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    int status = ArchivePipeline.run("--bootstrapServers=127.0.0.1:" + port, "--output=" + tmp.getRoot());
    assertOneLineError(status, "cannot connect to Kafka: 127.0.0.1:" + port + " (Connection refused)");
  }

  @Test
  public void testMissingSettings() {
    assertOneLineError(
        ArchivePipeline.run("--output=" + tmp.getRoot()), "--bootstrapServers is required to read Kafka");
  }

  @Test
  public void testBadStartPosition() {
    err.reset();
    assertOneLineError(
        ArchivePipeline.run(
            "--bootstrapServers=" + KAFKA.bootstrapServers(), "--output=" + tmp.getRoot(), "--startFrom=yesterday"),
        "--startFrom must be committed, earliest or an ISO-8601 instant like 2026-11-23T00:00:00Z, got 'yesterday'");
  }

  @Test
  public void testMissingClientConfigFile() {
    assertOneLineError(
        ArchivePipeline.run(
            "--bootstrapServers=" + KAFKA.bootstrapServers(), "--output=" + tmp.getRoot(),
            "--clientConfig=" + tmp.getRoot() + "/missing.properties"),
        "cannot read the Kafka client properties: " + tmp.getRoot() + "/missing.properties");
  }
}
