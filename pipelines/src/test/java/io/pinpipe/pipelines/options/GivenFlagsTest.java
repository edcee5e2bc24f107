package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.pinpipe.pipelines.archive.ArchiveOptions;
import io.pinpipe.pipelines.batch.BatchOptions;
import io.pinpipe.pipelines.streaming.StreamingOptions;
import java.util.List;
import org.junit.Test;

/** "Was this flag given?", asked one way for every default the jobs apply unless told otherwise. */
public class GivenFlagsTest {
  /** Every option whose default a job applies only when the command line does not give it. */
  private static final List<String> ASKED_ABOUT =
      List.of(
          "appName", "enforceImmutability", "enforceEncodability", "blockOnRun", "storageLevel", "maxBundleSize",
          "finishBundleBeforeCheckpointing", "attachedMode", "checkpointingInterval", "s3ClientFactoryClass",
          CredentialOptions.REFUSED);

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
   * The jobs used to ask whether any argument started with {@code --<name>}. Once the command line
   * is checked every argument names a known option, so that asked the same as the whole name does
   * as long as no option's name begins with another's that is asked about: true of every job.
   */
  @Test
  public void noOptionNameBeginsWithANameAskedAbout() {
    for (Class<? extends org.apache.beam.sdk.options.PipelineOptions> job :
        List.of(BatchOptions.class, StreamingOptions.class, ArchiveOptions.class)) {
      List<String> longer =
          OptionCatalog.of(job).all().stream()
              .map(OptionCatalog.Option::name)
              .filter(name -> ASKED_ABOUT.stream().anyMatch(asked -> name.startsWith(asked) && !name.equals(asked)))
              .toList();
      assertEquals(job.getSimpleName(), List.of(), longer);
    }
  }
}
