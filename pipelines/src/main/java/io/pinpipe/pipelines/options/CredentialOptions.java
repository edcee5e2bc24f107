package io.pinpipe.pipelines.options;

import io.pinpipe.pipelines.UserError;

/**
 * Credentials are never options: Beam records option values in the job graph and its logs, and
 * would take keys in {@code --awsCredentialsProvider}'s JSON (Iceberg's S3FileIO would not even use
 * it). The AWS SDK's default chain finds them (environment, profile, instance or container role).
 */
public final class CredentialOptions {
  /** Beam's option that would carry AWS keys; refused by every job and left out of its help. */
  public static final String REFUSED = "awsCredentialsProvider";

  private CredentialOptions() {}

  /**
   * Refuses {@code --awsCredentialsProvider} before anything parses the arguments, so that no
   * parser's error message (a malformed JSON value, say) can print the keys.
   */
  public static void refuse(String[] args) {
    if (GivenFlags.in(args).gave(REFUSED)) {
      throw new UserError(
          "--awsCredentialsProvider is not accepted: credentials come from the AWS SDK's default chain"
              + " (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE and ~/.aws, or an instance or"
              + " container role), never from options, whose values Beam logs");
    }
  }
}
