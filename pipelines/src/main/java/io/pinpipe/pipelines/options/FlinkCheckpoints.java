package io.pinpipe.pipelines.options;

import io.pinpipe.pipelines.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * {@code --flinkCheckpointDir} and {@code --restoreFromLatestCheckpoint} on FlinkRunner
 * (docs/streaming.md#restarts-what-resumes-where). Checkpoints go to Flink's filesystem state backend under the
 * directory, one folder per job id, and are retained when the job is cancelled or dies (Flink keeps
 * the newest completed one of each job). A restore takes the newest {@code chk-<n>/_metadata} of
 * any job there: by the time it was written, then by its number (a restored job numbers its
 * checkpoints on from the one it restored).
 */
public final class FlinkCheckpoints {
  /** A checkpoint a minute unless {@code --checkpointingInterval} says otherwise. */
  public static final long DEFAULT_INTERVAL_MILLIS = 60_000;

  private FlinkCheckpoints() {}

  /**
   * With {@code --flinkCheckpointDir}, a checkpoint every {@link #DEFAULT_INTERVAL_MILLIS} unless
   * {@code --checkpointingInterval} is given: a default, so the job's validate step sets it. Only
   * called with FlinkRunner.
   */
  public static void intervalUnlessSet(PipelineOptions options, GivenFlags given) {
    if (options.as(FlinkCheckpointOptions.class).getFlinkCheckpointDir() != null && !given.gave("checkpointingInterval")) {
      options.as(FlinkPipelineOptions.class).setCheckpointingInterval(DEFAULT_INTERVAL_MILLIS);
    }
  }

  /**
   * Sets Flink's checkpoint options from ours, creating the directory; returns the checkpoint a run
   * restores from, if {@code --restoreFromLatestCheckpoint}. Only called with FlinkRunner (the
   * Spark cluster jar holds no Flink classes), on options the job's validate step accepted ({@link
   * FlinkCheckpointOptions#check}) and completed ({@link #intervalUnlessSet}).
   */
  public static Optional<Path> apply(PipelineOptions options) {
    FlinkCheckpointOptions ours = options.as(FlinkCheckpointOptions.class);
    if (ours.getFlinkCheckpointDir() == null) {
      return Optional.empty(); // a restore without it was refused by FlinkCheckpointOptions.check
    }
    Path dir = Path.of(ours.getFlinkCheckpointDir()).toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UserError("cannot create --flinkCheckpointDir " + dir + ": " + e.getMessage());
    }
    FlinkPipelineOptions flinkOptions = options.as(FlinkPipelineOptions.class);
    flinkOptions.setStateBackend("filesystem");
    flinkOptions.setStateBackendStoragePath(dir.toUri().toString());
    flinkOptions.setExternalizedCheckpointsEnabled(true);
    flinkOptions.setRetainExternalizedCheckpointsOnCancellation(true);
    if (!ours.getRestoreFromLatestCheckpoint()) {
      return Optional.empty();
    }
    Path latest =
        latest(dir)
            .orElseThrow(
                () ->
                    new UserError(
                        "no retained checkpoint under " + dir + " (no <job id>/chk-<n>/_metadata): start without"
                            + " --restoreFromLatestCheckpoint, from the group's committed offsets"));
    flinkOptions.setSavepointPath(latest.toString());
    FlinkLocalDefaults.restoreFrom(flinkOptions, latest);
    return Optional.of(latest);
  }

  /** The newest {@code <job id>/chk-<n>} folder under {@code dir} that holds its {@code _metadata}. */
  static Optional<Path> latest(Path dir) {
    try (Stream<Path> jobs = Files.list(dir)) {
      List<Path> checkpoints =
          jobs.filter(Files::isDirectory)
              .flatMap(FlinkCheckpoints::checkpointsOf)
              .filter(chk -> Files.isRegularFile(chk.resolve("_metadata")))
              .toList();
      return checkpoints.stream()
          .max(Comparator.comparing((Path chk) -> modified(chk.resolve("_metadata"))).thenComparingLong(FlinkCheckpoints::number));
    } catch (IOException e) {
      throw new UserError("cannot list --flinkCheckpointDir " + dir + ": " + e.getMessage());
    }
  }

  private static Stream<Path> checkpointsOf(Path job) {
    try (Stream<Path> entries = Files.list(job)) {
      return entries.filter(p -> p.getFileName().toString().matches("chk-[0-9]+")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long number(Path checkpoint) {
    return Long.parseLong(checkpoint.getFileName().toString().substring("chk-".length()));
  }
}
