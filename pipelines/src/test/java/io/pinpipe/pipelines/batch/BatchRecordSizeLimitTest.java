package io.pinpipe.pipelines.batch;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.pipelines.CommandLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code batch --maxRecordBytes} (the archive job's default otherwise): a larger record is
 * dead-lettered with its size, the limit and its whole payload, and still counted as read.
 */
public class BatchRecordSizeLimitTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void aRecordLargerThanTheLimitIsDeadLetteredWhole() throws Exception {
    String small = ArchiveFixture.pin(1, "art", "10k", "Ann");
    String large = ArchiveFixture.pin(2, "art", "10k", "A".repeat(400));
    int largeBytes = large.getBytes(StandardCharsets.UTF_8).length;
    Path archive =
        new ArchiveFixture(tmp.newFolder("archive").toPath())
            .file("pin", 0, small + "\n" + large + "\n")
            .file("geo", 0, ArchiveFixture.geo(1, "Chile", "2020-01-01 10:00:00") + "\n")
            .file("user", 0, ArchiveFixture.user(1, "Ann", "Lee", 30, "2016-01-01 00:00:00") + "\n")
            .root();
    Path out = tmp.getRoot().toPath().resolve("out");

    int status = BatchPipeline.run("--tableFormat=parquet", "--input=" + archive, "--output=" + out, "--maxRecordBytes=300");

    assertEquals(CommandLine.OK, status);
    List<String> deadLetters = Files.readAllLines(out.resolve("dead-letter/pin.jsonl"));
    assertEquals(1, deadLetters.size());
    JsonNode deadLetter = new ObjectMapper().readTree(deadLetters.get(0));
    assertEquals(
        "record too large: " + largeBytes + " bytes, more than the limit of 300 bytes",
        deadLetter.path("reason").asText());
    assertEquals(large, deadLetter.path("payload").asText());
    JsonNode pin = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).path("kinds").path("pin");
    assertEquals(2, pin.path("read").asLong());
    assertEquals(1, pin.path("cleaned").asLong());
    assertEquals(1, pin.path("dead_lettered").asLong());
  }

  @Test
  public void aLimitBelowOneByteIsAUserError() throws Exception {
    Path archive =
        new ArchiveFixture(tmp.newFolder("archive").toPath())
            .file("pin", 0, ArchiveFixture.pin(1, "art", "10k", "Ann") + "\n")
            .file("geo", 0, ArchiveFixture.geo(1, "Chile", "2020-01-01 10:00:00") + "\n")
            .file("user", 0, ArchiveFixture.user(1, "Ann", "Lee", 30, "2016-01-01 00:00:00") + "\n")
            .root();
    int status =
        BatchPipeline.run(
            "--tableFormat=parquet", "--input=" + archive, "--output=" + tmp.getRoot().toPath().resolve("out"), "--maxRecordBytes=0");
    assertEquals(CommandLine.USAGE, status);
  }
}
