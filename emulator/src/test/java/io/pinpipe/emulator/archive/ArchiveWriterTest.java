package io.pinpipe.emulator.archive;

import io.pinpipe.contract.ArchiveLayout;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.generate.PostGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The archive {@code generate} writes: partitions by row number, files rolled by offset. */
public class ArchiveWriterTest {
  private static final Pattern ROW_NUMBER = Pattern.compile("^\\{\"(?:index|ind)\": (\\d+),");

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void byDefaultEachTopicIsOneFileOfEveryRecordInRowNumberOrder() throws IOException {
    Path root = tmp.getRoot().toPath();
    ArchiveWriteSummary summary =
        ArchiveWriter.generate(root, "pinterest", 250, 42, GeneratorSettings.defaults());

    assertEquals(
        List.of(
            "topics/pinterest.geo/partition=0/pinterest.geo+0+0000000000.json",
            "topics/pinterest.pin/partition=0/pinterest.pin+0+0000000000.json",
            "topics/pinterest.user/partition=0/pinterest.user+0+0000000000.json"),
        files(root));
    assertEquals(250, summary.events());
    assertEquals(0, summary.resent());
    PostGenerator generator = new PostGenerator(42);
    List<GeneratedPost> expected = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      expected.add(generator.next());
    }
    for (RecordKind kind : RecordKind.values()) {
      assertEquals(250, summary.records(kind));
      String text =
          Files.readString(ArchiveLayout.file(root, "pinterest", kind, 0, 0), StandardCharsets.UTF_8);
      String lines = expected.stream().map(p -> p.json(kind) + "\n").collect(Collectors.joining());
      assertEquals("newline after every record, in row-number order", lines, text);
    }
  }

  @Test
  public void partitionsByRowNumberAndRollsFilesByOffset() throws IOException {
    Path root = tmp.getRoot().toPath();
    // rows 1..20 over 3 partitions: partition 0 gets 3,6,..,18 (6), 1 gets 1,4,..,19 (7), 2 gets 7
    ArchiveWriter.generate(
        root, "p", 20, 5, GeneratorSettings.defaults(), 3, 4, GenerationProgress.NONE);

    List<String> expected = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      String topic = "p." + kind.id();
      for (String partitionAndOffset : List.of("0+0000000000", "0+0000000004", "1+0000000000",
          "1+0000000004", "2+0000000000", "2+0000000004")) {
        String partition = partitionAndOffset.substring(0, 1);
        expected.add("topics/" + topic + "/partition=" + partition + "/" + topic + "+"
            + partitionAndOffset + ".json");
      }
    }
    assertEquals(new TreeSet<>(expected), new TreeSet<>(files(root)));

    for (RecordKind kind : RecordKind.values()) {
      for (int partition = 0; partition < 3; partition++) {
        List<Long> rows = new ArrayList<>();
        rows.addAll(rowNumbers(ArchiveLayout.file(root, "p", kind, partition, 0)));
        assertEquals(4, rows.size());
        rows.addAll(rowNumbers(ArchiveLayout.file(root, "p", kind, partition, 4)));
        List<Long> expectedRows = new ArrayList<>();
        for (long r = 1; r <= 20; r++) {
          if (r % 3 == partition) {
            expectedRows.add(r);
          }
        }
        assertEquals(kind + " partition " + partition, expectedRows, rows);
      }
    }
  }

  @Test
  public void negativeRowNumbersGoToFloorModPartitions() throws IOException {
    Path root = tmp.getRoot().toPath();
    try (ArchiveWriter writer = new ArchiveWriter(root, "neg", 4, 100)) {
      writer.write(new GeneratedPost(-1, "{\"index\": -1}", "{\"ind\": -1}", "{\"ind\": -1}"));
      writer.write(new GeneratedPost(6, "{\"index\": 6}", "{\"ind\": 6}", "{\"ind\": 6}"));
    }
    assertEquals(List.of(-1L), rowNumbersLoose(ArchiveLayout.file(root, "neg", RecordKind.PIN, 3, 0)));
    assertEquals(List.of(6L), rowNumbersLoose(ArchiveLayout.file(root, "neg", RecordKind.GEO, 2, 0)));
  }

  @Test
  public void resendsGoToTheirRowsPartitionAndEachRowIsResentAtMostOnce() throws IOException {
    Path root = tmp.getRoot().toPath();
    ArchiveWriteSummary summary =
        ArchiveWriter.generate(
            root, "dup", 1000, 3, GeneratorSettings.defaults().withDuplicateRate(0.2), 2, 100_000,
            GenerationProgress.NONE);

    assertEquals(1000, summary.events());
    assertTrue("resent " + summary.resent(), summary.resent() > 140 && summary.resent() < 260);
    for (RecordKind kind : RecordKind.values()) {
      assertEquals(1000 + summary.resent(), summary.records(kind));
      Map<Long, Integer> copies = new HashMap<>();
      long lines = 0;
      for (int partition = 0; partition < 2; partition++) {
        for (long row : rowNumbers(ArchiveLayout.file(root, "dup", kind, partition, 0))) {
          assertEquals(row % 2, partition);
          copies.merge(row, 1, Integer::sum);
          lines++;
        }
      }
      assertEquals(1000 + summary.resent(), lines);
      assertEquals("every row number 1..1000 present", 1000, copies.size());
      assertEquals(summary.resent(), copies.values().stream().filter(c -> c == 2).count());
      assertTrue(copies.values().stream().allMatch(c -> c <= 2));
    }
  }

  @Test
  public void refusesATopicDirectoryThatHoldsFilesButNotAnotherPrefix() throws IOException {
    Path root = tmp.getRoot().toPath();
    ArchiveWriter.generate(root, "again", 10, 1, GeneratorSettings.defaults());
    try {
      ArchiveWriter.generate(root, "again", 10, 1, GeneratorSettings.defaults());
      fail("a second run over the same topics must be refused");
    } catch (FileAlreadyExistsException expected) {
      assertTrue(expected.getMessage(), expected.getMessage().contains("again.pin"));
    }
    // another prefix under the same root is another set of topics
    ArchiveWriter.generate(root, "other", 10, 1, GeneratorSettings.defaults());
    assertEquals(6, files(root).size());
  }

  @Test
  public void progressIsReportedOnceForEveryFreshEventInOrder() throws IOException {
    List<Long> reported = new ArrayList<>();
    ArchiveWriter.generate(
        tmp.getRoot().toPath(), "progress", 50, 1, GeneratorSettings.defaults().withDuplicateRate(0.5),
        1, 100, (fresh, total) -> {
          assertEquals(50, total);
          if (reported.isEmpty() || reported.get(reported.size() - 1) != fresh) {
            reported.add(fresh);
          }
        });
    List<Long> expected = new ArrayList<>();
    for (long i = 1; i <= 50; i++) {
      expected.add(i);
    }
    assertEquals(expected, reported);
  }

  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static List<Long> rowNumbers(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertTrue(file + " ends with a newline", text.endsWith("\n"));
    List<Long> rows = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (line.isEmpty()) {
        continue;
      }
      Matcher m = ROW_NUMBER.matcher(line);
      assertTrue(line, m.find());
      rows.add(Long.parseLong(m.group(1)));
    }
    return rows;
  }

  private static List<Long> rowNumbersLoose(Path file) throws IOException {
    List<Long> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      rows.add(Long.parseLong(line.replaceAll("[^-0-9]", "")));
    }
    return rows;
  }
}
