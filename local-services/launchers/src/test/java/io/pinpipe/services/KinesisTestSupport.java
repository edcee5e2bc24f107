package io.pinpipe.services;

import java.util.Optional;
import org.junit.Assume;

/**
 * The rule of the README's "Tests" for tests that need the local Kinesis endpoint: on a machine without
 * Node or the npm package they skip, saying what to install; under {@code CI=true} they fail.
 */
public final class KinesisTestSupport {
  private KinesisTestSupport() {}

  /** Returns when the endpoint can start; skips the test otherwise, or fails it on CI. */
  public static void assumeEndpointCanStart() {
    Optional<String> reason = KinesisLocal.unavailableReason();
    if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("CI=true, so the Kinesis tests must run: " + reason.get());
    }
    Assume.assumeTrue("skipped: " + reason.orElse(""), reason.isEmpty());
  }

  /**
   * The AWS SDK's default chain must find something to sign with; the local endpoint checks only
   * that requests are signed. Fixed dummy values, never real credentials.
   */
  public static void useDummyKeysForTheLocalEndpoint() {
    System.setProperty("aws.accessKeyId", "local");
    System.setProperty("aws.secretAccessKey", "local");
  }
}
