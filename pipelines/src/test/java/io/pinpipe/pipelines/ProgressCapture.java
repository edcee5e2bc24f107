package io.pinpipe.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.pinpipe.pipelines.report.RunSummary;
import io.pinpipe.contract.RecordKind;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a job in this JVM with its standard error copied aside (and still shown), and checks its
 * progress lines (the README's "Progress and metrics").
 */
public final class ProgressCapture {
  /** A run's exit status and its lines on standard error that start with the job's prefix. */
  public record Run(int status, List<String> lines) {
    public String last() {
      assertFalse("no progress line was printed", lines.isEmpty());
      return lines.get(lines.size() - 1);
    }
  }

  private ProgressCapture() {}

  public static synchronized Run run(String prefix, IntSupplier job) {
    PrintStream original = System.err;
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    PrintStream tee = new PrintStream(new Tee(original, copy), true, StandardCharsets.UTF_8);
    System.setErr(tee);
    int status;
    try {
      status = job.getAsInt();
    } finally {
      System.setErr(original);
      tee.flush();
    }
    List<String> lines =
        copy.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith(prefix)).toList();
    return new Run(status, lines);
  }

  private static final Pattern KIND = Pattern.compile("(pin|geo|user) ([\\d,]+)/([\\d,]+)/([\\d,]+)/([\\d,]+)");

  /**
   * Asserts that a batch progress line shows, per kind, the read, cleaned, dead-lettered and
   * duplicate counts of the run's summary.json.
   */
  public static void assertLineEqualsSummary(String line, Path summaryJson) throws Exception {
    JsonNode kinds = RunSummary.parse(Files.readString(summaryJson)).path("kinds");
    Matcher m = KIND.matcher(line);
    int found = 0;
    while (m.find()) {
      JsonNode k = kinds.path(m.group(1));
      String where = m.group(1) + " in '" + line + "'";
      assertEquals("read of " + where, k.path("read").asLong(), number(m.group(2)));
      assertEquals("cleaned of " + where, k.path("cleaned").asLong(), number(m.group(3)));
      assertEquals("dead-lettered of " + where, k.path("dead_lettered").asLong(), number(m.group(4)));
      assertEquals("duplicates of " + where, k.path("duplicates").asLong(), number(m.group(5)));
      found++;
    }
    assertEquals("kinds in '" + line + "'", RecordKind.values().length, found);
    assertTrue(line, kinds.path("pin").path("read").asLong() > 0);
  }

  public static long number(String digits) {
    return Long.parseLong(digits.replace(",", ""));
  }

  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public synchronized void write(int c) throws java.io.IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public synchronized void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }

    @Override
    public synchronized void flush() throws java.io.IOException {
      a.flush();
      b.flush();
    }
  }
}
