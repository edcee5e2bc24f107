package io.pinpipe.pipelines.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.pipelines.CommandLine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The whole batch job on a hand-made archive full of bad input (docs/semantics.md#cleaning-per-kind):
 * every record read is
 * cleaned, dead-lettered with its origin and reason, or counted as a duplicate; good records around
 * bad ones are unaffected; counts in summary.json are exact.
 */
public class BatchBadInputTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static Path archive;
  private static Path out;
  private static JsonNode summary;

  private static final String PIN1 = ArchiveFixture.pin(1, "art", "10k", "Ann");
  private static final String PIN2 = ArchiveFixture.pin(2, "travel", "User Info Error", "User Info Error");
  private static final String PIN3_PRETTY =
      "{\n  \"index\": 3,\n  \"unique_id\": \"u-3\",\n  \"title\": \"\",\n  \"follower_count\": \"1.5k\",\n"
          + "  \"poster_name\": \"Bo\",\n  \"category\": \"art\",\n  \"save_location\": \"Local save in /data/art\"\n}\n";

  @BeforeClass
  public static void runBatchOnBadInput() throws Exception {
    byte[] invalidUtf8 = "{\"index\": 9, \"title\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);
    ArchiveFixture fixture =
        new ArchiveFixture(tmp.newFolder("archive").toPath())
            .file(
                "pin",
                0,
                PIN1 + "\n"
                    + "{\"index\": 4, \"title\": \n" // malformed JSON (line 2)
                    + "[1, 2, 3]\n" // an array (line 3)
                    + "\"just a string\"\n" // a string (line 4)
                    + "\n" // blank: not a record (line 5)
                    + PIN2 + "\r\n" // CRLF line end (line 6)
                    + PIN1 + "\n" // exact duplicate of line 1 (line 7)
                    + "{\"title\": \"no row number\"}\n" // line 8
                    + "{\"index\": \"5\"}\n" // row number as a string (line 9)
                    + "{\"index\": 6.5}\n" // non-integral row number (line 10)
                    + "{\"index\": 7.0, \"category\": \"art\", \"colour\": \"red\"}\n") // line 11
            .bytes("pin", 20, concat(invalidUtf8, "\n".getBytes(StandardCharsets.UTF_8)))
            .file("pin", 30, PIN3_PRETTY)
            .file("pin", 40, "")
            .file(
                "geo",
                0,
                ArchiveFixture.geo(1, "Chile", "2020-01-01 10:00:00") + "\n"
                    + "{\"ind\": 2, \"timestamp\": \"2019-05-05T01:02:03+02:00\", \"latitude\": \"1.5\", "
                    + "\"longitude\": null, \"country\": \"Peru\"}\n"
                    + "{\"ind\": 3, \"timestamp\": \"not a date\", \"latitude\": {}, \"country\": \"Peru\"}\n")
            .file(
                "user",
                0,
                ArchiveFixture.user(1, "Ann", "Lee", 30, "2016-01-01 00:00:00") + "\n"
                    + "{\"ind\": 2, \"first_name\": \"Bo\", \"age\": \"45\", \"date_joined\": \"2017-03-04T05:06:07\"}\n"
                    + "{\"ind\": 3, \"first_name\": \"Cy\", \"last_name\": \"Do\", \"age\": \"abc\", \"date_joined\": \"2015-01-01 00:00:00\"}\n"
                    + "{\"ind\": 3, \"first_name\": \"Cy\", \"last_name\": \"Do\", \"age\": 52, \"date_joined\": \"2015-01-01 00:00:00\"}\n");
    archive = fixture.root();
    out = tmp.getRoot().toPath().resolve("out");
    int status = BatchPipeline.run("--tableFormat=parquet", "--input=" + archive, "--output=" + out);
    assertEquals(CommandLine.OK, status);
    summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  private static JsonNode kind(String kind) {
    return summary.path("kinds").path(kind);
  }

  @Test
  public void pinCountsAreEachMeasuredAndBalance() {
    JsonNode pin = kind("pin");
    // Files 0, 20, 30 and 40; file 40 is empty, so it holds no record to count.
    assertEquals(4, pin.path("files").asLong());
    assertEquals(1, pin.path("empty_files").asLong());
    assertEquals(1, kind("geo").path("files").asLong());
    assertEquals(0, kind("geo").path("empty_files").asLong());
    // Records: 10 non-blank lines in the first file, the invalid-UTF-8 line, the pretty-printed file.
    assertEquals(12, pin.path("read").asLong());
    // Lines 1, 6, 11 and the pretty-printed pin 3.
    assertEquals(4, pin.path("cleaned").asLong());
    // Lines 2, 3, 4, 8, 9, 10 and the invalid UTF-8 line.
    assertEquals(7, pin.path("dead_lettered").asLong());
    assertEquals(1, pin.path("duplicates").asLong());
    assertEquals(0, pin.path("conflicts").asLong());
    assertEquals(1, pin.path("unknown_fields").path("colour").asLong());
    assertEquals(1, pin.path("rules").path("follower_count_placeholder_to_null").asLong());
    assertEquals(1, pin.path("rules").path("poster_name_placeholder_to_null").asLong());
    assertEquals(1, pin.path("rules").path("title_blank_to_null").asLong());
    assertEquals(2, pin.path("rules").path("follower_count_thousands_to_number").asLong());
  }

  @Test
  public void geoAndUserFieldsThatCannotBeCoercedAreNulledAndCounted() {
    JsonNode geo = kind("geo");
    assertEquals(3, geo.path("read").asLong());
    assertEquals(3, geo.path("cleaned").asLong());
    assertEquals(1, geo.path("nulled").path("timestamp").path("unparseable_datetime").asLong());
    assertEquals(1, geo.path("nulled").path("latitude").path("wrong_type").asLong());
    assertEquals(1, geo.path("nulled").path("longitude").path("missing").asLong());

    JsonNode user = kind("user");
    assertEquals(4, user.path("read").asLong());
    assertEquals(4, user.path("cleaned").asLong());
    assertEquals(2, user.path("conflicts").asLong());
    assertEquals(1, user.path("nulled").path("age").path("not_a_number").asLong());
    assertEquals(1, user.path("nulled").path("last_name").path("missing").asLong());
    assertEquals(1, user.path("rules").path("user_name_from_one_part").asLong());
  }

  @Test
  public void deadLettersCarryOriginReasonAndPayload() throws Exception {
    List<JsonNode> letters = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("dead-letter/pin.jsonl"))) {
      letters.add(new ObjectMapper().readTree(line));
    }
    String first = archive + "/topics/pinterest.pin/partition=0/pinterest.pin+0+0000000000.json";
    String second = archive + "/topics/pinterest.pin/partition=0/pinterest.pin+0+0000000020.json";
    List<String> origins = letters.stream().map(l -> l.path("origin").asText()).collect(Collectors.toList());
    assertEquals(
        List.of(first + ":2", first + ":3", first + ":4", first + ":8", first + ":9", first + ":10", second + ":1"),
        origins);
    assertEquals("not a JSON object (found an array)", letters.get(1).path("reason").asText());
    assertEquals("[1, 2, 3]", letters.get(1).path("payload").asText());
    assertEquals("not a JSON object (found a string)", letters.get(2).path("reason").asText());
    assertEquals("row number 'index' is missing", letters.get(3).path("reason").asText());
    assertEquals("row number 'index' is not a JSON number: \"5\"", letters.get(4).path("reason").asText());
    assertEquals("row number 'index' is not an integral number: 6.5", letters.get(5).path("reason").asText());
    assertTrue(letters.get(0).path("reason").asText().startsWith("malformed JSON: "));
    JsonNode utf8 = letters.get(6);
    assertEquals("invalid UTF-8 at byte 26", utf8.path("reason").asText());
    assertTrue(utf8.path("payload").isMissingNode());
    assertEquals(
        "{\"index\": 9, \"title\": \"caf\u00e9\"}",
        new String(Base64.getDecoder().decode(utf8.path("payload_base64").asText()), StandardCharsets.ISO_8859_1));
    assertEquals("", Files.readString(out.resolve("dead-letter/geo.jsonl")));
  }

  @Test
  public void parquetTablesHoldTheCleanRecords() throws Exception {
    List<GenericRecord> pins = readTable("pin");
    assertEquals(4, pins.size());
    GenericRecord pin3 =
        pins.stream().filter(r -> (Long) r.get("ind") == 3L).findFirst().orElseThrow();
    assertEquals(1500L, pin3.get("follower_count"));
    assertEquals(null, pin3.get("title"));
    assertEquals("/data/art", pin3.get("save_location").toString());

    List<GenericRecord> geos = readTable("geo");
    GenericRecord geo2 = geos.stream().filter(r -> (Long) r.get("ind") == 2L).findFirst().orElseThrow();
    // 2019-05-05T01:02:03+02:00 is 2019-05-04T23:02:03Z, stored as microseconds.
    assertEquals(1557010923000000L, geo2.get("timestamp"));
    assertEquals("[1.5, null]", geo2.get("coordinates").toString());
    assertEquals(
        "timestamp-micros",
        geos.get(0).getSchema().getField("timestamp").schema().getTypes().get(1).getLogicalType().getName());
  }

  private static List<GenericRecord> readTable(String kind) throws Exception {
    return ParquetTable.read(out.resolve("tables/" + kind));
  }
}
