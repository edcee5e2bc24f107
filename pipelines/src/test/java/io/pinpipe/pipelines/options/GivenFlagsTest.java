package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.pinpipe.pipelines.archive.ArchiveOptions;
import io.pinpipe.pipelines.batch.BatchOptions;
import io.pinpipe.pipelines.streaming.StreamingOptions;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.Test;

/** "Was this flag given?", asked one way for every default the jobs apply unless told otherwise. */
public class GivenFlagsTest {
  private static final List<Class<? extends PipelineOptions>> EVERY_JOB =
      List.of(BatchOptions.class, StreamingOptions.class, ArchiveOptions.class);

  /**
   * Every name the jobs pass to {@link GivenFlags#gave}, with the jobs that ask about it: the
   * defaults each applies only when the command line does not give the option, and the refused
   * credentials option.
   */
  private static final Map<String, List<Class<? extends PipelineOptions>>> ASKED_ABOUT =
      Map.ofEntries(
          Map.entry("appName", EVERY_JOB), // CommandLine
          Map.entry("enforceImmutability", EVERY_JOB), // DirectRunnerDefaults
          Map.entry("enforceEncodability", EVERY_JOB),
          Map.entry("blockOnRun", EVERY_JOB),
          Map.entry("s3ClientFactoryClass", EVERY_JOB), // S3AccessOptions
          Map.entry(CredentialOptions.REFUSED, EVERY_JOB),
          Map.entry("storageLevel", List.of(BatchOptions.class)), // SparkShuffleDefaults
          Map.entry("maxBundleSize", List.of(StreamingOptions.class)), // FlinkStreamingDefaults
          Map.entry("finishBundleBeforeCheckpointing", List.of(StreamingOptions.class)),
          Map.entry("attachedMode", List.of(StreamingOptions.class)),
          Map.entry("checkpointingInterval", List.of(StreamingOptions.class))); // FlinkCheckpoints

  @Test
  public void bothFormsNameTheFlagAndAValueAfterASpaceIsNoFlag() {
    GivenFlags given =
        GivenFlags.in("--storageLevel=MEMORY_ONLY", "--maxBundleSize", "1000", "--blockOnRun", "--appName", "blockOnRunLater");
    assertTrue(given.gave("storageLevel"));
    assertTrue(given.gave("maxBundleSize"));
    assertTrue(given.gave("blockOnRun"));
    assertTrue(given.gave("appName"));
    assertFalse("a value is not a flag", given.gave("1000"));
    assertFalse("a value is not a flag", given.gave("blockOnRunLater"));
  }

  @Test
  public void onlyTheWholeNameCountsNotAPrefixOrAnotherSpelling() {
    GivenFlags given = GivenFlags.in("--checkpointingIntervalMillis=5", "-attachedMode", "--", "maxBundleSize");
    for (String name : List.of("checkpointingInterval", "attachedMode", "maxBundleSize", "")) {
      assertFalse(name, given.gave(name));
    }
  }

  /**
   * A misspelled name asked about is never given, so its default would silently win over the
   * user's choice: each name must be an option the asking job accepts.
   */
  @Test
  public void everyNameAskedAboutIsAnOptionOfTheJobsThatAsk() {
    ASKED_ABOUT.forEach(
        (name, jobs) -> {
          for (Class<? extends PipelineOptions> job : jobs) {
            List<String> options = OptionCatalog.of(job).all().stream().map(OptionCatalog.Option::name).toList();
            assertTrue(job.getSimpleName() + " has no option " + name, options.contains(name));
          }
        });
  }
}
