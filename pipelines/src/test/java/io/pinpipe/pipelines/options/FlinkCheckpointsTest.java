package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.pinpipe.pipelines.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code --flinkCheckpointDir} and the restart from its newest checkpoint (docs/streaming.md#restarting-flinkrunner-from-its-latest-checkpoint). */
public class FlinkCheckpointsTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  public interface Options extends FlinkCheckpointOptions, FlinkPipelineOptions {}

  private static Options options(String... args) {
    Options options = PipelineOptionsFactory.fromArgs(args).as(Options.class);
    FlinkLocalDefaults.applyUnlessSet(options, Map.of());
    return options;
  }

  private static Path checkpoint(Path dir, String job, int number, long modifiedMillis) throws Exception {
    Path chk = Files.createDirectories(dir.resolve(job).resolve("chk-" + number));
    Path metadata = Files.writeString(chk.resolve("_metadata"), "m");
    Files.setLastModifiedTime(metadata, FileTime.fromMillis(modifiedMillis));
    return chk;
  }

  @Test
  public void theDirectoryGetsRetainedCheckpointsEverySixtySecondsUnlessTold() {
    String dir = tmp.getRoot().toPath().resolve("checkpoints").toString();
    String[] args = {"--runner=FlinkRunner", "--flinkCheckpointDir=" + dir};
    Options options = options(args);
    FlinkCheckpoints.intervalUnlessSet(options, GivenFlags.in(args));
    assertEquals(Optional.empty(), FlinkCheckpoints.apply(options));
    assertEquals("filesystem", options.getStateBackend());
    assertEquals(Path.of(dir).toUri().toString(), options.getStateBackendStoragePath());
    assertTrue(options.isExternalizedCheckpointsEnabled());
    assertTrue(options.getRetainExternalizedCheckpointsOnCancellation());
    assertEquals(Long.valueOf(60_000), options.getCheckpointingInterval());
    assertTrue(Files.isDirectory(Path.of(dir)));

    String[] given = {"--runner=FlinkRunner", "--flinkCheckpointDir=" + dir, "--checkpointingInterval=1000"};
    Options withInterval = options(given);
    FlinkCheckpoints.intervalUnlessSet(withInterval, GivenFlags.in(given));
    FlinkCheckpoints.apply(withInterval);
    assertEquals(Long.valueOf(1_000), withInterval.getCheckpointingInterval());
  }

  @Test
  public void aRestoreSetsTheNewestCompleteCheckpointAsTheEmbeddedClustersSavepoint() throws Exception {
    Path dir = tmp.newFolder("checkpoints").toPath();
    checkpoint(dir, "job-a", 7, 1_000_000);
    Path newest = checkpoint(dir, "job-b", 9, 2_000_000); // a restored job numbers on from 8
    checkpoint(dir, "job-b", 3, 1_500_000);
    Files.createDirectories(dir.resolve("job-b").resolve("chk-10")); // in progress: no _metadata
    String[] args = {"--runner=FlinkRunner", "--flinkCheckpointDir=" + dir, "--restoreFromLatestCheckpoint"};
    Options options = options(args);

    assertEquals(Optional.of(newest), FlinkCheckpoints.apply(options));
    assertEquals(newest.toString(), options.getSavepointPath());
    org.apache.flink.configuration.Configuration loaded =
        org.apache.flink.configuration.GlobalConfiguration.loadConfiguration(options.getFlinkConfDir());
    assertEquals(newest.toString(), loaded.getString("execution.savepoint.path", null));
    assertEquals("127.0.0.1", loaded.getString("jobmanager.bind-host", null));
  }

  @Test
  public void aRestoreWithoutACheckpointOrDirectoryIsAOneLineUserError() throws Exception {
    Path empty = tmp.newFolder("empty").toPath();
    String[] args = {"--runner=FlinkRunner", "--flinkCheckpointDir=" + empty, "--restoreFromLatestCheckpoint"};
    UserError none = assertThrows(UserError.class, () -> FlinkCheckpoints.apply(options(args)));
    assertTrue(none.getMessage(), none.getMessage().startsWith("no retained checkpoint under " + empty));

    // Without a directory the options alone are wrong: the job's validate step refuses them.
    UserError missing =
        assertThrows(
            UserError.class,
            () -> FlinkCheckpointOptions.check(options("--runner=FlinkRunner", "--restoreFromLatestCheckpoint")));
    assertTrue(missing.getMessage(), missing.getMessage().contains("needs --flinkCheckpointDir"));
  }

  @Test
  public void aRemoteMasterGetsTheSavepointAndAnOwnConfigIsToldTheLineToAdd() throws Exception {
    Path dir = tmp.newFolder("checkpoints").toPath();
    Path chk = checkpoint(dir, "job", 4, 1_000_000);
    String[] remote = {"--runner=FlinkRunner", "--flinkMaster=jobmanager:8081", "--flinkCheckpointDir=" + dir, "--restoreFromLatestCheckpoint"};
    Options options = options(remote);
    FlinkCheckpoints.apply(options);
    assertEquals(chk.toString(), options.getSavepointPath());

    String[] own = {"--runner=FlinkRunner", "--flinkConfDir=/etc/flink", "--flinkCheckpointDir=" + dir, "--restoreFromLatestCheckpoint"};
    UserError error = assertThrows(UserError.class, () -> FlinkCheckpoints.apply(options(own)));
    assertTrue(error.getMessage(), error.getMessage().contains("execution.savepoint.path: " + chk));
  }
}
