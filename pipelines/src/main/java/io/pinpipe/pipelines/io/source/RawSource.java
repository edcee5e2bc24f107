package io.pinpipe.pipelines.io.source;

import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.util.Optional;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Where a batch run's raw records come from: the archive's files or Kafka directly. Either way
 * each record arrives as its bytes and an origin, and the rest of the job does not know which.
 */
public interface RawSource {
  /** Reads one kind's records. */
  PTransform<PBegin, PCollection<RawRecord>> read(RecordKind kind);

  /** For the summary and the console: a path, or kafka://servers/topics. */
  String describe();

  /**
   * For a streaming job with post assembly: a read of one kind whose elements are already packs,
   * each record in its row-number bucket with its event time and row number (as {@code
   * io.pinpipe.transforms.onepass.AsReadPacker} packs), keyed by bucket, in the global window, the
   * records read counted; empty if this source reads records one an element (the default).
   */
  default Optional<PTransform<PBegin, PCollection<KV<Integer, RecordPack>>>> readPacked(
      RecordKind kind, PackLimits limits, int maxRecordBytes) {
    return Optional.empty();
  }

  /** The files a run of this source reads, counted when the job is built; none for a stream. */
  default InputFiles files() {
    return InputFiles.none();
  }
}
