package io.pinpipe.pipelines.check;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import io.pinpipe.emulator.EmulatorMain;
import io.pinpipe.pipelines.archive.ArchivePipeline;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.check.DuckDbReference.Options;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The original's batch path, end to end on real parts: the emulator posts generated events to a
 * real Kafka broker, the archive job copies the topics to the raw archive, and batch reads it (or
 * the topics directly). Its nine results must equal, byte for byte, the DuckDB check's results on
 * the same events, which the emulator's files sink writes for comparison.
 */
public class KafkaEndToEndTest {
  private static final String PREFIX = "e2e";
  private static final String EVENTS = "2000";
  private static final String SEED = "77";

  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Map<String, String> reference;

  @BeforeClass
  public static void postEvents() throws Exception {
    KAFKA.createTopics(PREFIX, 2);
    String[] events = {"--topicPrefix=" + PREFIX, "--count=" + EVENTS, "--seed=" + SEED, "--duplicateRate=0.05"};
    assertEquals(0, EmulatorMain.execute(concat(
        new String[] {"post", "--sink=kafka", "--bootstrapServers=" + KAFKA.bootstrapServers()}, events)));
    Path files = TMP.newFolder("files-sink").toPath();
    assertEquals(0, EmulatorMain.execute(concat(new String[] {"post", "--sink=files", "--output=" + files}, events)));
    reference = DuckDbReference.compute(files, PREFIX, Options.defaults());
  }

  @Test
  public void postThenArchiveThenBatchEqualsTheDuckDbCheck() throws Exception {
    Path archive = TMP.newFolder("archive").toPath();
    assertEquals(0, ArchivePipeline.run(
        "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX, "--output=" + archive,
        "--groupId=e2e-archive"));
    Path output = TMP.newFolder("from-archive").toPath();
    assertEquals(0, BatchPipeline.run("--input=" + archive, "--topicPrefix=" + PREFIX, "--output=" + output));
    assertResultsEqualReference(output);
  }

  @Test
  public void batchReadingKafkaDirectlyEqualsTheDuckDbCheck() throws Exception {
    Path output = TMP.newFolder("from-kafka").toPath();
    assertEquals(0, BatchPipeline.run(
        "--bootstrapServers=" + KAFKA.bootstrapServers(), "--topicPrefix=" + PREFIX, "--output=" + output));
    assertResultsEqualReference(output);
  }

  private static void assertResultsEqualReference(Path output) throws IOException {
    assertEquals(9, reference.size());
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, String> expected : reference.entrySet()) {
      Path file = output.resolve("results").resolve(expected.getKey() + ".csv");
      String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "<no file>";
      if (!actual.equals(expected.getValue())) {
        mismatches.add(expected.getKey() + ": " + BatchMatchesDuckDbTest.firstDifference(expected.getValue(), actual));
      }
    }
    if (!mismatches.isEmpty()) {
      fail("results differ from the DuckDB check:\n  " + String.join("\n  ", mismatches));
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
