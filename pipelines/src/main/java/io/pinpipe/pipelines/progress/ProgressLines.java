package io.pinpipe.pipelines.progress;

import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.contract.RecordKind;
import java.util.Locale;
import java.util.Map;

/**
 * The progress lines of {@code batch} and {@code archive} (the README's "Progress and metrics"):
 * the job, seconds since the start, the counts per kind so far and the rate since the start, e.g.
 *
 * <pre>
 * batch: 12.0 s; read/cleaned/dead-lettered/duplicates: pin 4,000/3,800/2/198, geo 4,000/3,800/0/200, user 4,000/3,800/0/200; 12,000 records read, 1,000/s
 * archive: 6.0 s; 24,000 of 30,000 offsets; archived/dead-lettered: pin 8,000/0, geo 8,000/0, user 8,000/0; 4,000 offsets/s
 * </pre>
 */
public final class ProgressLines {
  private ProgressLines() {}

  /** The batch job's line, from its {@link JobCounters}. */
  public static String batch(Map<String, Long> counters, double seconds) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "batch: %.1f s; read/cleaned/dead-lettered/duplicates:", seconds));
    long read = 0;
    String separator = " ";
    for (RecordKind kind : RecordKind.values()) {
      long kindRead = get(counters, JobCounters.name(kind, QualityMetrics.READ));
      read += kindRead;
      s.append(separator)
          .append(String.format(
              Locale.ROOT, "%s %,d/%,d/%,d/%,d", kind.id(), kindRead,
              get(counters, JobCounters.name(kind, QualityMetrics.CLEANED)),
              get(counters, JobCounters.name(kind, QualityMetrics.DEAD_LETTERED)),
              get(counters, JobCounters.name(kind, QualityMetrics.DUPLICATES))));
      separator = ", ";
    }
    return s.append(String.format(Locale.ROOT, "; %,d records read, %,d/s", read, perSecond(read, seconds))).toString();
  }

  /** The archive job's line, from its counters; {@code offsets} is the number its run writes. */
  public static JobProgress.Line archive(long offsets) {
    return (counters, seconds) -> {
      long done = get(counters, "archived") + get(counters, "dead_lettered") + get(counters, "skipped_offsets");
      StringBuilder s = new StringBuilder(String.format(
          Locale.ROOT, "archive: %.1f s; %,d of %,d offsets; archived/dead-lettered:", seconds, done, offsets));
      String separator = " ";
      for (RecordKind kind : RecordKind.values()) {
        s.append(separator)
            .append(String.format(
                Locale.ROOT, "%s %,d/%,d", kind.id(),
                get(counters, kind.id() + "_archived"), get(counters, kind.id() + "_dead_lettered")));
        separator = ", ";
      }
      return s.append(String.format(Locale.ROOT, "; %,d offsets/s", perSecond(done, seconds))).toString();
    };
  }

  private static long get(Map<String, Long> counters, String name) {
    return counters.getOrDefault(name, 0L);
  }

  private static long perSecond(long n, double seconds) {
    return seconds <= 0 ? 0 : Math.round(n / seconds);
  }
}
