package io.pinpipe.transforms.parse;

import java.io.Serializable;
import java.util.Arrays;
import org.apache.beam.sdk.schemas.JavaFieldSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;
import org.apache.beam.sdk.schemas.annotations.SchemaCreate;

/**
 * One record as it was read, before any parsing: the bytes exactly as they arrived, and where they
 * came from (a file path and line, a Kafka topic/partition/offset, or a Kinesis stream/shard/sequence),
 * so a record that cannot be parsed can be dead-lettered with its origin.
 */
@DefaultSchema(JavaFieldSchema.class)
public final class RawRecord implements Serializable {
  public final String origin;
  public final byte[] payload;

  @SchemaCreate
  public RawRecord(String origin, byte[] payload) {
    this.origin = origin;
    this.payload = payload;
  }

  public static RawRecord of(String origin, byte[] payload) {
    return new RawRecord(origin, payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord
        && ((RawRecord) o).origin.equals(origin)
        && Arrays.equals(((RawRecord) o).payload, payload);
  }

  @Override
  public int hashCode() {
    return origin.hashCode() * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "RawRecord{" + origin + ", " + payload.length + " bytes}";
  }
}
