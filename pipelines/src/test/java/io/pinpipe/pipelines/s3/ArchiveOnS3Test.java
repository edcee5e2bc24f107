package io.pinpipe.pipelines.s3;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.archive.ArchivePipeline;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import io.pinpipe.pipelines.output.OutputFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The archive job from a real Kafka broker to {@code s3://} on S3Mock: the objects it writes are
 * the files, byte for byte and name for name, that the same ranges give in a local directory
 * (dead letters and range records included; the run summaries differ only in the output they
 * name and the time), and batch reads that S3 archive.
 */
public class ArchiveOnS3Test {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final String BUCKET = "lake";
  private static final String PREFIX = "s3arc";
  private static final int POSTS = 150;

  private static LocalS3 s3;
  private static Path local;
  private static Path fromS3;

  @BeforeClass
  public static void archiveLocallyAndToS3() throws Exception {
    s3 = LocalS3.start(TMP.newFolder("s3mock").toPath(), BUCKET);

    KAFKA.createTopics(PREFIX, 2);
    PostGenerator generator = new PostGenerator(23);
    List<GeneratedPost> posts = new ArrayList<>();
    for (int i = 0; i < POSTS; i++) {
      posts.add(generator.next());
    }
    KAFKA.send(PREFIX, posts);
    KAFKA.send(List.of(new ProducerRecord<>(PREFIX + ".pin", 0, null, "not json".getBytes(StandardCharsets.UTF_8))));

    // Two consumer groups read the same ranges: one archives locally, the other to S3.
    local = TMP.newFolder("local-archive").toPath();
    assertEquals(CommandLine.OK, ArchivePipeline.run(args(local.toString(), "local", "--maxRecordsPerFile=60")));
    assertEquals(
        CommandLine.OK,
        ArchivePipeline.run(
            args("s3://" + BUCKET + "/raw", "s3", "--maxRecordsPerFile=60",
                "--endpoint=" + s3.endpoint(), "--awsRegion=" + s3.region(), "--s3PathStyleAccess=true")));
    fromS3 = s3.download(BUCKET, "raw", TMP.newFolder("s3-archive").toPath());
  }

  @AfterClass
  public static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static String[] args(String output, String group, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topicPrefix=" + PREFIX,
        "--output=" + output,
        "--groupId=" + PREFIX + "-" + group));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Test
  public void archivedObjectsEqualTheLocalArchiveFileForFile() throws Exception {
    List<String> files = relativeFiles(local);
    assertEquals(files, relativeFiles(fromS3));
    assertTrue("data files in several chunks: " + files, files.stream().filter(f -> f.startsWith("topics/")).count() >= 6);
    assertTrue("a dead-letter file: " + files, files.stream().anyMatch(f -> f.startsWith("dead-letter/" + PREFIX + ".pin/")));
    assertTrue("range records: " + files, files.stream().filter(f -> f.startsWith("ranges/")).count() >= 6);
    for (String file : files) {
      if (file.equals("archive-summary.json")) {
        continue; // names its own output and time: compared below
      }
      assertArrayEquals(file, Files.readAllBytes(local.resolve(file)), Files.readAllBytes(fromS3.resolve(file)));
    }
    JsonNode localSummary = new ObjectMapper().readTree(local.resolve("archive-summary.json").toFile());
    JsonNode s3Summary = new ObjectMapper().readTree(fromS3.resolve("archive-summary.json").toFile());
    assertEquals("s3://" + BUCKET + "/raw", s3Summary.path("output").asText());
    for (String field : List.of("offsets_written", "archived", "dead_lettered", "written")) {
      assertEquals(field, localSummary.path(field), s3Summary.path(field));
    }
    assertEquals(3L * POSTS + 1, s3Summary.path("offsets_written").asLong());
    assertEquals(1, s3Summary.path("dead_lettered").asLong());
  }

  @Test
  public void noTemporaryObjectIsLeftOnS3() {
    for (String key : s3.list(BUCKET, "raw")) {
      assertTrue(key, !key.contains("/.") && !key.endsWith(".inprogress"));
    }
  }

  /**
   * What a stopped run leaves on S3 (a temporary object, a data object of a chunk it did not
   * record) is removed by the next run, found through the same listing as on a disk; objects of
   * other names are left alone. (The root holds only archive files, as any archive output must, and
   * no manifest yet, so the run adopts it.)
   */
  @Test
  public void leftoversOfAStoppedRunAreRemovedOnS3() throws Exception {
    String stale = "topics/" + PREFIX + ".pin/partition=0/." + PREFIX + ".pin+0+0000000000+0000000059.json.inprogress";
    String uncommitted = "topics/" + PREFIX + ".pin/partition=0/" + PREFIX + ".pin+0+0000000000+0000000009.json";
    List<String> decoys = List.of("topics/" + PREFIX + ".pin/partition=0/.notes.inprogress");
    s3.put(BUCKET, "again/" + stale, "half a line");
    s3.put(BUCKET, "again/" + uncommitted, "{\"index\": 1}\n");
    for (String decoy : decoys) {
      s3.put(BUCKET, "again/" + decoy, "the user's");
    }
    assertEquals(
        CommandLine.OK,
        ArchivePipeline.run(
            args("s3://" + BUCKET + "/again", "again", "--maxRecordsPerFile=60", "--adoptOutput=true",
                "--endpoint=" + s3.endpoint(), "--awsRegion=" + s3.region(), "--s3PathStyleAccess=true")));
    List<String> keys = s3.list(BUCKET, "again");
    assertTrue(keys.toString(), !keys.contains(stale) && !keys.contains(uncommitted));
    assertTrue(keys.toString(), keys.containsAll(decoys));
    List<String> archived = new ArrayList<>(keys);
    archived.removeAll(decoys);
    List<String> expected = new ArrayList<>(relativeFiles(local));
    assertEquals(expected, archived);
  }

  @Test
  public void batchReadsTheArchiveOnS3() throws Exception {
    int status =
        BatchPipeline.run(
            "--tableFormat=parquet", "--input=s3://" + BUCKET + "/raw",
            "--topicPrefix=" + PREFIX,
            "--output=s3://" + BUCKET + "/batch",
            "--endpoint=" + s3.endpoint(),
            "--awsRegion=" + s3.region(),
            "--s3PathStyleAccess=true");
    assertEquals(CommandLine.OK, status);
    Path out = OutputFiles.committedRun(s3.download(BUCKET, "batch", TMP.newFolder("batch").toPath()));
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    for (String kind : List.of("pin", "geo", "user")) {
      assertEquals(kind, POSTS, summary.path("kinds").path(kind).path("read").asLong());
    }
  }

  /** The archive's files, without the run lock's (a local disk has one, an object store none). */
  private static List<String> relativeFiles(Path root) throws Exception {
    try (var files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString())
          .filter(f -> !f.equals("_pinpipe.lock"))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
