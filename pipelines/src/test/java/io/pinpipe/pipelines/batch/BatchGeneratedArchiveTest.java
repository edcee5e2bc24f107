package io.pinpipe.pipelines.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.archive.GenerationProgress;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.transforms.results.QueryOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The whole batch job on a generated archive with re-sent events: every file of the output layout
 * is there, in its format, and the counts of summary.json agree with the files and with what the
 * generator wrote, counted independently from the archive's lines.
 */
public class BatchGeneratedArchiveTest {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static final int EVENTS = 2_000;
  private static Path archive;
  private static Path out;
  private static JsonNode summary;

  @BeforeClass
  public static void generateAndRun() throws Exception {
    archive = tmp.newFolder("archive").toPath();
    ArchiveWriter.generate(archive, "pinterest", EVENTS, 11, GeneratorSettings.defaults().withDuplicateRate(0.05), 3, 500, GenerationProgress.NONE);
    out = tmp.getRoot().toPath().resolve("out");
    assertEquals(CommandLine.OK, BatchPipeline.run("--tableFormat=parquet", "--input=" + archive, "--output=" + out));
    summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  private static List<String> archiveLines(String kind) throws Exception {
    try (Stream<Path> files = Files.walk(archive.resolve("topics/pinterest." + kind))) {
      return files
          .filter(Files::isRegularFile)
          .flatMap(
              f -> {
                try {
                  return Files.readAllLines(f).stream();
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .collect(Collectors.toList());
    }
  }

  @Test
  public void everyKindIsAccountedForAgainstTheArchive() throws Exception {
    Pattern rowNumber = Pattern.compile("^\\{\"(?:index|ind)\": (\\d+),");
    for (String kind : List.of("pin", "geo", "user")) {
      List<String> lines = archiveLines(kind);
      Set<String> distinct = new HashSet<>(lines);
      JsonNode counts = summary.path("kinds").path(kind);
      assertEquals(kind, lines.size(), counts.path("read").asLong());
      assertEquals(kind, distinct.size(), counts.path("cleaned").asLong());
      assertEquals(kind, lines.size() - distinct.size(), counts.path("duplicates").asLong());
      assertTrue(kind + " has re-sent events", counts.path("duplicates").asLong() > 50);
      assertEquals(kind, 0, counts.path("dead_lettered").asLong());
      assertEquals(kind, 0, counts.path("conflicts").asLong());
      Set<Long> rowNumbers = new HashSet<>();
      for (String line : distinct) {
        Matcher m = rowNumber.matcher(line);
        assertTrue(line, m.find());
        rowNumbers.add(Long.parseLong(m.group(1)));
      }
      assertEquals(EVENTS, rowNumbers.size());
      assertEquals(kind, distinct.size(), readTable(kind).size());
      assertEquals("", Files.readString(out.resolve("dead-letter/" + kind + ".jsonl")));
    }
    assertEquals(
        archiveLines("pin").stream().filter(l -> l.contains("\"follower_count\": \"User Info Error\"")).distinct().count(),
        summary.path("kinds").path("pin").path("rules").path("follower_count_placeholder_to_null").asLong());
  }

  @Test
  public void everyResultFileIsThereAndItsRowCountIsInTheSummary() throws Exception {
    for (QueryOutput output : QueryOutput.values()) {
      Path csv = out.resolve("results/" + output.outputName() + ".csv");
      String text = Files.readString(csv);
      assertTrue(csv + " ends with a newline", text.endsWith("\n"));
      assertTrue(csv + " has no CR", !text.contains("\r"));
      List<String> lines = text.lines().collect(Collectors.toList());
      assertEquals(
          String.join(",", output.schema().getFieldNames()), lines.get(0));
      assertEquals(output.outputName(), lines.size() - 1, summary.path("results").path(output.outputName()).asLong());
      assertTrue(output.outputName() + " has rows", lines.size() > 1);
      for (String line : lines) {
        assertTrue("no exponent: " + line, !line.matches(".*\\d[eE][+-]?\\d.*"));
      }
    }
    assertEquals("DirectRunner", summary.path("runner").asText());
    assertEquals(archive.toString(), summary.path("input").asText());
  }

  private static List<GenericRecord> readTable(String kind) throws Exception {
    return ParquetTable.read(out.resolve("tables/" + kind));
  }
}
