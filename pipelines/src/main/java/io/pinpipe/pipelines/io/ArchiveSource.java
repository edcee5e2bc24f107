package io.pinpipe.pipelines.io;

import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.schema.RecordKind;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** The raw archive's files (docs/semantics.md), on any Beam filesystem. */
public final class ArchiveSource implements RawSource {
  private final ArchiveLayout layout;

  public ArchiveSource(ArchiveLayout layout) {
    this.layout = layout;
  }

  @Override
  public PTransform<PBegin, PCollection<RawRecord>> read(RecordKind kind) {
    return ReadArchive.from(layout.filepattern(kind));
  }

  @Override
  public String describe() {
    return layout.root();
  }
}
