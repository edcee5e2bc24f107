package io.pinpipe.emulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Ctrl-C (SIGTERM here, the same JVM shutdown) stops a real {@code post} process cleanly: it
 * prints its final counts, and every event it counts is in the files, all three records of it.
 */
public class PostInterruptTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void anInterruptedRunFinishesItsFilesAndReportsFinalCounts() throws Exception {
    Path output = tmp.getRoot().toPath();
    Process post =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                EmulatorMain.class.getName(),
                "post", "--sink", "files", "--output", output.toString(), "--rate", "500", "--duration", "1h")
            .redirectErrorStream(true)
            .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(post.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      // Wait for the first progress line: the run is under way.
      while (line != null && !line.startsWith("post: ")) {
        lines.add(line);
        line = out.readLine();
      }
      assertTrue("no progress line: " + lines, line != null);
      post.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
      for (; line != null; line = out.readLine()) {
        lines.add(line);
      }
    }
    assertTrue(post.waitFor(60, TimeUnit.SECONDS));
    String last = lines.get(lines.size() - 1);
    Matcher m = Pattern.compile("post: stopped after ([\\d,]+) events \\(([\\d,]+) records\\)").matcher(last);
    assertTrue(last, m.find());
    long events = Long.parseLong(m.group(1).replace(",", ""));
    assertEquals(3 * events, Long.parseLong(m.group(2).replace(",", "")));
    for (String kind : List.of("pin", "geo", "user")) {
      Path file = output.resolve("topics/pinterest." + kind + "/partition=0/pinterest." + kind + "+0+0000000000.json");
      assertEquals(kind, events, Files.readAllLines(file).size());
    }
  }
}
