package io.pinpipe.transforms.quality;

import io.pinpipe.contract.RecordKind;
import java.util.List;
import org.apache.beam.sdk.values.KV;

/**
 * Data-quality counts travel through the pipeline as data, {@code KV<key, count>}, summed per key:
 * unlike Beam metrics, they are exact on every runner, survive retries, and can be windowed in
 * streaming. Each count is measured where it happens (docs/semantics.md#data-quality-counts-summaryjson:
 * read, cleaned, dead-lettered
 * and duplicates are each counted on their own).
 *
 * <p>Keys are {@code <kind>|<measure>} or, for a cleaned record, {@code <kind>|cleaned|<events>}:
 * one key per distinct combination of rules and nulled fields, so a cleaned record costs one
 * element, not one per rule. {@link QualityReport} expands the combinations.
 */
public final class QualityMetrics {
  private QualityMetrics() {}

  public static final String READ = "read";
  public static final String CLEANED = "cleaned";
  public static final String DEAD_LETTERED = "dead_lettered";
  public static final String DUPLICATES = "duplicates";
  public static final String CONFLICTS = "conflicts";

  /** The prefix of a result's row count: {@code results|top_category_by_country}. */
  public static final String RESULT_ROWS = "results|";

  static final String SEPARATOR = "|";
  static final String EVENT_SEPARATOR = "\t";

  public static KV<String, Long> count(RecordKind kind, String measure, long n) {
    return KV.of(key(kind, measure), n);
  }

  /** The key of a kind's measure: {@code pin|read}. */
  public static String key(RecordKind kind, String measure) {
    return kind.id() + SEPARATOR + measure;
  }

  /** One cleaned record and everything that happened to it while it was parsed and cleaned. */
  public static KV<String, Long> cleaned(RecordKind kind, List<String> events) {
    return KV.of(
        kind.id() + SEPARATOR + CLEANED + SEPARATOR + String.join(EVENT_SEPARATOR, events), 1L);
  }
}
