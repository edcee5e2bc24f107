package io.pinpipe.pipelines;

/**
 * A mistake the user can fix (a bad option, a missing input, an output that already holds results).
 * The command prints its message as one line and exits with status 2, without a stack trace.
 */
public final class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }
}
