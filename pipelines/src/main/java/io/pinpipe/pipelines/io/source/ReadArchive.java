package io.pinpipe.pipelines.io.source;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.parse.Utf8Bom;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Arrays;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads raw records from the archived layout (docs/semantics.md#archived-raw-layout), byte for byte.
 *
 * <p>Files are newline-delimited (one record per line) or hold one, possibly pretty-printed, JSON
 * object, as MSK Connect's S3 sink wrote them. Lines are kept as bytes: {@code TextIO} would
 * silently replace invalid UTF-8, and the parser must see it to dead-letter it. Blank lines are not
 * records. Files whose names start with {@code .} or {@code _} (markers, temp files) are skipped. A
 * UTF-8 byte-order mark at the start of a file (Windows editors write one) is not part of its first
 * record and is dropped.
 */
public final class ReadArchive extends PTransform<PBegin, PCollection<RawRecord>> {

  /** A file larger than this is never read whole as one pretty-printed object. */
  static final long MAX_SINGLE_OBJECT_BYTES = 64L << 20;

  private final String filepattern;

  private ReadArchive(String filepattern) {
    this.filepattern = filepattern;
  }

  public static ReadArchive from(String filepattern) {
    return new ReadArchive(filepattern);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin input) {
    return input
        .apply(
            "MatchFiles",
            FileIO.match().filepattern(filepattern).withEmptyMatchTreatment(EmptyMatchTreatment.ALLOW))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("SplitIntoRecords", ParDo.of(new SplitIntoRecordsFn()));
  }

  static final class SplitIntoRecordsFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String path = file.getMetadata().resourceId().toString();
      String name = file.getMetadata().resourceId().getFilename();
      if (name == null || name.startsWith(".") || name.startsWith("_")) {
        return;
      }
      if (looksLikeOneObject(file)) {
        byte[] whole = Utf8Bom.strip(readAll(file));
        if (JsonShape.isSingleJsonValue(whole)) {
          out.output(RawRecord.of(path, whole));
          return;
        }
      }
      try (InputStream in = Channels.newInputStream(file.open())) {
        LineReader lines = new LineReader(in);
        byte[] line;
        while ((line = lines.next()) != null) {
          if (!isBlank(line)) {
            out.output(RawRecord.of(path + ":" + lines.lineNumber(), line));
          }
        }
      }
    }

    /**
     * A newline-delimited file's first record is a whole object on its first line; a pretty-printed
     * object's first line is not. Only such files, and only small ones, are read whole.
     */
    private static boolean looksLikeOneObject(FileIO.ReadableFile file) throws IOException {
      if (file.getMetadata().sizeBytes() > MAX_SINGLE_OBJECT_BYTES) {
        return false;
      }
      try (InputStream in = Channels.newInputStream(file.open())) {
        LineReader lines = new LineReader(in);
        byte[] line;
        while ((line = lines.next()) != null && isBlank(line)) {}
        if (line == null) {
          return false;
        }
        String first = new String(line, java.nio.charset.StandardCharsets.UTF_8).trim();
        boolean completeObjectOnOneLine = first.startsWith("{") && first.endsWith("}");
        return !completeObjectOnOneLine && lines.next() != null;
      }
    }

    private static byte[] readAll(FileIO.ReadableFile file) throws IOException {
      try (InputStream in = Channels.newInputStream(file.open())) {
        return in.readAllBytes();
      }
    }
  }

  static boolean isBlank(byte[] line) {
    for (byte b : line) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  /**
   * Splits a stream on {@code \n} into byte arrays, dropping a trailing {@code \r}, and a UTF-8
   * byte-order mark at the start of the stream. Scans its own buffer: reading byte by byte through
   * {@code InputStream.read()} costs a call per byte.
   */
  static final class LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private long lineNumber;

    LineReader(InputStream in) {
      this.in = in;
    }

    /** The 1-based number of the line last returned. */
    long lineNumber() {
      return lineNumber;
    }

    byte[] next() throws IOException {
      ByteArrayOutputStream longLine = null;
      while (true) {
        if (position == limit) {
          limit = in.read(buffer, 0, buffer.length);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            if (longLine == null) {
              return null;
            }
            return finish(longLine.toByteArray());
          }
        }
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          position++;
        }
        if (position < limit) {
          byte[] part = Arrays.copyOfRange(buffer, start, position);
          position++; // past the newline
          if (longLine == null) {
            return finish(part);
          }
          longLine.write(part, 0, part.length);
          return finish(longLine.toByteArray());
        }
        if (longLine == null) {
          longLine = new ByteArrayOutputStream(Math.max(1024, 2 * (limit - start)));
        }
        longLine.write(buffer, start, limit - start);
      }
    }

    private byte[] finish(byte[] line) {
      lineNumber++;
      if (lineNumber == 1) {
        line = Utf8Bom.strip(line);
      }
      if (line.length > 0 && line[line.length - 1] == '\r') {
        return Arrays.copyOf(line, line.length - 1);
      }
      return line;
    }
  }
}
