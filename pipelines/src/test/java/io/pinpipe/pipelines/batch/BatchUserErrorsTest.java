package io.pinpipe.pipelines.batch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.pinpipe.pipelines.CommandLine;
import io.pinpipe.pipelines.UserErrorOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every user error of docs/semantics.md gives exit status 2 and one clear line, never a stack trace. */
public class BatchUserErrorsTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Rule public UserErrorOutput stderr = new UserErrorOutput();

  private void assertUserError(int status, String expectedMessagePart) {
    stderr.assertUserError(status, expectedMessagePart);
  }

  private ArchiveFixture completeArchive() throws Exception {
    return new ArchiveFixture(tmp.newFolder("archive").toPath())
        .file("pin", 0, ArchiveFixture.pin(1, "art", "10k", "Ann") + "\n")
        .file("geo", 0, ArchiveFixture.geo(1, "Chile", "2020-01-01 00:00:00") + "\n")
        .file("user", 0, ArchiveFixture.user(1, "Ann", "Lee", 30, "2016-01-01 00:00:00") + "\n");
  }

  @Test
  public void credentialsGivenAsAnOptionAreRefusedWithoutBeingEchoed() {
    int status = BatchPipeline.run("--input=s3://raw/", "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\"notASecret\"", "--output=" + tmp.getRoot() + "/out");
    assertUserError(
        status,
        "--awsCredentialsProvider is not accepted: credentials come from the AWS SDK's default chain"
            + " (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, or an instance or"
            + " container role), never from options, whose values Beam logs");
    org.junit.Assert.assertFalse(stderr.text(), stderr.text().contains("notASecret"));
  }

  @Test
  public void optionsThatContradictEachOtherAreRefusedWithTheirOwnMessage() throws Exception {
    String input = completeArchive().root().toString();
    String output = "--output=" + tmp.getRoot() + "/out";
    assertUserError(
        BatchPipeline.run("--input=" + input, output, "--maxRecordBytes=0"), "error: --maxRecordBytes must be positive");
    stderr.reset();
    assertUserError(
        BatchPipeline.run("--input=" + input, output, "--startFrom=earliest"),
        "error: --startFrom applies to Kafka input (--bootstrapServers), not to --input");
    assertFalse(Files.exists(Path.of(tmp.getRoot() + "/out")));
  }

  @Test
  public void noInputAtAll() {
    int status = BatchPipeline.run("--output=" + tmp.getRoot() + "/out");
    assertUserError(
        status,
        "give either --input (the raw archive) or --bootstrapServers (read Kafka directly), one of"
            + " them is required");
  }

  @Test
  public void archiveAndKafkaInputTogether() {
    int status =
        BatchPipeline.run(
            "--input=" + tmp.getRoot(), "--bootstrapServers=127.0.0.1:9", "--output=" + tmp.getRoot() + "/out");
    assertUserError(status, "not both");
  }

  @Test
  public void icebergTablesByDefaultWithoutADayFromFilesOutsideDayFolders() throws Exception {
    // Without --date each row's ingestion_date is its file's dt= day: this archive's files have none.
    // Iceberg is the default, so no --tableFormat: the message names the way out.
    java.nio.file.Path out = tmp.getRoot().toPath().resolve("out");
    ArchiveFixture archive = completeArchive();
    int status = BatchPipeline.run("--input=" + archive.root(), "--output=" + out);
    // The first file listed of the first kind, pin's.
    assertUserError(
        status,
        "Iceberg tables (--tableFormat=iceberg, the default) without --date: no dt=<YYYY-MM-DD> folder in " + archive.root()
            + "/topics/pinterest.pin/partition=0/pinterest.pin+0+0000000000.json: a record's ingestion_date is its file's dt= day;"
            + " put the files under dt=<YYYY-MM-DD>/ folders (the archive job does), or give --tableFormat=parquet for plain"
            + " Parquet tables, which need no day");
    assertFalse("nothing written", java.nio.file.Files.exists(out));
  }

  @Test
  public void icebergTablesWithoutADayFromADayFolderThatIsNoDay() throws Exception {
    java.nio.file.Path out = tmp.getRoot().toPath().resolve("out");
    Path root = tmp.newFolder("archive").toPath();
    Path file = null;
    for (String kind : new String[] {"pin", "geo", "user"}) {
      Path f = root.resolve("topics/pinterest." + kind + "/dt=2026-02-30/partition=0/pinterest." + kind + "+0+0000000000.json");
      Files.createDirectories(f.getParent());
      Files.writeString(f, ArchiveFixture.pin(1, "art", "10k", "Ann") + "\n");
      file = file == null ? f : file;
    }
    int status = BatchPipeline.run("--input=" + root, "--output=" + out, "--tableFormat=iceberg");
    assertUserError(
        status,
        "Iceberg tables (--tableFormat=iceberg, the default) without --date: dt=2026-02-30 in " + file + " is not a day YYYY-MM-DD;"
            + " put the files under dt=<YYYY-MM-DD>/ folders (the archive job does), or give --tableFormat=parquet for plain"
            + " Parquet tables, which need no day");
    assertFalse("nothing written", java.nio.file.Files.exists(out));
  }

  @Test
  public void icebergTablesFromKafkaTakeNoDate() {
    // From Kafka a row's ingestion_date is its record's arrival day (BatchFromKafkaIcebergTest): no --date.
    int status =
        BatchPipeline.run(
            "--bootstrapServers=127.0.0.1:9", "--output=" + tmp.getRoot() + "/out", "--tableFormat=iceberg", "--date=2026-11-23");
    assertUserError(status, "--date selects an archive day; with Kafka input use --startFrom=<instant>");
  }

  @Test
  public void icebergTablesForADayThatIsNot() throws Exception {
    int status =
        BatchPipeline.run(
            "--input=" + completeArchive().root(), "--output=" + tmp.getRoot() + "/out", "--tableFormat=iceberg", "--date=2026-02-30");
    assertUserError(status, "--date must be a day YYYY-MM-DD, got '2026-02-30'");
  }

  @Test
  public void anUnknownTableFormat() throws Exception {
    int status =
        BatchPipeline.run(
            "--input=" + completeArchive().root(), "--output=" + tmp.getRoot() + "/out", "--tableFormat=delta", "--date=2024-01-01");
    assertUserError(status, "--tableFormat must be iceberg or parquet, got 'delta'");
  }

  @Test
  public void aWarehouseForParquetTables() throws Exception {
    int status =
        BatchPipeline.run(
            "--input=" + completeArchive().root(), "--output=" + tmp.getRoot() + "/out", "--warehouse=" + tmp.getRoot() + "/w", "--tableFormat=parquet");
    assertUserError(status, "--warehouse and --catalogUri are for --tableFormat=iceberg");
  }

  @Test
  public void aCatalogForParquetTables() throws Exception {
    int status =
        BatchPipeline.run(
            "--input=" + completeArchive().root(), "--output=" + tmp.getRoot() + "/out", "--catalogUri=jdbc:sqlite:x.db", "--tableFormat=parquet");
    assertUserError(status, "--warehouse and --catalogUri are for --tableFormat=iceberg");
  }

  /** A port that was free a moment ago: a broker there refuses the connection. */
  private static int portNobodyListensOn() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  public void icebergTablesFromKafkaFromAnInstantAreRefusedBeforeKafkaIsAsked() throws Exception {
    // The options alone are wrong (BatchOptions.validate): said so, not that no broker answers.
    int port = portNobodyListensOn();
    int status =
        BatchPipeline.run(
            "--bootstrapServers=127.0.0.1:" + port, "--output=" + tmp.getRoot() + "/out", "--startFrom=2026-11-23T00:00:00Z");
    assertUserError(
        status,
        "--startFrom=2026-11-23T00:00:00Z with Iceberg tables: a run from Kafka replaces each day it read, so it reads"
            + " the whole log (--startFrom=earliest, the default); give --tableFormat=parquet to read part of it");
  }

  @Test
  public void kafkaBrokerNotReachable() throws Exception {
    int port = portNobodyListensOn();
    int status =
        BatchPipeline.run("--bootstrapServers=127.0.0.1:" + port, "--output=" + tmp.getRoot() + "/out");
    stderr.assertEndpointError(status, "cannot connect to Kafka: 127.0.0.1:" + port + " (Connection refused)");
  }

  @Test
  public void missingInputDirectory() {
    int status =
        BatchPipeline.run("--input=" + tmp.getRoot() + "/nowhere", "--output=" + tmp.getRoot() + "/out");
    assertUserError(status, "no input: found no files under " + tmp.getRoot() + "/nowhere/topics/");
  }

  @Test
  public void emptyInputDirectory() throws Exception {
    Path empty = tmp.newFolder("empty").toPath();
    int status = BatchPipeline.run("--input=" + empty, "--output=" + tmp.getRoot() + "/out", "--tableFormat=parquet");
    assertUserError(status, "no input: found no files");
  }

  @Test
  public void kindWithNoFiles() throws Exception {
    ArchiveFixture archive =
        new ArchiveFixture(tmp.newFolder("archive").toPath())
            .file("pin", 0, ArchiveFixture.pin(1, "art", "10k", "Ann") + "\n")
            .file("geo", 0, ArchiveFixture.geo(1, "Chile", "2020-01-01 00:00:00") + "\n");
    int status = BatchPipeline.run("--input=" + archive.root(), "--output=" + tmp.getRoot() + "/out", "--tableFormat=parquet");
    assertUserError(status, "no files for record kind user (" + archive.root() + "/topics/pinterest.user/)");
  }

  @Test
  public void wrongTopicPrefixFindsNothing() throws Exception {
    ArchiveFixture archive = completeArchive();
    int status =
        BatchPipeline.run(
            "--input=" + archive.root(), "--output=" + tmp.getRoot() + "/out", "--topicPrefix=other", "--tableFormat=parquet");
    assertUserError(status, "check --input and --topicPrefix");
  }

  @Test
  public void onlyEmptyFiles() throws Exception {
    ArchiveFixture archive =
        new ArchiveFixture(tmp.newFolder("archive").toPath())
            .file("pin", 0, "")
            .file("geo", 0, "")
            .file("user", 0, "");
    int status = BatchPipeline.run("--input=" + archive.root(), "--output=" + tmp.getRoot() + "/out", "--tableFormat=parquet");
    assertUserError(status, "no input records: all 3 input files are empty");
  }

  @Test
  public void onlyBlankLines() throws Exception {
    ArchiveFixture archive =
        new ArchiveFixture(tmp.newFolder("archive").toPath())
            .file("pin", 0, "\n\n")
            .file("geo", 0, "  \n")
            .file("user", 0, "\r\n");
    int status = BatchPipeline.run("--input=" + archive.root(), "--output=" + tmp.getRoot() + "/out", "--tableFormat=parquet");
    assertUserError(status, "no input records");
  }

  @Test
  public void outputOfAnEarlierVersionIsRefusedUnlessAdoptedAndOverwritten() throws Exception {
    ArchiveFixture archive = completeArchive();
    Path out = tmp.getRoot().toPath().resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("summary.json"), "{}");

    int refused = BatchPipeline.run("--input=" + archive.root(), "--output=" + out, "--overwrite", "--tableFormat=parquet");
    assertUserError(refused, "holds the files of an earlier version of pinpipe, which wrote no _pinpipe.json: pass --adoptOutput");
    assertEquals("{}", Files.readString(out.resolve("summary.json")));

    stderr.reset();
    int adoptedOnly = BatchPipeline.run("--input=" + archive.root(), "--output=" + out, "--adoptOutput", "--tableFormat=parquet");
    assertUserError(adoptedOnly, "already holds the results of an earlier run; pass --overwrite to replace them");
    assertEquals("{}", Files.readString(out.resolve("summary.json")));
    assertFalse("a refused run writes nothing", Files.exists(out.resolve("_pinpipe.json")));

    stderr.reset();
    int replaced = BatchPipeline.run("--input=" + archive.root(), "--output=" + out, "--adoptOutput", "--overwrite", "--tableFormat=parquet");
    assertEquals(stderr.text(), CommandLine.OK, replaced);
    assertThat(Files.readString(out.resolve("summary.json")), containsString("\"read\" : 1"));
  }

  @Test
  public void unknownOption() throws Exception {
    int status =
        BatchPipeline.run("--input=" + tmp.getRoot(), "--output=" + tmp.getRoot(), "--colour=blue");
    assertUserError(status, "colour");
  }

  @Test
  public void missingRequiredOption() {
    int status = BatchPipeline.run("--input=" + tmp.getRoot());
    assertUserError(status, "--output");
  }

  @Test
  public void badDate() throws Exception {
    int status =
        BatchPipeline.run("--input=" + tmp.getRoot(), "--output=" + tmp.getRoot() + "/o", "--date=yesterday");
    assertUserError(status, "--date must be a day YYYY-MM-DD, got 'yesterday'");
  }
}
