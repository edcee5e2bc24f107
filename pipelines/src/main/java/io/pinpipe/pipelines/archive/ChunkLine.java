package io.pinpipe.pipelines.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.BooleanCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/**
 * One checked Kafka record on its way to its chunk: its offset, the UTC day of its timestamp (when
 * daily folders are on) and either its archive line or its dead-letter line.
 */
record ChunkLine(long offset, Optional<String> day, boolean deadLetter, byte[] bytes) {
  /** A compact, deterministic encoding (the default would be Java serialization). */
  static final class Coder extends AtomicCoder<ChunkLine> {
    private static final Coder INSTANCE = new Coder();

    static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(ChunkLine line, OutputStream out) throws IOException {
      VarLongCoder.of().encode(line.offset(), out);
      StringUtf8Coder.of().encode(line.day().orElse(""), out);
      BooleanCoder.of().encode(line.deadLetter(), out);
      ByteArrayCoder.of().encode(line.bytes(), out);
    }

    @Override
    public ChunkLine decode(InputStream in) throws IOException {
      long offset = VarLongCoder.of().decode(in);
      String day = StringUtf8Coder.of().decode(in);
      boolean deadLetter = BooleanCoder.of().decode(in);
      byte[] bytes = ByteArrayCoder.of().decode(in);
      return new ChunkLine(offset, day.isEmpty() ? Optional.empty() : Optional.of(day), deadLetter, bytes);
    }

    @Override
    public void verifyDeterministic() {}
  }
}
