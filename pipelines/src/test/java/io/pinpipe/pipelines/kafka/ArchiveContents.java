package io.pinpipe.pipelines.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every line of every data file under an archive's topics/, with the file it came from and the
 * chunk {@code [first, last]} its name says it belongs to ({@code <topic>+<p>+<first>+<last>.json}).
 */
public final class ArchiveContents {
  private static final Pattern NAME = Pattern.compile("(.+)\\+(\\d+)\\+(\\d{10,})\\+(\\d{10,})\\.json");

  public record Line(Path file, String topic, int partition, long chunkFirst, long chunkLast, String text) {}

  /** Every line; any other file under topics/ (a temporary file included) fails. */
  public static List<Line> lines(Path root) throws IOException {
    return lines(root, false);
  }

  /**
   * Every line; with {@code skipHidden}, files whose names start with '.' (the temporary files a
   * killed run leaves, which batch never reads) are passed over.
   */
  public static List<Line> lines(Path root, boolean skipHidden) throws IOException {
    List<Line> lines = new ArrayList<>();
    Path topics = root.resolve("topics");
    if (!Files.exists(topics)) {
      return lines;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(topics)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : files) {
      if (skipHidden && file.getFileName().toString().startsWith(".")) {
        continue;
      }
      Matcher m = NAME.matcher(file.getFileName().toString());
      if (!m.matches()) {
        throw new AssertionError("unexpected file in the archive: " + file);
      }
      String content = Files.readString(file, StandardCharsets.UTF_8);
      if (!content.endsWith("\n")) {
        throw new AssertionError(file + " does not end with a newline");
      }
      for (String text : content.substring(0, content.length() - 1).split("\n", -1)) {
        lines.add(new Line(
            file, m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
            text));
      }
    }
    return lines;
  }

  public static List<Path> files(Path root, String folder) throws IOException {
    Path dir = root.resolve(folder);
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
