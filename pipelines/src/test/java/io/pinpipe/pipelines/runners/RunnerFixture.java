package io.pinpipe.pipelines.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.archive.GenerationProgress;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.pipelines.batch.ParquetTable;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.results.QueryOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.avro.generic.GenericRecord;

/**
 * One input for comparing runners: a generated archive with resent events, plus a file of bad
 * records per kind, so every output (results, tables, dead letters, duplicates) has content.
 */
final class RunnerFixture {
  static final int EVENTS = 1_500;

  /** Per kind: a line that is not JSON, one with a trailing token, and one that is not an object. */
  private static final Map<RecordKind, String> BAD_LINES =
      Map.of(
          RecordKind.PIN, "not json at all\n{\"index\": 9000001, \"category\": \"art\"} trailing\n[1]\n",
          RecordKind.GEO, "{\"ind\": \n{\"ind\": 9000002, \"country\": \"Aruba\"} x\n\"text\"\n",
          RecordKind.USER, "<user/>\n{\"ind\": 9000003, \"age\": 30} }\n42\n");

  private RunnerFixture() {}

  static Path writeArchive(Path root) throws Exception {
    ArchiveWriter.generate(
        root, "pinterest", EVENTS, 23, GeneratorSettings.defaults().withDuplicateRate(0.05), 2, 400,
        GenerationProgress.NONE);
    for (RecordKind kind : RecordKind.values()) {
      Path dir = root.resolve("topics/pinterest." + kind.id() + "/partition=1");
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("pinterest." + kind.id() + "+1+0009000000.json"), BAD_LINES.get(kind), StandardCharsets.UTF_8);
    }
    return root;
  }

  /**
   * Asserts that {@code actual} is the same job output as {@code expected}: the nine result files
   * and the three dead-letter files byte for byte, the same counts per kind, and Parquet tables
   * that read back to the same rows (compared as sorted text, since file splits differ by runner).
   */
  static void assertSameOutput(String runner, Path expected, Path actual) throws Exception {
    for (QueryOutput output : QueryOutput.values()) {
      String file = "results/" + output.outputName() + ".csv";
      assertEquals(runner + ": " + file, Files.readString(expected.resolve(file)), Files.readString(actual.resolve(file)));
    }
    JsonNode expectedSummary = RunSummary.parse(Files.readString(expected.resolve("summary.json")));
    JsonNode actualSummary = RunSummary.parse(Files.readString(actual.resolve("summary.json")));
    assertEquals(runner + ": counts per kind", expectedSummary.path("kinds"), actualSummary.path("kinds"));
    for (RecordKind kind : RecordKind.values()) {
      String deadLetters = "dead-letter/" + kind.id() + ".jsonl";
      assertEquals(runner + ": " + deadLetters, Files.readString(expected.resolve(deadLetters)), Files.readString(actual.resolve(deadLetters)));
      assertTrue(runner + ": " + deadLetters + " is empty", Files.size(actual.resolve(deadLetters)) > 0);

      TreeSet<String> expectedRows = rows(expected.resolve("tables").resolve(kind.id()));
      TreeSet<String> actualRows = rows(actual.resolve("tables").resolve(kind.id()));
      assertEquals(runner + ": " + kind.id() + " table rows = cleaned",
          actualSummary.path("kinds").path(kind.id()).path("cleaned").asLong(), actualRows.size());
      assertEquals(runner + ": " + kind.id() + " table", expectedRows, actualRows);
    }
  }

  private static TreeSet<String> rows(Path table) throws Exception {
    TreeSet<String> rows = new TreeSet<>();
    List<GenericRecord> records = ParquetTable.read(table);
    for (GenericRecord record : records) {
      rows.add(record.toString());
    }
    assertEquals(table + " holds duplicate rows", records.size(), rows.size());
    return rows;
  }
}
