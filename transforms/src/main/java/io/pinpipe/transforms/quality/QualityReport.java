package io.pinpipe.transforms.quality;

import io.pinpipe.contract.RecordKind;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The data-quality counts of a run, per kind: read, cleaned, dead-lettered, duplicates, conflicts,
 * fields nulled (by field and reason), cleaning rules fired, unknown fields seen. Built from the
 * summed {@link QualityMetrics}; maps are sorted so reports are stable.
 */
public final class QualityReport implements Serializable {

  /** The counts of one record kind. */
  public static final class KindCounts implements Serializable {
    public long read;
    public long cleaned;
    public long deadLettered;
    public long duplicates;
    public long conflicts;
    public final Map<String, Map<String, Long>> nulled = new TreeMap<>();
    public final Map<String, Long> rules = new TreeMap<>();
    public final Map<String, Long> unknownFields = new TreeMap<>();

    /** The accounting identity of docs/semantics.md#data-quality-counts-summaryjson, checked, never used to derive a count. */
    public boolean balances() {
      return read == cleaned + deadLettered + duplicates;
    }
  }

  private final Map<RecordKind, KindCounts> kinds = new TreeMap<>();

  public QualityReport() {
    for (RecordKind kind : RecordKind.values()) {
      kinds.put(kind, new KindCounts());
    }
  }

  public KindCounts kind(RecordKind kind) {
    return kinds.get(kind);
  }

  /** Builds the report from summed metric keys and their totals. */
  public static QualityReport fromSums(Map<String, Long> sums) {
    QualityReport report = new QualityReport();
    for (Map.Entry<String, Long> e : sums.entrySet()) {
      report.add(e.getKey(), e.getValue());
    }
    return report;
  }

  private void add(String key, long n) {
    String[] parts = key.split("\\|", 3);
    KindCounts counts = kind(RecordKind.fromId(parts[0]));
    switch (parts[1]) {
      case QualityMetrics.READ:
        counts.read += n;
        break;
      case QualityMetrics.DEAD_LETTERED:
        counts.deadLettered += n;
        break;
      case QualityMetrics.DUPLICATES:
        counts.duplicates += n;
        break;
      case QualityMetrics.CONFLICTS:
        counts.conflicts += n;
        break;
      case QualityMetrics.CLEANED:
        counts.cleaned += n;
        if (parts.length == 3 && !parts[2].isEmpty()) {
          for (String event : parts[2].split(QualityMetrics.EVENT_SEPARATOR)) {
            addEvent(counts, event, n);
          }
        }
        break;
      default:
        throw new IllegalArgumentException("unknown data-quality measure in '" + key + "'");
    }
  }

  private static void addEvent(KindCounts counts, String event, long n) {
    int colon = event.indexOf(':');
    String type = event.substring(0, colon);
    String detail = event.substring(colon + 1);
    switch (type) {
      case "rule":
        counts.rules.merge(detail, n, Long::sum);
        break;
      case "nulled":
        int split = detail.indexOf(':');
        counts
            .nulled
            .computeIfAbsent(detail.substring(0, split), f -> new TreeMap<>())
            .merge(detail.substring(split + 1), n, Long::sum);
        break;
      case "unknown_field":
        counts.unknownFields.merge(detail, n, Long::sum);
        break;
      default:
        throw new IllegalArgumentException("unknown cleaning event '" + event + "'");
    }
  }
}
