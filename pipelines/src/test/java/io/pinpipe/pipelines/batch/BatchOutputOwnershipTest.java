package io.pinpipe.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserErrorOutput;
import io.pinpipe.pipelines.archive.ArchivePipeline;
import io.pinpipe.pipelines.output.OutputFiles;
import io.pinpipe.pipelines.streaming.StreamingPipeline;
import io.pinpipe.transforms.clean.RowNumberBuckets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Each job refuses, as one line and exit status 2, an output it does not own, and touches nothing
 * there; batch's --overwrite replaces what batch wrote and only that (docs/design.md#outputs).
 * Decoy files stand for a user's own files; each test compares every byte before and after.
 */
public class BatchOutputOwnershipTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  @Rule public final UserErrorOutput stderr = new UserErrorOutput();

  private static final String[] RESULTS = {
    "top_category_by_country", "top_category_by_year", "top_user_by_country", "top_country_by_user_followers",
    "top_category_by_age_group", "median_followers_by_age_group", "users_joined_by_year",
    "median_followers_by_join_year", "median_followers_by_age_group_and_join_year"
  };

  private Path archive() throws Exception {
    return new ArchiveFixture(tmp.newFolder("archive").toPath())
        .file("pin", 0, ArchiveFixture.pin(1, "art", "10k", "Ann") + "\n")
        .file("geo", 0, ArchiveFixture.geo(1, "Chile", "2020-01-01 00:00:00") + "\n")
        .file("user", 0, ArchiveFixture.user(1, "Ann", "Lee", 30, "2016-01-01 00:00:00") + "\n")
        .root();
  }

  private static Path write(Path root, String relative, String text) throws Exception {
    Path file = root.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  /** The files an earlier version of batch left: results, tables, dead letters, summary, report. */
  private Path earlierVersionOutput(String name) throws Exception {
    Path out = tmp.getRoot().toPath().resolve(name);
    for (String result : RESULTS) {
      write(out, "results/" + result + ".csv", "old " + result + "\n");
    }
    write(out, "tables/pin/part-00000-of-00001.parquet", "old table");
    write(out, "dead-letter/pin.jsonl", "{\"old\": 1}\n");
    write(out, "summary.json", "{\"old\": true}");
    write(out, "report.html", "<html>old</html>");
    return out;
  }

  private void assertRefused(Map<String, String> untouched, Path root, String message, String... args) throws Exception {
    stderr.reset();
    // The output's own checks, on the plain Parquet layout (this test's archives have no dt= days).
    String[] withFormat = java.util.stream.Stream.concat(java.util.stream.Stream.of("--tableFormat=parquet"), java.util.Arrays.stream(args))
        .toArray(String[]::new);
    stderr.assertUserError(BatchPipeline.run(withFormat), message);
    assertEquals(untouched, OutputFiles.snapshot(root));
  }

  @Test
  public void decoysInANewOutputAreRefusedAndKept() throws Exception {
    Path input = archive();
    Path out = tmp.getRoot().toPath().resolve("out");
    write(out, "results/top_category_by_year.csv", "mine\n");
    write(out, "my-notes.txt", "mine");
    Map<String, String> before = OutputFiles.snapshot(out);
    for (String options : List.of("--overwrite=false", "--overwrite", "--overwrite --adoptOutput")) {
      List<String> args = new java.util.ArrayList<>(List.of("--input=" + input, "--output=" + out));
      args.addAll(List.of(options.split(" ")));
      assertRefused(before, out, "output " + out + " holds my-notes.txt, which batch did not write",
          args.toArray(new String[0]));
    }
    Files.delete(out.resolve("my-notes.txt"));
    write(out, "results/notes.txt", "mine");
    assertRefused(OutputFiles.snapshot(out), out, "holds results/notes.txt, which batch did not write",
        "--input=" + input, "--output=" + out, "--overwrite", "--adoptOutput");
  }

  @Test
  public void anArchiveRootIsNeverBatchsOutput() throws Exception {
    Path raw = archive();
    // The archive job's own dead letters: once Kafka's retention has passed, the only copy.
    write(raw, "dead-letter/pinterest.pin/partition=0/pinterest.pin+0+0000000000.jsonl", "{\"reason\": \"not JSON\"}\n");
    Map<String, String> before = OutputFiles.snapshot(raw);
    Path other = tmp.newFolder("other-archive").toPath();
    Files.copy(raw.resolve("topics").resolve("pinterest.pin").resolve("partition=0").resolve("pinterest.pin+0+0000000000.json"),
        Files.createDirectories(other.resolve("x")).resolve("y.json"));

    assertRefused(before, raw, "--output and --input are the same folder " + raw,
        "--input=" + raw, "--output=" + raw, "--overwrite", "--adoptOutput");
    assertRefused(before, raw, "--output=" + raw.resolve("results") + " is inside --input=" + raw,
        "--input=" + raw, "--output=" + raw.resolve("results"), "--overwrite");
    assertRefused(before, raw, "--output=" + raw.getParent() + " holds --input=" + raw,
        "--input=" + raw, "--output=" + raw.getParent(), "--overwrite");
    // An archive an earlier version wrote (no manifest), as the output of a run reading another input.
    assertRefused(before, raw, "output " + raw + " holds dead-letter/pinterest.pin/partition=0/pinterest.pin+0+0000000000.jsonl",
        "--input=" + archiveCopy(raw), "--output=" + raw, "--overwrite", "--adoptOutput");

    // Once the archive job has claimed it, the message names the archive job.
    stderr.reset();
    stderr.assertUserError(
        ArchivePipeline.run("--bootstrapServers=127.0.0.1:9", "--output=" + raw),
        "output " + raw + " holds the files of an earlier version of pinpipe, which wrote no _pinpipe.json: pass --adoptOutput");
    assertEquals(before, OutputFiles.snapshot(raw));
    Files.writeString(raw.resolve("_pinpipe.json"), "{\"job\" : \"archive\", \"layout\" : 1}");
    before = OutputFiles.snapshot(raw);
    assertRefused(before, raw, "output " + raw + " belongs to the archive job (see its _pinpipe.json); give batch another --output",
        "--input=" + archiveCopy(raw), "--output=" + raw, "--overwrite", "--adoptOutput");
    assertRefused(before, raw, "is inside the output of the archive job at " + raw,
        "--input=" + archiveCopy(raw), "--output=" + raw.resolve("dead-letter"), "--overwrite");
    stderr.reset();
    stderr.assertUserError(
        StreamingPipeline.run("--source=kinesis", "--output=" + raw, "--overwrite"), "belongs to the archive job");
    assertEquals(before, OutputFiles.snapshot(raw));
  }

  private Path archiveCopy(Path raw) throws Exception {
    Path copy = tmp.getRoot().toPath().resolve("copy");
    if (!Files.exists(copy)) {
      for (Map.Entry<String, String> f : OutputFiles.snapshot(raw.resolve("topics")).entrySet()) {
        write(copy.resolve("topics"), f.getKey(), f.getValue());
      }
    }
    return copy;
  }

  @Test
  public void theDiskIsRefusedBeforeAnythingIsListed() throws Exception {
    Path input = archive();
    stderr.assertUserError(BatchPipeline.run("--tableFormat=parquet", "--input=" + input, "--output=/", "--overwrite"), "--output=/ is the whole disk");
  }

  @Test
  public void anEarlierVersionsOutputIsAdoptedOnlyWhenAsked() throws Exception {
    Path input = archive();
    Path out = earlierVersionOutput("old");
    Map<String, String> before = OutputFiles.snapshot(out);
    assertRefused(before, out,
        "output " + out + " holds the files of an earlier version of pinpipe, which wrote no _pinpipe.json: pass"
            + " --adoptOutput to let batch own them (and replace them with --overwrite), or remove them",
        "--input=" + input, "--output=" + out, "--overwrite");
  }

  /**
   * An adopted output is replaced by a committed run; a user's file put among the committed run's
   * files or beside them stops the next run; without them --overwrite replaces the run and leaves
   * nothing else.
   */
  @Test
  public void overwriteReplacesWhatBatchWroteAndNothingElse() throws Exception {
    Path input = archive();
    Path out = earlierVersionOutput("out");
    Path beside = write(tmp.getRoot().toPath(), "beside/mine.csv", "mine");

    assertEquals(stderr.text(), CommandLine.OK,
        BatchPipeline.run("--tableFormat=parquet", "--input=" + input, "--output=" + out, "--overwrite", "--adoptOutput"));
    assertEquals(out.resolve("runs/run-000001"), OutputFiles.committedRun(out));
    assertEquals(expectedListing(1), listing(out));
    assertThat(Files.readString(out.resolve("summary.json")), containsString("\"read\" : 1"));
    assertEquals("post_year,number_users_joined\n2016,1\n", Files.readString(out.resolve("results/users_joined_by_year.csv")));

    Map<String, String> committed = OutputFiles.snapshot(out);
    // Into the committed run's folder, through the results link: named like a result, still not batch's.
    write(out, "results/my_numbers.csv", "mine");
    assertRefused(OutputFiles.snapshot(out), out, "output " + out + " holds runs/run-000001/results/my_numbers.csv, which batch did not write",
        "--input=" + input, "--output=" + out, "--overwrite");
    Files.delete(out.resolve("results/my_numbers.csv"));
    write(out, "notes/todo.txt", "mine");
    assertRefused(OutputFiles.snapshot(out), out, "holds notes/todo.txt, which batch did not write",
        "--input=" + input, "--output=" + out, "--overwrite");
    Files.delete(out.resolve("notes/todo.txt"));
    Files.delete(out.resolve("notes"));
    assertEquals(committed, OutputFiles.snapshot(out));
    assertRefused(committed, out, "output " + out + " already holds the results of an earlier run; pass --overwrite",
        "--input=" + input, "--output=" + out);

    stderr.reset();
    assertEquals(stderr.text(), CommandLine.OK, BatchPipeline.run("--tableFormat=parquet", "--input=" + input, "--output=" + out, "--overwrite"));
    assertEquals(expectedListing(2), listing(out));
    assertEquals("mine", Files.readString(beside));
    assertEquals(
        Files.readString(out.resolve("runs/run-000002/results/users_joined_by_year.csv")),
        Files.readString(out.resolve("results/users_joined_by_year.csv")));
  }

  /** Everything under {@code out}: files, links (as "name -> target") and folders (as "name/"). */
  private static List<String> listing(Path out) throws Exception {
    try (var paths = Files.walk(out)) {
      return paths
          .filter(p -> !p.equals(out))
          .map(p -> out.relativize(p) + (Files.isSymbolicLink(p) ? " -> " + readLink(p) : Files.isDirectory(p) ? "/" : ""))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static String readLink(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** An output with one committed run, {@code run-00000<n>}, and nothing else: no temporary file or folder. */
  private static List<String> expectedListing(int n) {
    String run = "runs/run-00000" + n;
    TreeMap<String, String> all = new TreeMap<>();
    for (String link : List.of("results", "tables", "dead-letter", "summary.json", "report.html", "_SUCCESS")) {
      all.put(link + " -> current/" + link, "");
    }
    all.put("current -> " + run, "");
    all.put("_pinpipe.json", "");
    all.put("_pinpipe.lock", ""); // the run lock's file (it stays; the lock goes with the process)
    all.put("runs/", "");
    all.put(run + "/", "");
    for (String folder : List.of("results/", "tables/", "tables/pin/", "tables/geo/", "tables/user/", "dead-letter/")) {
      all.put(run + "/" + folder, "");
    }
    for (String result : RESULTS) {
      all.put(run + "/results/" + result + ".csv", "");
    }
    for (String kind : List.of("pin", "geo", "user")) {
      // One file per row-number bucket and chunk: row number 1 is all there is.
      all.put(run + "/tables/" + kind + "/part-" + RowNumberBuckets.of(1) + "-0.parquet", "");
      all.put(run + "/dead-letter/" + kind + ".jsonl", "");
    }
    for (String file : List.of("summary.json", "report.html", "_SUCCESS")) {
      all.put(run + "/" + file, "");
    }
    return List.copyOf(all.keySet());
  }

  @Test
  public void aRunThatFailsLeavesThePreviousOutputAsItWas() throws Exception {
    Path out = tmp.getRoot().toPath().resolve("out");
    assertEquals(CommandLine.OK, BatchPipeline.run("--tableFormat=parquet", "--input=" + archive(), "--output=" + out));
    Map<String, String> before = OutputFiles.snapshot(out);
    Path blank =
        new ArchiveFixture(tmp.newFolder("blank").toPath()).file("pin", 0, "\n").file("geo", 0, " \n").file("user", 0, "\n").root();
    stderr.reset();
    stderr.assertUserError(BatchPipeline.run("--tableFormat=parquet", "--input=" + blank, "--output=" + out, "--overwrite"), "no input records");
    assertEquals(before, OutputFiles.snapshot(out));
    assertFalse(Files.exists(out.resolve("runs/run-000002")));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }
}
