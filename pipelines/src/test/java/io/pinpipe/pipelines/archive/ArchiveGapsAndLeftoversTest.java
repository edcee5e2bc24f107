package io.pinpipe.pipelines.archive;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.PostGenerator;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets.PartitionOffsets;
import io.pinpipe.pipelines.io.kafka.KafkaOffsets;
import io.pinpipe.pipelines.io.kafka.StartPosition;
import io.pinpipe.pipelines.kafka.ArchiveContents;
import io.pinpipe.pipelines.kafka.KafkaFixture.Sent;
import io.pinpipe.pipelines.kafka.KafkaFixture;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The archive, not the group's offsets, says what is archived: a run goes on from the archive's
 * own records when the group's offsets expired or are wrong, removes what a stopped run left
 * (temporary files, files of chunks it did not record) and nothing else, refuses an archive of an
 * earlier version, and reports offsets that retention removed before they were archived (exit 3
 * until {@code --allowGaps} records them).
 */
public class ArchiveGapsAndLeftoversTest {
  @ClassRule public static final KafkaFixture KAFKA = new KafkaFixture();
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A run's exit status and what it printed. */
  private record Result(int status, String out, String err) {}

  private static Result archive(String prefix, Path root, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--bootstrapServers=" + KAFKA.bootstrapServers(),
        "--topicPrefix=" + prefix,
        "--output=" + root,
        "--groupId=" + prefix + "-archive"));
    args.addAll(List.of(more));
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
    try {
      int status = ArchivePipeline.run(args.toArray(new String[0]));
      return new Result(status, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static List<GeneratedPost> posts(PostGenerator generator, int count) {
    List<GeneratedPost> posts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      posts.add(generator.next());
    }
    return posts;
  }

  private static List<PartitionOffsets> groupOffsets(String prefix) {
    return KafkaOffsets.offsets(
        Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
        List.of(prefix + ".pin", prefix + ".geo", prefix + ".user"), StartPosition.earliest(),
        Optional.of(prefix + "-archive"));
  }

  @Test
  public void expiredOrWrongGroupOffsetsYieldToTheArchiveAndAreSetRight() throws Exception {
    String prefix = "expired";
    KAFKA.createTopics(prefix, 2);
    Path root = tmp.newFolder("archive").toPath();
    PostGenerator generator = new PostGenerator(31);
    List<Sent> sent = new ArrayList<>(KAFKA.send(prefix, posts(generator, 300)));
    assertEquals(CommandLine.OK, archive(prefix, root, "--maxRecordsPerFile=45").status());

    // The group's offsets expire (offsets.retention.minutes): as if the group never committed.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin.deleteConsumerGroups(List.of(prefix + "-archive")).all().get();
    }
    sent.addAll(KAFKA.send(prefix, posts(generator, 120)));
    assertEquals(CommandLine.OK, archive(prefix, root, "--maxRecordsPerFile=1000", "--startFrom=committed").status());
    ArchiveExactlyOnceTest.assertExactlyOnce(sent, root, 1000);

    // Offsets committed far behind the archive: the archive wins, and the group is set right.
    KafkaOffsets.commit(
        Map.of("bootstrap.servers", KAFKA.bootstrapServers()), prefix + "-archive",
        Map.of(new TopicPartition(prefix + ".pin", 0), 5L));
    Result again = archive(prefix, root, "--maxRecordsPerFile=7");
    assertEquals(again.err(), CommandLine.OK, again.status());
    assertTrue(again.out(), again.out().contains("archive: nothing new in expired.pin, expired.geo, expired.user"));
    ArchiveExactlyOnceTest.assertExactlyOnce(sent, root, 1000);
    for (PartitionOffsets p : groupOffsets(prefix)) {
      assertEquals(p.toString(), Optional.of(p.end()), p.committed());
    }
  }

  @Test
  public void leftoversOfAStoppedRunAreRemovedAndNothingElse() throws Exception {
    String prefix = "leftover";
    KAFKA.createTopics(prefix, 1);
    Path root = tmp.newFolder("archive").toPath();
    PostGenerator generator = new PostGenerator(32);
    List<Sent> sent = new ArrayList<>(KAFKA.send(prefix, posts(generator, 200)));
    assertEquals(CommandLine.OK, archive(prefix, root, "--maxRecordsPerFile=50", "--dailyFolders=false").status());

    // As a run killed after renaming chunk [50, 99]'s data file and before recording it would
    // leave it, plus temporary files of this version and the earlier one.
    Path partition = root.resolve("topics/leftover.pin/partition=0");
    Files.delete(root.resolve("ranges/leftover.pin/partition=0/leftover.pin+0+0000000050+0000000099.json"));
    List<Path> stale = List.of(
        partition.resolve(".leftover.pin+0+0000000200+0000000249.json.inprogress"),
        partition.resolve(".leftover.pin+0+0000000200.json.inprogress"),
        root.resolve("ranges/leftover.geo/partition=0/.leftover.geo+0+0000000200+0000000249.json.inprogress"));
    for (Path f : stale) {
      Files.writeString(f, "half");
    }
    // Files of other names inside the archive's folders (a file at the root that is not the
    // archive's would make the run refuse the output before touching anything: OwnedOutputTest).
    List<Path> decoys = List.of(
        partition.resolve(".notes.inprogress"),
        root.resolve("topics/leftover.pin/.leftover.geo+0+0000000000+0000000049.json.inprogress"),
        root.resolve("dead-letter/leftover.pin/mine.jsonl"));
    for (Path f : decoys) {
      Files.createDirectories(f.getParent());
      Files.writeString(f, "the user's");
    }

    sent.addAll(KAFKA.send(prefix, posts(generator, 20)));
    Result rerun = archive(prefix, root, "--maxRecordsPerFile=30", "--dailyFolders=false");
    assertEquals(rerun.err(), CommandLine.OK, rerun.status());
    assertTrue(
        rerun.out(),
        rerun.out().contains("archive: removed 3 temporary file(s) and 1 file(s) of chunks a stopped run did not commit"));
    for (Path f : stale) {
      assertFalse(f.toString(), Files.exists(f));
    }
    for (Path f : decoys) {
      assertEquals(f.toString(), "the user's", Files.readString(f));
    }
    // The hole is written again in chunks of the new size; the rest is untouched.
    Set<String> pinFiles = Files.list(partition).map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    assertEquals(
        Set.of(".notes.inprogress",
            "leftover.pin+0+0000000000+0000000049.json", "leftover.pin+0+0000000050+0000000079.json",
            "leftover.pin+0+0000000080+0000000099.json", "leftover.pin+0+0000000100+0000000149.json",
            "leftover.pin+0+0000000150+0000000199.json", "leftover.pin+0+0000000200+0000000219.json"),
        pinFiles);
    Files.delete(partition.resolve(".notes.inprogress"));
    Files.delete(root.resolve("topics/leftover.pin/.leftover.geo+0+0000000000+0000000049.json.inprogress"));
    ArchiveExactlyOnceTest.assertExactlyOnce(sent, root, 50);
    JsonNode summary = JSON.readTree(root.resolve("archive-summary.json").toFile());
    assertEquals(3, summary.path("removed_temporary_files").asInt());
    assertEquals(1, summary.path("removed_uncommitted_files").asInt());
    // [50, 99] of pin and the 20 new offsets of each topic; [100, 199] of pin was read again, not written.
    assertEquals(50 + 3 * 20, summary.path("offsets_written").asLong());
    assertEquals(100, summary.path("read_again_already_archived").asLong());
  }

  @Test
  public void anArchiveOfAnEarlierVersionIsRefusedUntouched() throws Exception {
    String prefix = "earlier";
    KAFKA.createTopics(prefix, 1);
    KAFKA.send(prefix, posts(new PostGenerator(33), 10));
    Path root = tmp.newFolder("archive").toPath();
    Path old = root.resolve("topics/earlier.pin/partition=0/earlier.pin+0+0000000000.json");
    Path temp = root.resolve("topics/earlier.pin/partition=0/.earlier.pin+0+0000000010.json.inprogress");
    Files.createDirectories(old.getParent());
    Files.writeString(old, "{\"index\": 1}\n");
    Files.writeString(temp, "half");
    // No manifest: refused as an earlier version's output; adopted, refused for its file names.
    Result unowned = archive(prefix, root);
    assertEquals(unowned.err(), CommandLine.USAGE, unowned.status());
    assertTrue(unowned.err(), unowned.err().contains("holds the files of an earlier version of pinpipe"));
    Result result = archive(prefix, root, "--adoptOutput=true");
    assertEquals(result.err(), CommandLine.USAGE, result.status());
    assertEquals(
        "error: " + root + " holds 1 file(s) named by their first offset only, such as"
            + " earlier.pin+0+0000000000.json (written by `generate` or an earlier archive version), which"
            + " this archive has no record of; archive into a new --output\n",
        result.err());
    assertTrue(Files.exists(old) && Files.exists(temp));
    assertEquals(List.of(old, temp).stream().sorted().toList(), ArchiveContents.files(root, "topics").stream().sorted().toList());
  }

  @Test
  public void offsetsRemovedBeforeTheyWereArchivedAreAGapUntilAllowed() throws Exception {
    String prefix = "gaps";
    KAFKA.createTopics(prefix, 1);
    Path root = tmp.newFolder("archive").toPath();
    PostGenerator generator = new PostGenerator(34);
    List<Sent> sent = new ArrayList<>(KAFKA.send(prefix, posts(generator, 100)));
    assertEquals(CommandLine.OK, archive(prefix, root, "--maxRecordsPerFile=40").status());
    sent.addAll(KAFKA.send(prefix, posts(generator, 100)));
    // Retention removes pin's offsets up to 149 before the archive has run again.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin.deleteRecords(Map.of(new TopicPartition("gaps.pin", 0), RecordsToDelete.beforeOffset(150))).all().get();
    }
    String gapLine =
        "archive: gap: offsets [100, 149] of gaps.pin/0 (50) were removed by Kafka's retention before they"
            + " were archived: the log now begins at 150";
    String error =
        "error: 50 offset(s) in 1 gap(s) were removed by Kafka's retention before they were archived (listed"
            + " above and in " + root + "/archive-summary.json); everything still in the log is archived. Pass"
            + " --allowGaps=true to record the gaps in the archive and go on";

    Result first = archive(prefix, root, "--maxRecordsPerFile=40");
    assertEquals(first.err(), CommandLine.GAPS, first.status());
    assertTrue(first.out(), first.out().contains(gapLine + "\n"));
    assertTrue(first.err(), first.err().contains(error + "\n"));
    JsonNode summary = JSON.readTree(root.resolve("archive-summary.json").toFile());
    assertEquals(3, summary.path("exit_status").asInt());
    assertEquals(250, summary.path("offsets_written").asLong()); // pin [150, 199], geo and user [100, 199]
    JsonNode gap = summary.path("gaps").get(0);
    assertEquals(1, summary.path("gaps").size());
    assertEquals("gaps.pin", gap.path("topic").asText());
    assertEquals(100, gap.path("first_offset").asLong());
    assertEquals(149, gap.path("last_offset").asLong());
    assertEquals(150, gap.path("earliest_in_log").asLong());
    assertFalse(gap.path("recorded").asBoolean());
    // Everything still in the log is archived, once; pin's [100, 149] is not.
    List<Sent> kept = sent.stream()
        .filter(s -> !(s.topic().equals("gaps.pin") && s.offset() >= 100 && s.offset() < 150))
        .toList();
    ArchiveExactlyOnceTest.assertAtMostOnce(sent, root);
    assertEquals(kept.size(), ArchiveContents.lines(root).size());

    // The gap stays reported, run after run, until the user allows it.
    Result again = archive(prefix, root);
    assertEquals(again.err(), CommandLine.GAPS, again.status());
    assertTrue(again.out(), again.out().contains(gapLine + "\n"));

    Result allowed = archive(prefix, root, "--allowGaps=true");
    assertEquals(allowed.err(), CommandLine.OK, allowed.status());
    assertTrue(allowed.out(), allowed.out().contains(gapLine + "\n"));
    JsonNode record = JSON.readTree(
        root.resolve("ranges/gaps.pin/partition=0/gaps.pin+0+0000000100+0000000149.gap.json").toFile());
    assertEquals(150, record.path("next_offset").asLong());
    assertTrue(JSON.readTree(root.resolve("archive-summary.json").toFile()).path("gaps").get(0).path("recorded").asBoolean());

    Result after = archive(prefix, root);
    assertEquals(after.err(), CommandLine.OK, after.status());
    assertFalse(after.out(), after.out().contains("archive: gap:"));
    assertEquals(0, JSON.readTree(root.resolve("archive-summary.json").toFile()).path("gaps").size());
    assertEquals(kept.size(), ArchiveContents.lines(root).size());
  }
}
