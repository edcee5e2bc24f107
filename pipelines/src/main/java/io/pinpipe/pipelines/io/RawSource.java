package io.pinpipe.pipelines.io;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.schema.RecordKind;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
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

  /** The files a run of this source reads, counted when the job is built; none for a stream. */
  default InputFiles files() {
    return InputFiles.none();
  }
}
