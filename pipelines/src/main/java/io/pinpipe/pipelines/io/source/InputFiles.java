package io.pinpipe.pipelines.io.source;

import io.pinpipe.contract.RecordKind;
import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * How many files a run read per kind, and how many of them were empty: an empty file holds no
 * record, so without this it would be counted nowhere (summary.json, docs/semantics.md#data-quality-counts-summaryjson).
 */
public final class InputFiles implements Serializable {
  private static final long serialVersionUID = 1L;

  private final EnumMap<RecordKind, long[]> counts = new EnumMap<>(RecordKind.class);

  /** No file counts: the input was not files (Kafka, Kinesis). */
  public static InputFiles none() {
    return new InputFiles();
  }

  /** Adds one kind's file of {@code sizeBytes} bytes. */
  public InputFiles add(RecordKind kind, long sizeBytes) {
    long[] c = counts.computeIfAbsent(kind, k -> new long[2]);
    c[0]++;
    if (sizeBytes == 0) {
      c[1]++;
    }
    return this;
  }

  public boolean isEmpty() {
    return counts.isEmpty();
  }

  /** Files read of {@code kind}. */
  public long files(RecordKind kind) {
    return counts.getOrDefault(kind, new long[2])[0];
  }

  /** Of those, files without a byte. */
  public long emptyFiles(RecordKind kind) {
    return counts.getOrDefault(kind, new long[2])[1];
  }

  public Map<RecordKind, long[]> asMap() {
    return Collections.unmodifiableMap(counts);
  }
}
