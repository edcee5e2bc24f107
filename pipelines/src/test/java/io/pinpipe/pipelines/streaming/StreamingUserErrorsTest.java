package io.pinpipe.pipelines.streaming;

import io.pinpipe.services.KafkaBroker;
import io.pinpipe.services.LocalProcess;
import io.pinpipe.pipelines.UserErrorOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Assert;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Mistakes in the streaming job's settings: one line, exit status 2, nothing started. */
public class StreamingUserErrorsTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();
  @Rule public UserErrorOutput stderr = new UserErrorOutput();

  private void assertOneLineError(int status, String expected) {
    stderr.assertUserError(status, "error: " + expected);
  }

  @Test
  public void credentialsGivenAsAnOptionAreRefusedWithoutBeingEchoed() {
    assertOneLineError(
        StreamingPipeline.run("--source=kinesis", "--awsCredentialsProvider={\"@type\":\"StaticCredentialsProvider\",\"accessKeyId\":\"AKIDEXAMPLE\",\"secretAccessKey\":\"notASecret\"", "--output=" + tmp.getRoot()),
        "--awsCredentialsProvider is not accepted: credentials come from the AWS SDK's default chain"
            + " (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, or an instance or"
            + " container role), never from options, whose values Beam logs");
    org.junit.Assert.assertFalse(stderr.text(), stderr.text().contains("notASecret"));
  }

  /** Runs the job with {@code args} (and an output) and expects exactly {@code message}, then clears stderr. */
  private void refuses(String message, String... args) {
    String[] withOutput = java.util.Arrays.copyOf(args, args.length + 1);
    withOutput[args.length] = "--output=" + tmp.getRoot().toPath().resolve("out");
    assertOneLineError(StreamingPipeline.run(withOutput), message);
    stderr.reset();
  }

  @Test
  public void optionsThatContradictEachOtherAreRefusedWithTheirOwnMessage() {
    Path checkpoints = tmp.getRoot().toPath().resolve("checkpoints");
    refuses("--maxRecordBytes must be positive", "--source=kinesis", "--maxRecordBytes=0");
    refuses(
        "--flinkCheckpointDir and --restoreFromLatestCheckpoint apply to --runner=FlinkRunner",
        "--source=kinesis", "--flinkCheckpointDir=" + checkpoints);
    refuses(
        "--restoreFromLatestCheckpoint does not apply with Iceberg tables, the default (from Kafka it would write records"
            + " twice: Beam 2.62's restored Kafka read, docs/streaming.md); start without it: the job resumes exactly"
            + " once from the tables' positions (or give --tableFormat=parquet for plain files, restored at least once)",
        "--source=kafka", "--runner=FlinkRunner", "--flinkCheckpointDir=" + checkpoints, "--restoreFromLatestCheckpoint");
    Assert.assertFalse(Files.exists(checkpoints));
  }

  @Test
  public void aBadWindowOnFlinkIsRefusedBeforeTheCheckpointDirectoryIsCreated() {
    Path checkpoints = tmp.getRoot().toPath().resolve("checkpoints");
    refuses(
        "window, early firing and allowed lateness must not be negative",
        "--source=kinesis", "--runner=FlinkRunner", "--flinkCheckpointDir=" + checkpoints, "--windowSeconds=-1");
    Assert.assertFalse(Files.exists(checkpoints));
  }

  @Test
  public void aMissingSourceIsAOneLineError() {
    assertOneLineError(
        StreamingPipeline.run("--output=" + tmp.getRoot()), "--source is required: kafka or kinesis");
  }

  @Test
  public void anUnknownSourceIsNamedInItsError() {
    assertOneLineError(
        StreamingPipeline.run("--source=pubsub", "--output=" + tmp.getRoot()),
        "--source must be kafka or kinesis, got 'pubsub'");
  }

  @Test
  public void aGlobalWindowWithoutARecordOrTimeBoundIsRefused() {
    assertOneLineError(
        StreamingPipeline.run("--source=kinesis", "--windowSeconds=0", "--output=" + tmp.getRoot()),
        "--windowSeconds=0 (one global window) writes results only when the input ends: give"
            + " --maxRecordsPerStream or --maxReadSeconds too");
  }

  @Test
  public void negativeLatenessOrAssemblyWaitIsRefused() {
    assertOneLineError(
        StreamingPipeline.run("--source=kinesis", "--allowedLatenessSeconds=-5", "--output=" + tmp.getRoot()),
        "window, early firing and allowed lateness must not be negative");
    stderr.reset();
    assertOneLineError(
        StreamingPipeline.run("--source=kinesis", "--assemblyWaitSeconds=-1", "--output=" + tmp.getRoot()),
        "--assemblyWaitSeconds must not be negative");
  }

  @Test
  public void aKafkaOptionWithAKinesisSourceIsRefused() {
    assertOneLineError(
        StreamingPipeline.run("--source=kinesis", "--bootstrapServers=127.0.0.1:9092", "--output=" + tmp.getRoot()),
        "--bootstrapServers applies to --source=kafka, not kinesis");
  }

  @Test
  public void aKinesisStartThatIsNoInstantIsRefusedWithTheFormsItTakes() {
    assertOneLineError(
        StreamingPipeline.run("--source=kinesis", "--startFrom=yesterday", "--tableFormat=parquet", "--output=" + tmp.getRoot()),
        "--startFrom for Kinesis must be earliest, latest or an ISO-8601 instant like 2026-11-23T00:00:00Z, got 'yesterday'");
  }

  @Test
  public void icebergTablesRefuseStartsTheyCannotKeepAndNoCommitInterval() {
    // Without --tableFormat: Iceberg is the default, and these are its refusals.
    assertOneLineError(
        StreamingPipeline.run("--source=kinesis", "--startFrom=latest", "--output=" + tmp.getRoot()),
        "--startFrom=latest with --source=kinesis and Iceberg tables: the tables number each shard's records from the"
            + " stream's trim horizon, so the job always reads from there (docs/iceberg.md); leave out --startFrom"
            + " (earliest) or give --tableFormat=parquet");
    stderr.reset();
    assertOneLineError(
        StreamingPipeline.run("--source=kafka", "--startFrom=committed", "--output=" + tmp.getRoot()),
        "--startFrom=committed with Iceberg tables: it says where fresh tables start, earliest (the default) or latest"
            + " (the partitions' end offsets when the job starts); a restart resumes from the tables' positions; give"
            + " --tableFormat=parquet to start from the group's offsets or an instant");
    stderr.reset();
    assertOneLineError(
        StreamingPipeline.run("--source=kafka", "--startFrom=2026-11-23T00:00:00Z", "--output=" + tmp.getRoot()),
        "--startFrom=2026-11-23T00:00:00Z with Iceberg tables: it says where fresh tables start, earliest (the default)"
            + " or latest (the partitions' end offsets when the job starts); a restart resumes from the tables'"
            + " positions; give --tableFormat=parquet to start from the group's offsets or an instant");
    stderr.reset();
    assertOneLineError(
        StreamingPipeline.run("--source=kafka", "--tableFormat=iceberg", "--commitSeconds=0", "--output=" + tmp.getRoot()),
        "--commitSeconds must be at least 1");
  }

  @Test
  public void aBrokerThatDoesNotListenIsAnEndpointError() throws Exception {
    int port = LocalProcess.freePort(); // found on loopback: a test opens no port to other machines
    stderr.assertEndpointError(
        StreamingPipeline.run("--source=kafka", "--bootstrapServers=127.0.0.1:" + port, "--output=" + tmp.getRoot()),
        "error: cannot connect to Kafka: 127.0.0.1:" + port + " (Connection refused)");
  }

  @Test
  public void aKinesisEndpointThatDoesNotListenIsAnEndpointError() {
    int port = LocalProcess.freePort(); // found on loopback: a test opens no port to other machines
    stderr.assertEndpointError(
        StreamingPipeline.run(
            "--source=kinesis", "--endpoint=http://127.0.0.1:" + port, "--awsRegion=us-east-1", "--output=" + tmp.getRoot()),
        "error: cannot connect to Kinesis at http://127.0.0.1:" + port + ": Connection refused");
  }
}
