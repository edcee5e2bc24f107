package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Test;

public class DirectRunnerDefaultsTest {

  private static DirectOptions applied(String... args) {
    DirectOptions options = PipelineOptionsFactory.fromArgs(args).create().as(DirectOptions.class);
    DirectRunnerDefaults.applyUnlessSet(options, GivenFlags.in(args));
    return options;
  }

  @Test
  public void perElementChecksAreOffUnlessAskedFor() {
    DirectOptions defaults = applied("--runner=DirectRunner");
    assertFalse(defaults.isEnforceImmutability());
    assertFalse(defaults.isEnforceEncodability());
  }

  @Test
  public void checksAskedForStayOn() {
    DirectOptions asked =
        applied("--runner=DirectRunner", "--enforceImmutability=true", "--enforceEncodability=true");
    assertTrue(asked.isEnforceImmutability());
    assertTrue(asked.isEnforceEncodability());
  }
}
