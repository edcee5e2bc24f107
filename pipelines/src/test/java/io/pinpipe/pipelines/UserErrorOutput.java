package io.pinpipe.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.rules.ExternalResource;

/**
 * Captures what a job prints on stderr during a test and checks the error contract: exactly one
 * "error: ..." line, never a stack trace, with exit status 2 for a user error and 1 for an
 * endpoint that cannot be reached. Progress lines the job printed before it found the mistake (a
 * batch run whose input held no records) are not part of the error, and are left out.
 */
public final class UserErrorOutput extends ExternalResource {
  private static final Pattern PROGRESS = Pattern.compile("(batch|archive): [\\d.]+ s; .*");

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @Override
  protected void before() {
    originalErr = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Override
  protected void after() {
    System.setErr(originalErr);
  }

  public String text() {
    return err.toString(StandardCharsets.UTF_8);
  }

  public void reset() {
    err.reset();
  }

  public void assertUserError(int status, String expectedMessagePart) {
    assertOneLine(CommandLine.USAGE, status, expectedMessagePart);
  }

  /** An endpoint that cannot be reached: one line, exit status 1, no stack trace. */
  public void assertEndpointError(int status, String expectedMessagePart) {
    assertOneLine(CommandLine.FAILED, status, expectedMessagePart);
  }

  private void assertOneLine(int expectedStatus, int status, String expectedMessagePart) {
    assertEquals(text(), expectedStatus, status);
    String[] lines =
        text().strip().lines().filter(l -> !PROGRESS.matcher(l).matches()).toArray(String[]::new);
    assertEquals("one line: " + text(), 1, lines.length);
    assertThat(lines[0], containsString("error: "));
    assertThat(lines[0], containsString(expectedMessagePart));
    assertThat(text(), not(containsString("\tat ")));
  }
}
