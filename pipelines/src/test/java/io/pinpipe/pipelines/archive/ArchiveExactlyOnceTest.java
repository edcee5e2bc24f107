package io.pinpipe.pipelines.archive;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.kafka.ArchiveContents;
import io.pinpipe.pipelines.kafka.KafkaFixture.Sent;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.pipelines.output.JobFiles;
import io.pinpipe.pipelines.output.OwnedOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The archive is exactly once: every (topic, partition, offset) is in exactly one archive line,
 * after clean runs, after runs with nothing new, and after a run during which the broker was
 * stopped and restarted. The check maps lines back to offsets by content (every generated record
 * is unique), never by de-duplicating results, so a duplicated line fails it.
 */
public class ArchiveExactlyOnceTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static List<GeneratedPost> posts(long seed, int first, int count) {
    PostGenerator generator = new PostGenerator(seed);
    List<GeneratedPost> posts = new ArrayList<>();
    for (int i = 0; i < first + count; i++) {
      GeneratedPost post = generator.next();
      if (i >= first) {
        posts.add(post);
      }
    }
    return posts;
  }

  private String[] args(String prefix, Path root, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topicPrefix=" + prefix,
        "--output=" + root,
        "--groupId=" + prefix + "-archive"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Test
  public void everyOffsetIsArchivedOnceAcrossRunsAndNoFileIsRewritten() throws Exception {
    String prefix = "once";
    Path root = tmp.newFolder("archive").toPath();
    KAFKA.createTopics(prefix, 2);
    List<Sent> sent = new ArrayList<>(KAFKA.send(prefix, posts(11, 0, 300)));

    assertEquals(0, ArchivePipeline.run(args(prefix, root, "--maxRecordsPerFile=100")));
    assertExactlyOnce(sent, root, 100);

    // Nothing new: no run, no file touched.
    Map<Path, String> before = snapshot(root);
    assertEquals(0, ArchivePipeline.run(args(prefix, root, "--maxRecordsPerFile=100")));
    assertEquals(before, snapshot(root));

    sent.addAll(KAFKA.send(prefix, posts(11, 300, 150)));
    assertEquals(0, ArchivePipeline.run(args(prefix, root, "--maxRecordsPerFile=100")));
    assertExactlyOnce(sent, root, 100);
    Map<Path, String> after = snapshot(root);
    for (Map.Entry<Path, String> file : before.entrySet()) {
      assertEquals("rewritten: " + file.getKey(), file.getValue(), after.get(file.getKey()));
    }
  }

  @Test
  public void aBrokerRestartMidArchiveThenARerunStaysExactlyOnce() throws Exception {
    String prefix = "restart";
    Path root = tmp.newFolder("archive").toPath();
    KAFKA.createTopics(prefix, 3);
    List<Sent> sent = KAFKA.send(prefix, posts(12, 0, 6_000));

    ArchiveOptions options =
        PipelineOptionsFactory.fromArgs(args(prefix, root)).as(ArchiveOptions.class);
    Map<String, Object> config = KafkaOffsets.clientConfig(options);
    // As the archive command does before its first run: the output becomes the archive's.
    OwnedOutput.claim(JobFiles.ARCHIVE, root.toString(), List.of(), false).own().close();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    ArchivePipeline.Run run = ArchivePipeline.start(options, config, StartPosition.earliest(), print);
    // Stop the broker while the run reads: at its first reported record, or 1.5 s in (the
    // DirectRunner reports records only when a bundle of them is done).
    long seen = 0;
    for (int i = 0; i < 30 && seen == 0; i++) {
      Thread.sleep(50);
      seen = run.recordsChecked();
    }
    KAFKA.stop();
    System.out.println("broker stopped after " + seen + " of " + sent.size() + " records were read");
    Thread.sleep(2_000);
    KAFKA.restart();
    try {
      run.finish(print);
      System.out.println("the interrupted run finished and committed: " + out);
    } catch (RuntimeException e) {
      System.out.println("the interrupted run failed: " + e);
      assertAtMostOnce(sent, root);
    }

    assertEquals(0, ArchivePipeline.run(args(prefix, root)));
    assertExactlyOnce(sent, root, 100_000);
  }

  /** Every sent record is in exactly one line, in the right topic, partition and file. */
  static void assertExactlyOnce(List<Sent> sent, Path root, long maxRecordsPerFile) throws Exception {
    Map<String, Integer> times = timesArchived(sent, ArchiveContents.lines(root), maxRecordsPerFile);
    List<String> wrong = new ArrayList<>();
    for (Sent s : sent) {
      int n = times.getOrDefault(s.coordinates(), 0);
      if (n != 1) {
        wrong.add(s.coordinates() + " archived " + n + " times");
      }
    }
    assertEquals("records not archived exactly once", List.of(), wrong);
    assertRangesCoverEveryOffsetOnce(sent, root);
  }

  /**
   * After a run was killed: no record is in two final files (temporary files, which batch never
   * reads, are passed over).
   */
  static void assertAtMostOnce(List<Sent> sent, Path root) throws Exception {
    Map<String, Integer> times = timesArchived(sent, ArchiveContents.lines(root, true), Long.MAX_VALUE);
    List<String> twice = new ArrayList<>();
    times.forEach((coordinates, n) -> {
      if (n > 1) {
        twice.add(coordinates + " archived " + n + " times");
      }
    });
    assertEquals("records archived more than once", List.of(), twice);
  }

  /** How many lines hold each sent record, checking each line's topic, partition, file and order. */
  private static Map<String, Integer> timesArchived(
      List<Sent> sent, List<ArchiveContents.Line> lines, long maxRecordsPerFile) {
    Map<String, Sent> byText = new HashMap<>();
    for (Sent s : sent) {
      assertEquals("generated records are unique", null, byText.put(s.text(), s));
    }
    Map<String, Integer> times = new TreeMap<>();
    Map<Path, List<Long>> offsetsByFile = new TreeMap<>();
    for (ArchiveContents.Line line : lines) {
      Sent s = byText.get(line.text());
      assertTrue("a line that was never sent: " + line, s != null);
      assertEquals(s.topic(), line.topic());
      assertEquals(s.partition(), line.partition());
      assertTrue(line.file() + " holds offset " + s.offset(), line.chunkFirst() <= s.offset() && s.offset() <= line.chunkLast());
      assertTrue("chunk too long: " + line.file(), line.chunkLast() - line.chunkFirst() + 1 <= maxRecordsPerFile);
      times.merge(s.coordinates(), 1, Integer::sum);
      offsetsByFile.computeIfAbsent(line.file(), f -> new ArrayList<>()).add(s.offset());
    }
    for (Map.Entry<Path, List<Long>> file : offsetsByFile.entrySet()) {
      List<Long> sorted = new ArrayList<>(file.getValue());
      sorted.sort(null);
      assertEquals("lines in offset order in " + file.getKey(), sorted, file.getValue());
    }
    return times;
  }

  /**
   * The archive of each partition that was sent begins at 0, and its range records cover its
   * offsets from there to its last sent offset exactly once, with no record beyond it.
   */
  static void assertRangesCoverEveryOffsetOnce(List<Sent> sent, Path root) throws Exception {
    Map<String, Long> end = new TreeMap<>();
    for (Sent s : sent) {
      end.merge(s.topic() + "/" + s.partition(), s.offset() + 1, Math::max);
    }
    Map<String, TreeMap<Long, Long>> ranges = new TreeMap<>();
    java.util.regex.Pattern name = java.util.regex.Pattern.compile("(.+)\\+(\\d+)\\+(\\d{10,})\\+(\\d{10,})\\.json");
    java.util.regex.Pattern begin = java.util.regex.Pattern.compile("(.+)\\+(\\d+)\\+(\\d{10,})\\.begin\\.json");
    Map<String, Long> begins = new TreeMap<>();
    for (Path f : ArchiveContents.files(root, "ranges")) {
      java.util.regex.Matcher b = begin.matcher(f.getFileName().toString());
      if (b.matches()) {
        assertEquals("two begin records: " + f, null, begins.put(b.group(1) + "/" + b.group(2), Long.parseLong(b.group(3))));
        continue;
      }
      java.util.regex.Matcher m = name.matcher(f.getFileName().toString());
      assertTrue("unexpected file under ranges/: " + f, m.matches());
      TreeMap<Long, Long> partition = ranges.computeIfAbsent(m.group(1) + "/" + m.group(2), k -> new TreeMap<>());
      assertEquals("two records start at the same offset: " + f, null,
          partition.put(Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
    }
    for (Map.Entry<String, Long> p : end.entrySet()) {
      assertEquals("the archive of " + p.getKey() + " begins at 0", Long.valueOf(0), begins.get(p.getKey()));
      long next = 0;
      for (Map.Entry<Long, Long> r : ranges.getOrDefault(p.getKey(), new TreeMap<>()).entrySet()) {
        assertEquals("the records of " + p.getKey() + " continue at " + next, next, (long) r.getKey());
        next = r.getValue() + 1;
      }
      assertEquals("the records of " + p.getKey() + " end at its last offset", (long) p.getValue(), next);
    }
  }

  private static Map<Path, String> snapshot(Path root) throws Exception {
    Map<Path, String> files = new TreeMap<>();
    for (Path f : ArchiveContents.files(root, "topics")) {
      files.put(f, Files.readString(f));
    }
    return files;
  }
}
