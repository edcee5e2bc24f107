package io.pinpipe.transforms.clean;

import io.pinpipe.contract.RecordKind;
import java.io.Serializable;
import org.apache.beam.sdk.values.Row;

/** The cleaning rules of one record kind: a parsed row in, a clean row out (docs/semantics.md#cleaning-per-kind). */
public interface RecordCleaner extends Serializable {

  RecordKind kind();

  Row clean(Row parsed, CleaningLog log);

  static RecordCleaner forKind(RecordKind kind) {
    switch (kind) {
      case PIN:
        return new PinCleaner();
      case GEO:
        return new GeoCleaner();
      case USER:
        return new UserCleaner();
      default:
        throw new IllegalArgumentException(kind.toString());
    }
  }
}
