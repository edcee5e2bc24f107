package io.pinpipe.pipelines.batch;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.pipelines.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A binary file where an archive file should be (an image uploaded to the wrong folder): each of its
 * lines is read as a record and dead-lettered with its reason, its origin and its exact bytes
 * (base64, since they are not text), and the good records beside it are cleaned as usual.
 */
public class BatchBinaryInputTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void eachLineOfABinaryFileIsDeadLetteredWithItsBytes() throws Exception {
    // Three lines: invalid UTF-8; a PNG signature's first bytes (CRLF ends the line); a control
    // byte, valid UTF-8 but not JSON, and a last line without a newline.
    byte[] line1 = {0x00, 0x01, (byte) 0xFF, (byte) 0xFE};
    byte[] line2 = {(byte) 0x89, 'P', 'N', 'G'};
    byte[] line3 = {0x1A};
    byte[] line4 = {(byte) 0x80, (byte) 0x81};
    byte[] file = concat(line1, new byte[] {'\n'}, line2, new byte[] {'\r', '\n'}, line3, new byte[] {'\n'}, line4);
    Path archive =
        new ArchiveFixture(tmp.newFolder("archive").toPath())
            .file("pin", 0, ArchiveFixture.pin(1, "art", "10k", "Ann") + "\n")
            .bytes("pin", 10, file)
            .file("geo", 0, ArchiveFixture.geo(1, "Chile", "2020-01-01 10:00:00") + "\n")
            .file("user", 0, ArchiveFixture.user(1, "Ann", "Lee", 30, "2016-01-01 00:00:00") + "\n")
            .root();
    Path out = tmp.getRoot().toPath().resolve("out");

    assertEquals(CommandLine.OK, BatchPipeline.run("--tableFormat=parquet", "--input=" + archive, "--output=" + out));

    List<JsonNode> letters = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("dead-letter/pin.jsonl"))) {
      letters.add(new ObjectMapper().readTree(line));
    }
    String binaryFile = archive + "/topics/pinterest.pin/partition=0/pinterest.pin+0+0000000010.json";
    List<String> seen = new ArrayList<>();
    for (JsonNode letter : letters) {
      seen.add(letter.path("origin").asText() + " | " + letter.path("reason").asText() + " | "
          + (letter.has("payload_base64") ? "base64:" + letter.path("payload_base64").asText() : "text:" + letter.path("payload").asText()));
    }
    assertEquals(
        List.of(
            binaryFile + ":1 | invalid UTF-8 at byte 2 | base64:" + base64(line1),
            binaryFile + ":2 | invalid UTF-8 at byte 0 | base64:" + base64(line2),
            binaryFile + ":3 | malformed JSON: Illegal character ((CTRL-CHAR, code 26)): only regular white space"
                + " (\\r, \\n, \\t) is allowed between tokens at column 2 | text:\u001a",
            binaryFile + ":4 | invalid UTF-8 at byte 0 | base64:" + base64(line4)),
        seen);

    JsonNode pin = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).path("kinds").path("pin");
    assertEquals(5, pin.path("read").asLong());
    assertEquals(1, pin.path("cleaned").asLong());
    assertEquals(4, pin.path("dead_lettered").asLong());
    assertEquals(0, pin.path("duplicates").asLong());
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] part : parts) {
      n += part.length;
    }
    byte[] all = new byte[n];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }
}
