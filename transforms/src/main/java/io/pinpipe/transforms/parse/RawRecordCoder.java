package io.pinpipe.transforms.parse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/**
 * A raw record as origin and payload, without Beam's schema machinery: for the records a streaming
 * read hands to the packing step. FlinkRunner's streaming engine copies each element between
 * chained steps with its coder (an encode and a decode), and the schema coder builds a {@code Row}
 * both ways: 7% of a catch-up's CPU samples
 * (BENCHMARKS.md#streaming-records-packed-as-read-posts-assembled-per-pack-2026-12-06-fourth-session).
 * Internal only: what leaves the job keeps its schema.
 */
public final class RawRecordCoder extends CustomCoder<RawRecord> {
  private static final RawRecordCoder INSTANCE = new RawRecordCoder();

  public static RawRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RawRecord record, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(record.origin, out);
    ByteArrayCoder.of().encode(record.payload, out);
  }

  @Override
  public RawRecord decode(InputStream in) throws IOException {
    return RawRecord.of(StringUtf8Coder.of().decode(in), ByteArrayCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
