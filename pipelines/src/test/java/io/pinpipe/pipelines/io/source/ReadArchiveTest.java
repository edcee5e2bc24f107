package io.pinpipe.pipelines.io.source;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A UTF-8 byte-order mark at a file's start is not part of its first record (docs/semantics.md#cleaning-per-kind). */
public class ReadArchiveTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();
  @Rule public final transient TemporaryFolder tmp = new TemporaryFolder();

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
  private static final String PIN1 = "{\"index\": 1, \"title\": \"a\"}";
  private static final String PIN2 = "{\"index\": 2, \"title\": \"b\"}";

  private static byte[] bomThen(String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[BOM.length + body.length];
    System.arraycopy(BOM, 0, all, 0, BOM.length);
    System.arraycopy(body, 0, all, BOM.length, body.length);
    return all;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  public void lineReaderDropsAByteOrderMarkAtTheStartOnly() throws IOException {
    byte[] file = bomThen(PIN1 + "\r\n\uFEFF" + PIN2 + "\n");
    ReadArchive.LineReader lines = new ReadArchive.LineReader(new ByteArrayInputStream(file));
    assertArrayEquals(utf8(PIN1), lines.next());
    assertEquals(1, lines.lineNumber());
    // Not at the file's start: data, left to the parser (which skips a record's leading mark too).
    assertArrayEquals(utf8("\uFEFF" + PIN2), lines.next());
    assertEquals(2, lines.lineNumber());
    assertNull(lines.next());
  }

  @Test
  public void lineReaderOnAFileThatIsOnlyAByteOrderMarkGivesABlankLine() throws IOException {
    ReadArchive.LineReader lines = new ReadArchive.LineReader(new ByteArrayInputStream(BOM));
    assertArrayEquals(new byte[0], lines.next());
    assertNull(lines.next());
  }

  @Test
  public void recordsOfFilesStartingWithAByteOrderMarkAreReadWithoutIt() throws IOException {
    Path lines = tmp.getRoot().toPath().resolve("pins.json");
    Files.write(lines, bomThen(PIN1 + "\n" + PIN2 + "\n"));
    String pretty = "{\n  \"index\": 3,\n  \"title\": \"c\"\n}\n";
    Path object = tmp.getRoot().toPath().resolve("pretty.json");
    Files.write(object, bomThen(pretty));
    Path onlyMark = tmp.getRoot().toPath().resolve("empty.json");
    Files.write(onlyMark, BOM);

    PCollection<RawRecord> records =
        pipeline.apply(ReadArchive.from(tmp.getRoot().toPath().resolve("*.json").toString()));

    PAssert.that(records)
        .containsInAnyOrder(
            RawRecord.of(lines + ":1", utf8(PIN1)),
            RawRecord.of(lines + ":2", utf8(PIN2)),
            RawRecord.of(object.toString(), utf8(pretty)));
    PAssert.that(records)
        .satisfies(
            all -> {
              JsonRecordParser parser = new JsonRecordParser(RecordKind.PIN);
              for (RawRecord record : all) {
                assertNotNull(record.origin, parser.parse(record).row());
              }
              return null;
            });
    pipeline.run().waitUntilFinish();
  }
}
