package io.pinpipe.emulator.archive;

import io.pinpipe.contract.RecordKind;
import java.util.Map;

/**
 * What a writer wrote: {@code events} distinct posting events (row numbers), {@code resent}
 * identical second copies of some of them, and the records written per kind (pin, geo, user),
 * each {@code events + resent}.
 */
public record ArchiveWriteSummary(long events, long resent, Map<RecordKind, Long> recordsPerKind) {
  public ArchiveWriteSummary {
    recordsPerKind = Map.copyOf(recordsPerKind);
  }

  public long records(RecordKind kind) {
    return recordsPerKind.getOrDefault(kind, 0L);
  }
}
