package io.pinpipe.emulator.generate;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

/**
 * The generator remembers no persons: 300,000 events (about 205,000 accounts, which a pool of
 * persons would have to keep, ~40 MB and more) run in a JVM with a 16 MB heap. The archive
 * writer adds only its fixed buffers (measured by hand: 1,000,000 events with -Xmx32m).
 */
public class BoundedMemoryTest {
  private static final int EVENTS = 300_000;

  /** Run in the forked JVM: generates and discards, printing a checksum so nothing is elided. */
  public static final class GenerateAndDiscard {
    public static void main(String[] args) {
      PostGenerator generator =
          new PostGenerator(1, GeneratorSettings.defaults().withDuplicateRate(0.05));
      long length = 0;
      while (generator.freshCount() < Long.parseLong(args[0])) {
        GeneratedPost post = generator.next();
        length += post.pinJson().length() + post.geoJson().length() + post.userJson().length();
      }
      System.out.println("ok " + generator.freshCount() + " " + length);
    }
  }

  @Test(timeout = 60_000)
  public void threeHundredThousandEventsFitInSixteenMegabytesOfHeap()
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx16m",
                    "-XX:+UseSerialGC",
                    "-cp",
                    System.getProperty("java.class.path"),
                    GenerateAndDiscard.class.getName(),
                    Integer.toString(EVENTS)))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(60, TimeUnit.SECONDS);
    assertEquals(output, 0, process.exitValue());
    assertEquals(output, "ok " + EVENTS, output.substring(0, output.lastIndexOf(' ')));
  }
}
