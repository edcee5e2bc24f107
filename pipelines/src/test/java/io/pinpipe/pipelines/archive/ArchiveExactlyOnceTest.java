package io.pinpipe.pipelines.archive;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.emulator.generate.Post;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.PartitionRange;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.kafka.ArchiveContents;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.pipelines.kafka.KafkaFixture.Sent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  private static List<Post> posts(long seed, int first, int count) {
    PostGenerator generator = new PostGenerator(seed);
    List<Post> posts = new ArrayList<>();
    for (int i = 0; i < first + count; i++) {
      Post post = generator.next();
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
  public void testEveryOffsetIsArchivedOnceAcrossRuns() throws Exception {
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
  public void testBrokerRestartMidArchiveThenRerunStaysExactlyOnce() throws Exception {
    String prefix = "restart";
    Path root = tmp.newFolder("archive").toPath();
    KAFKA.createTopics(prefix, 3);
    List<Sent> sent = KAFKA.send(prefix, posts(12, 0, 6_000));

    ArchiveOptions options =
        PipelineOptionsFactory.fromArgs(args(prefix, root)).as(ArchiveOptions.class);
    Map<String, Object> config = KafkaOffsets.clientConfig(options);
    List<PartitionRange> ranges =
        KafkaOffsets.plan(
            config,
            List.of(prefix + ".pin", prefix + ".geo", prefix + ".user"),
            StartPosition.committed(),
            Optional.of(options.getGroupId()));
    ArchivePipeline.Run run = ArchivePipeline.start(options, config, ranges);
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
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      run.finish(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.out.println("the interrupted run finished and committed: " + out);
    } catch (RuntimeException e) {
      System.out.println("the interrupted run failed: " + e);
      List<PartitionRange> again =
          KafkaOffsets.plan(config, List.of(prefix + ".pin", prefix + ".geo", prefix + ".user"),
              StartPosition.committed(), Optional.of(options.getGroupId()));
      assertEquals("a failed run commits nothing", ranges, again);
    }

    assertEquals(0, ArchivePipeline.run(args(prefix, root)));
    assertExactlyOnce(sent, root, 100_000);
  }

  /** Every sent record is in exactly one line, in the right topic, partition and file. */
  static void assertExactlyOnce(List<Sent> sent, Path root, long maxRecordsPerFile) throws Exception {
    Map<String, Sent> byText = new HashMap<>();
    for (Sent s : sent) {
      assertEquals("generated records are unique", null, byText.put(s.text(), s));
    }
    Map<String, Integer> times = new TreeMap<>();
    Map<Path, List<Long>> offsetsByFile = new TreeMap<>();
    for (ArchiveContents.Line line : ArchiveContents.lines(root)) {
      Sent s = byText.get(line.text());
      assertTrue("a line that was never sent: " + line, s != null);
      assertEquals(s.topic(), line.topic());
      assertEquals(s.partition(), line.partition());
      times.merge(s.coordinates(), 1, Integer::sum);
      offsetsByFile.computeIfAbsent(line.file(), f -> new ArrayList<>()).add(s.offset());
    }
    List<String> wrong = new ArrayList<>();
    for (Sent s : sent) {
      int n = times.getOrDefault(s.coordinates(), 0);
      if (n != 1) {
        wrong.add(s.coordinates() + " archived " + n + " times");
      }
    }
    assertEquals("records not archived exactly once", List.of(), wrong);
    for (Map.Entry<Path, List<Long>> file : offsetsByFile.entrySet()) {
      List<Long> offsets = file.getValue();
      List<Long> sorted = new ArrayList<>(offsets);
      sorted.sort(null);
      assertEquals("lines in offset order in " + file.getKey(), sorted, offsets);
      String name = file.getKey().getFileName().toString();
      assertTrue(name, name.endsWith(String.format("+%010d.json", offsets.get(0))));
      assertTrue("file too long: " + file.getKey(), offsets.size() <= maxRecordsPerFile);
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
