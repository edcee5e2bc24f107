package io.pinpipe.pipelines.archive;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.pipelines.ProgressCapture;
import io.pinpipe.pipelines.kafka.ArchiveContents;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.pipelines.kafka.KafkaFixture.Sent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Records produced straight to a topic that cannot be archived as a line (not JSON, no row
 * number, invalid UTF-8, too large) go to the dead-letter output with their topic, partition and
 * offset; the good records around them are archived unchanged. The run's last progress line counts
 * them as its summary does.
 */
public class ArchiveBadRecordsTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String pin(long index) {
    return "{\"index\": " + index + ", \"title\": \"t" + index + "\", \"category\": \"travel\"}";
  }

  @Test
  public void badRecordsAreDeadLetteredWithTheirOffsetsAndGoodOnesArchived() throws Exception {
    String prefix = "bad";
    KAFKA.createTopics(prefix, 1);
    String topic = prefix + ".pin";
    String huge = "{\"index\": 7, \"title\": \"" + "x".repeat(300_000) + "\"}";
    String pretty = "{\n  \"index\": 9,\r\n  \"title\": \"two lines\"\n}";
    List<byte[]> values = List.of(
        bytes(pin(1)),                                          // offset 0
        bytes("not json at all"),                               // 1
        bytes(pin(2)),                                          // 2
        bytes("{\"title\": \"no row number\"}"),                // 3
        new byte[] {'{', '"', 'i', 'n', 'd', 'e', 'x', '"', ':', ' ', '3', ',', ' ', '"', 't', '"', ':', ' ', '"', (byte) 0xff, '"', '}'}, // 4
        bytes(huge),                                            // 5
        bytes(pretty),                                          // 6
        bytes(pin(4)));                                         // 7
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (byte[] v : values) {
      records.add(new ProducerRecord<>(topic, 0, null, v));
    }
    List<Sent> sent = KAFKA.send(records);
    assertEquals(7, sent.get(7).offset());

    Path root = tmp.getRoot().toPath();
    ProgressCapture.Run run =
        ProgressCapture.run(
            "archive: ",
            () ->
                ArchivePipeline.run(
                    "--bootstrapServers=" + KAFKA.bootstrapServers(),
                    "--topicPrefix=" + prefix,
                    "--output=" + root,
                    "--startFrom=earliest",
                    "--progressSeconds=1"));
    assertEquals(0, run.status());
    JsonNode summary = JSON.readTree(root.resolve(ArchiveSummary.NAME).toFile());
    assertEquals(4, summary.get("archived").asLong());
    assertEquals(4, summary.get("dead_lettered").asLong());
    String last = run.last();
    assertEquals(
        last,
        true,
        last.matches("archive: [\\d.]+ s; 8 of 8 offsets; archived/dead-lettered: pin 4/4, geo 0/0, user 0/0; [\\d,]+ offsets/s"));

    List<String> archived = new ArrayList<>();
    for (ArchiveContents.Line line : ArchiveContents.lines(root)) {
      archived.add(line.text());
    }
    assertEquals(
        List.of(pin(1), pin(2), "{   \"index\": 9,    \"title\": \"two lines\" }", pin(4)), archived);

    Path deadLetters = root.resolve("dead-letter/bad.pin/partition=0/bad.pin+0+0000000000+0000000007.jsonl");
    assertEquals(List.of(deadLetters), ArchiveContents.files(root, "dead-letter"));
    List<String> lines = Files.readAllLines(deadLetters, StandardCharsets.UTF_8);
    assertEquals(4, lines.size());
    JsonNode notJson = JSON.readTree(lines.get(0));
    assertEquals("bad.pin+0+1", notJson.get("origin").asText());
    assertEquals("pin", notJson.get("kind").asText());
    assertEquals("not json at all", notJson.get("payload").asText());
    assertEquals(true, notJson.get("reason").asText().startsWith("malformed JSON: "));

    JsonNode noRowNumber = JSON.readTree(lines.get(1));
    assertEquals("bad.pin+0+3", noRowNumber.get("origin").asText());
    assertEquals("row number 'index' is missing", noRowNumber.get("reason").asText());

    JsonNode invalidUtf8 = JSON.readTree(lines.get(2));
    assertEquals("bad.pin+0+4", invalidUtf8.get("origin").asText());
    assertEquals(true, invalidUtf8.get("reason").asText().startsWith("invalid UTF-8"));
    assertEquals(
        java.util.Base64.getEncoder().encodeToString(values.get(4)),
        invalidUtf8.get("payload_base64").asText());

    JsonNode tooLarge = JSON.readTree(lines.get(3));
    assertEquals("bad.pin+0+5", tooLarge.get("origin").asText());
    assertEquals(
        "record of " + huge.length() + " bytes is larger than the limit of 262144 bytes (--maxRecordBytes)",
        tooLarge.get("reason").asText());
    assertEquals(huge, tooLarge.get("payload").asText());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
