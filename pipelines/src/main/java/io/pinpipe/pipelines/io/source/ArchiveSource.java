package io.pinpipe.pipelines.io.source;

import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.contract.RecordKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/** The raw archive's files (docs/semantics.md#archived-raw-layout), on any Beam filesystem. */
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

  /**
   * The {@code dt=} days of the files a run of this source reads, in order, listed as the read
   * will match them (files named {@code .*} or {@code _*} are skipped, as the read skips them). A
   * file outside any {@code dt=} folder is an error naming it ({@link ArchiveLayout#ingestionDay}).
   */
  public java.util.SortedSet<String> days() {
    java.util.SortedSet<String> days = new java.util.TreeSet<>();
    for (RecordKind kind : RecordKind.values()) {
      try {
        MatchResult matched = FileSystems.match(layout.filepattern(kind), EmptyMatchTreatment.ALLOW);
        if (matched.status() == MatchResult.Status.OK) {
          for (MatchResult.Metadata file : matched.metadata()) {
            String name = file.resourceId().getFilename();
            if (name == null || name.startsWith(".") || name.startsWith("_")) {
              continue;
            }
            days.add(ArchiveLayout.ingestionDay(file.resourceId().toString()));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + layout.filepattern(kind), e);
      }
    }
    return days;
  }

  /** This archive restricted to one of its days. */
  public ArchiveSource ofDay(String day) {
    return new ArchiveSource(layout.ofDay(day));
  }

  /** Lists each kind's files once, as the read will match them, for summary.json. */
  @Override
  public InputFiles files() {
    InputFiles files = InputFiles.none();
    for (RecordKind kind : RecordKind.values()) {
      try {
        MatchResult matched = FileSystems.match(layout.filepattern(kind), EmptyMatchTreatment.ALLOW);
        if (matched.status() == MatchResult.Status.OK) {
          for (MatchResult.Metadata file : matched.metadata()) {
            files.add(kind, file.sizeBytes());
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + layout.filepattern(kind), e);
      }
    }
    return files;
  }
}
