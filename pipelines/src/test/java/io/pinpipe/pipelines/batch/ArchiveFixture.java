package io.pinpipe.pipelines.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small hand-made archives in the layout of docs/semantics.md#archived-raw-layout for whole-job tests. */
final class ArchiveFixture {
  private final Path root;
  /** The {@code dt=} folder the files go in, or null for none. */
  private final String day;

  ArchiveFixture(Path root) {
    this(root, null);
  }

  /** Files under {@code dt=<day>/} (what a batch run with {@code --date} or into Iceberg tables reads). */
  ArchiveFixture(Path root, String day) {
    this.root = root;
    this.day = day;
  }

  Path root() {
    return root;
  }

  /** Writes a file of one kind's topic, partition 0, named by its first offset. */
  ArchiveFixture file(String kind, long firstOffset, String content) throws IOException {
    return bytes(kind, firstOffset, content.getBytes(StandardCharsets.UTF_8));
  }

  ArchiveFixture bytes(String kind, long firstOffset, byte[] content) throws IOException {
    Path dir = root.resolve("topics/pinterest." + kind + (day == null ? "" : "/dt=" + day) + "/partition=0");
    Files.createDirectories(dir);
    Files.write(dir.resolve(String.format("pinterest.%s+0+%010d.json", kind, firstOffset)), content);
    return this;
  }

  /**
   * {@code posts} small posts in partition 0 of each kind, different per {@code name} (its users'
   * last name), then {@code extraPinLines} at the end of the pin file (e.g. a line that is not JSON).
   */
  ArchiveFixture posts(String name, int posts, String... extraPinLines) throws IOException {
    StringBuilder pin = new StringBuilder();
    StringBuilder geo = new StringBuilder();
    StringBuilder user = new StringBuilder();
    for (int i = 1; i <= posts; i++) {
      pin.append(pin(i, i % 2 == 0 ? "art" : "travel", i + "k", "P" + i)).append('\n');
      geo.append(geo(i, i % 3 == 0 ? "Chile" : "Peru", "2020-01-0" + i + " 00:00:00")).append('\n');
      user.append(user(i, "F" + i, "L" + name, 20 + 7 * i, "2016-01-0" + i + " 00:00:00")).append('\n');
    }
    for (String line : extraPinLines) {
      pin.append(line).append('\n');
    }
    return file("pin", 0, pin.toString()).file("geo", 0, geo.toString()).file("user", 0, user.toString());
  }

  static String pin(long index, String category, String followers, String poster) {
    return String.format(
        "{\"index\": %d, \"unique_id\": \"u-%d\", \"title\": \"t%d\", \"description\": \"d\", "
            + "\"poster_name\": \"%s\", \"follower_count\": \"%s\", \"tag_list\": \"a,b\", "
            + "\"is_image_or_video\": \"image\", \"image_src\": \"https://i.pinimg.com/x.jpg\", "
            + "\"downloaded\": 1, \"save_location\": \"Local save in /data/%s\", \"category\": \"%s\"}",
        index, index, index, poster, followers, category, category);
  }

  static String geo(long ind, String country, String timestamp) {
    return String.format(
        "{\"ind\": %d, \"timestamp\": \"%s\", \"latitude\": -10.5, \"longitude\": 20.25, \"country\": \"%s\"}",
        ind, timestamp, country);
  }

  static String user(long ind, String first, String last, int age, String joined) {
    return String.format(
        "{\"ind\": %d, \"first_name\": \"%s\", \"last_name\": \"%s\", \"age\": %d, \"date_joined\": \"%s\"}",
        ind, first, last, age, joined);
  }
}
