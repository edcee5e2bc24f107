package io.pinpipe.pipelines.batch;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.pipelines.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** {@code --date} reads one ingestion day's {@code dt=} folder; without it, every day (docs/semantics.md#archived-raw-layout). */
public class BatchDateSelectionTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private Path archiveWithTwoDays() throws Exception {
    Path root = tmp.newFolder("archive").toPath();
    String[][] days = {{"2024-01-01", "1"}, {"2024-01-02", "2"}, {"2024-01-02", "3"}};
    int offset = 0;
    for (String[] day : days) {
      long ind = Long.parseLong(day[1]);
      write(root, "pin", day[0], offset, ArchiveFixture.pin(ind, "art", "1k", "Ann"));
      write(root, "geo", day[0], offset, ArchiveFixture.geo(ind, "Chile", "2020-01-01 00:00:00"));
      write(root, "user", day[0], offset, ArchiveFixture.user(ind, "Ann", "Lee", 30, "2016-01-01 00:00:00"));
      offset++;
    }
    return root;
  }

  private static void write(Path root, String kind, String day, int offset, String json) throws Exception {
    Path dir = root.resolve("topics/pinterest." + kind + "/dt=" + day + "/partition=0");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(String.format("pinterest.%s+0+%010d.json", kind, offset)), json + "\n");
  }

  private JsonNode run(Path archive, String... extra) throws Exception {
    Path out = tmp.getRoot().toPath().resolve("out" + extra.length);
    // About which files a day reads (summary.json's counts), not the tables: plain Parquet tables.
    String[] args = new String[3 + extra.length];
    args[0] = "--input=" + archive;
    args[1] = "--output=" + out;
    args[2] = "--tableFormat=parquet";
    System.arraycopy(extra, 0, args, 3, extra.length);
    assertEquals(CommandLine.OK, BatchPipeline.run(args));
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  @Test
  public void oneDayOrAllDays() throws Exception {
    Path archive = archiveWithTwoDays();
    assertEquals(2, run(archive, "--date=2024-01-02").path("kinds").path("user").path("read").asLong());
    assertEquals(3, run(archive).path("kinds").path("user").path("read").asLong());
  }
}
