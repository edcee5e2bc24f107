package io.pinpipe.emulator;

/** A mistake in the command line: reported as one "error: ..." line and exit status 2. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
