package io.pinpipe.pipelines.s3;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.archive.GenerationProgress;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.services.LocalProcess;
import io.pinpipe.pipelines.ChildJob;
import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.CrashPoint;
import io.pinpipe.pipelines.LoopbackOnly;
import io.pinpipe.pipelines.UserErrorOutput;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.batch.ParquetTable;
import io.pinpipe.pipelines.output.OutputFiles;
import io.pinpipe.transforms.results.QueryOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The batch job with its input and output on {@code s3://}, against a real S3-compatible server
 * (S3Mock as its own JVM): everything it writes equals what the same input gives from and to a
 * local directory, under the run folder that {@code _pinpipe.json} names (docs/design.md#outputs);
 * {@code --overwrite} commits a new run and then deletes the earlier run's objects and
 * an unfinished run's, and nothing else; refusing to overwrite or a missing bucket (a user error,
 * status 2) or an unreachable endpoint (status 1) are each one line.
 */
public class BatchOnS3Test {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  /** S3Mock's two connectors and the jobs' sockets stay on loopback. */
  @ClassRule public static final LoopbackOnly LOOPBACK_ONLY = new LoopbackOnly();
  @Rule public final UserErrorOutput stderr = new UserErrorOutput();

  private static final String BUCKET = "lake";
  private static final int EVENTS = 400;
  /** Bad lines per kind: malformed JSON and a JSON array, both dead letters. */
  private static final String BAD_LINES = "{\"index\": 4, \"title\": \n[1, 2, 3]\n";

  private static LocalS3 s3;
  private static Path local;
  /** The committed runs' folders: the local one, and the one downloaded from S3. */
  private static Path localRun;
  private static Path fromS3;
  private static List<String> keysAfter;
  private static ChildJob.Ended crashed;
  private static List<String> keysAfterCrash;
  private static Path runAfterCrash;

  @BeforeClass
  public static void runLocallyAndOnS3() throws Exception {
    s3 = LocalS3.start(TMP.newFolder("s3mock").toPath(), BUCKET);

    Path archive = TMP.newFolder("archive").toPath();
    ArchiveWriter.generate(
        archive, "pinterest", EVENTS, 17, GeneratorSettings.defaults().withDuplicateRate(0.05), 2, 150, GenerationProgress.NONE);
    for (String kind : List.of("pin", "geo", "user")) {
      Path dir = archive.resolve("topics/pinterest." + kind + "/partition=0");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("pinterest." + kind + "+0+9000000000.json"), BAD_LINES);
    }
    s3.upload(archive, BUCKET, "raw");

    local = TMP.getRoot().toPath().resolve("local-out");
    assertEquals(CommandLine.OK, BatchPipeline.run("--tableFormat=parquet", "--input=" + archive, "--output=" + local));
    localRun = OutputFiles.committedRun(local);
    // The S3 output already holds a committed run (as the format of docs/design.md#batch-one-run-committed-in-one-step
    // writes it) and
    // an unfinished one that a killed run left: --overwrite must commit a new run and remove both.
    s3.put(BUCKET, "out/_pinpipe.json", "{\"job\" : \"batch\", \"layout\" : 1, \"committed_run\" : \"runs/run-000001\"}");
    s3.put(BUCKET, "out/runs/run-000001/_SUCCESS", "{\"files\" : {\"results/stale.csv\" : 2}}");
    s3.put(BUCKET, "out/runs/run-000001/results/stale.csv", "a\n");
    s3.put(BUCKET, "out/runs/run-000003/tables/pin/part-00000-of-00002.parquet", "half a table");
    // Beside the output, under the same prefix's parent: never touched.
    s3.put(BUCKET, "out-notes/mine.txt", "mine");
    // A run killed while it deletes the run it replaced: the manifest already names its own run.
    crashed =
        ChildJob.run(
            TMP.newFile(), "batch-removing-previous", -1,
            List.of("-Daws.accessKeyId=local", "-Daws.secretAccessKey=local"),
            concat("batch", s3Args("s3://" + BUCKET + "/raw", "s3://" + BUCKET + "/out", "--overwrite")));
    keysAfterCrash = s3.list(BUCKET, "out");
    runAfterCrash = OutputFiles.committedRun(s3.download(BUCKET, "out", TMP.newFolder("s3-crashed").toPath()));
    assertEquals(
        CommandLine.OK, BatchPipeline.run(s3Args("s3://" + BUCKET + "/raw", "s3://" + BUCKET + "/out", "--overwrite")));
    keysAfter = s3.list(BUCKET, "out");
    fromS3 = OutputFiles.committedRun(s3.download(BUCKET, "out", TMP.newFolder("s3-out").toPath()));
  }

  @AfterClass
  public static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  private static String[] concat(String first, String[] rest) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(rest));
    return all.toArray(new String[0]);
  }

  private static String[] s3Args(String input, String output, String... more) {
    List<String> args = new ArrayList<>(List.of(
        "--tableFormat=parquet",
        "--input=" + input,
        "--output=" + output,
        "--endpoint=" + s3.endpoint(),
        "--awsRegion=" + s3.region(),
        "--s3PathStyleAccess=true"));
    args.addAll(List.of(more));
    return args.toArray(new String[0]);
  }

  @Test
  public void resultsOnS3AreByteIdenticalToALocalRun() throws Exception {
    for (QueryOutput output : QueryOutput.values()) {
      String csv = "results/" + output.outputName() + ".csv";
      assertArrayEquals(csv, Files.readAllBytes(localRun.resolve(csv)), Files.readAllBytes(fromS3.resolve(csv)));
    }
    assertEquals(9, QueryOutput.values().length);
  }

  @Test
  public void summaryCountsEqualALocalRunAndNameTheS3Input() throws Exception {
    JsonNode onS3 = json(fromS3.resolve("summary.json"));
    JsonNode locally = json(localRun.resolve("summary.json"));
    assertEquals(locally.path("kinds"), onS3.path("kinds"));
    assertEquals(locally.path("results"), onS3.path("results"));
    assertTrue(onS3.path("kinds").path("pin").path("cleaned").asLong() > 0);
    assertEquals("s3://" + BUCKET + "/raw", onS3.path("input").asText());
  }

  @Test
  public void parquetTablesOnS3RoundTripWithTheCleanedCounts() throws Exception {
    JsonNode summary = json(fromS3.resolve("summary.json"));
    for (String kind : List.of("pin", "geo", "user")) {
      long cleaned = summary.path("kinds").path(kind).path("cleaned").asLong();
      assertEquals(kind, cleaned, ParquetTable.read(fromS3.resolve("tables/" + kind)).size());
      assertEquals(kind, ParquetTable.read(localRun.resolve("tables/" + kind)).size(), cleaned);
    }
  }

  @Test
  public void badRecordsOnS3AreDeadLettersNamingTheirObject() throws Exception {
    JsonNode summary = json(fromS3.resolve("summary.json"));
    for (String kind : List.of("pin", "geo", "user")) {
      List<String> dead = Files.readAllLines(fromS3.resolve("dead-letter/" + kind + ".jsonl"));
      assertEquals(kind, 2, dead.size());
      assertEquals(kind, 2, summary.path("kinds").path(kind).path("dead_lettered").asLong());
      assertEquals(kind, Files.readAllLines(localRun.resolve("dead-letter/" + kind + ".jsonl")).size(), dead.size());
      for (String line : dead) {
        assertThat(line, containsString("s3://" + BUCKET + "/raw/topics/pinterest." + kind));
      }
    }
  }

  @Test
  public void everyFileOfTheLocalRunIsOnS3() throws Exception {
    assertEquals(relativeFiles(localRun), relativeFiles(fromS3));
  }

  @Test
  public void theCommittedRunsSuccessListsEveryObjectOfItsFolder() throws Exception {
    assertSuccessListsEveryFile(fromS3);
  }

  /**
   * Killed after the commit, while deleting the previous run: readers following the manifest find
   * the new run whole; the previous run is half gone, and the next run removes the rest.
   */
  @Test
  public void aRunKilledAfterItsCommitLeftItsRunWholeAndTheNextRunTidiesUp() throws Exception {
    assertEquals(crashed.stderr, CrashPoint.STATUS, crashed.status);
    assertThat(crashed.stderr, containsString("pinpipe.crashAt: halting at batch-removing-previous"));
    assertEquals("run-000004", runAfterCrash.getFileName().toString());
    assertSuccessListsEveryFile(runAfterCrash);
    assertEquals(relativeFiles(fromS3), relativeFiles(runAfterCrash));
    assertTrue(keysAfterCrash.toString(), keysAfterCrash.contains("runs/run-000001/results/stale.csv"));
    assertTrue(keysAfterCrash.toString(), !keysAfterCrash.contains("runs/run-000001/_SUCCESS"));
    assertTrue(keysAfterCrash.toString(), keysAfterCrash.stream().noneMatch(k -> k.startsWith("runs/run-000003/")));
  }

  private static void assertSuccessListsEveryFile(Path run) throws Exception {
    JsonNode listed = json(run.resolve("_SUCCESS")).path("files");
    List<String> names = new ArrayList<>();
    listed.fieldNames().forEachRemaining(names::add);
    List<String> files = new ArrayList<>(relativeFilesWithTables(run));
    files.remove("_SUCCESS");
    assertEquals(files, names);
    for (String name : names) {
      assertEquals(name, listed.path(name).asLong(), Files.size(run.resolve(name)));
    }
  }

  @Test
  public void withoutOverwriteTheUserErrorIsTheSameLineAsLocally() throws Exception {
    String s3Out = "s3://" + BUCKET + "/out";
    int refusedOnS3 = BatchPipeline.run(s3Args("s3://" + BUCKET + "/raw", s3Out));
    stderr.assertUserError(refusedOnS3, "already holds the results of an earlier run; pass --overwrite");
    String onS3 = stderr.text().strip();

    stderr.reset();
    int refusedLocally = BatchPipeline.run("--tableFormat=parquet", "--input=" + TMP.getRoot().toPath().resolve("archive"), "--output=" + local);
    stderr.assertUserError(refusedLocally, "already holds");
    assertEquals(stderr.text().strip().replace(local.toString(), s3Out), onS3);
  }

  @Test
  public void overwriteCommitsANewRunAndRemovesTheEarlierOnes() throws Exception {
    assertEquals(fromS3.getParent().getParent().resolve("runs/run-000005"), fromS3);
    // The manifest and the committed run's folder, nothing else: no earlier run, no temporary object.
    for (String key : keysAfter) {
      assertTrue(key, key.equals("_pinpipe.json") || key.startsWith("runs/run-000005/"));
    }
    assertEquals(relativeFilesWithTables(fromS3).size() + 1, keysAfter.size());
    assertEquals(List.of("mine.txt"), s3.list(BUCKET, "out-notes"));
    assertThat(Files.readString(fromS3.resolve("summary.json")), containsString("\"kinds\""));
  }

  @Test
  public void aMissingBucketIsOneUserErrorLine() {
    int status = BatchPipeline.run(s3Args("s3://no-such-bucket/raw", "s3://no-such-bucket/out"));
    stderr.assertUserError(status, "cannot list s3://no-such-bucket/raw/topics/pinterest.pin/**");
    assertThat(stderr.text(), containsString("bucket does not exist"));
  }

  @Test
  public void anUnreachableEndpointIsOneErrorLineAndStatusOne() {
    String refused = "http://127.0.0.1:" + LocalProcess.freePort();
    int status =
        BatchPipeline.run(
            "--tableFormat=parquet", "--input=s3://" + BUCKET + "/raw", "--output=s3://" + BUCKET + "/out", "--endpoint=" + refused,
            "--awsRegion=us-east-1", "--s3PathStyleAccess=true");
    stderr.assertEndpointError(status, "cannot list s3://" + BUCKET + "/raw/");
    assertThat(stderr.text(), containsString("Connection refused"));
  }

  private static List<String> relativeFilesWithTables(Path root) throws Exception {
    try (var files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(f -> root.relativize(f).toString()).sorted().collect(Collectors.toList());
    }
  }

  private static List<String> relativeFiles(Path root) throws Exception {
    try (var files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString())
          .filter(f -> !f.startsWith("tables/")) // part names carry a shard count, compared by rows
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static JsonNode json(Path file) throws Exception {
    return new ObjectMapper().readTree(file.toFile());
  }
}
