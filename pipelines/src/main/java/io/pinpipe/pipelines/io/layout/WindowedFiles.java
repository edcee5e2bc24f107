package io.pinpipe.pipelines.io.layout;

import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.joda.time.DateTimeZone;
import org.joda.time.Instant;
import org.joda.time.format.DateTimeFormatter;
import org.joda.time.format.ISODateTimeFormat;

/**
 * File names for the streaming job's per-window output. A name carries its window
 * and pane, {@code pin-20261124T000000Z-20261124T000100Z-pane-1-late-0-of-1.parquet}, so a later
 * pane of a window is a new file beside the earlier ones, never a replacement: the table folders
 * are append-only, like the Delta tables of the original. Names sort by window, then pane.
 */
public final class WindowedFiles {
  private static final DateTimeFormatter BASIC =
      ISODateTimeFormat.basicDateTimeNoMillis().withZone(DateTimeZone.UTC);
  private static final DateTimeFormatter ISO =
      ISODateTimeFormat.dateTimeNoMillis().withZone(DateTimeZone.UTC);

  private WindowedFiles() {}

  /** {@code 20261124T000000Z-20261124T000100Z} for a window, {@code global} for the global one. */
  public static String windowLabel(BoundedWindow window) {
    if (window instanceof IntervalWindow) {
      IntervalWindow interval = (IntervalWindow) window;
      return BASIC.print(interval.start()) + "-" + BASIC.print(interval.end());
    }
    return "global";
  }

  /** A window bound as it appears in result rows: {@code 2026-11-24T00:00:00Z}. */
  public static String isoInstant(Instant instant) {
    return ISO.print(instant);
  }

  /** Names {@code <prefix>-<window>-pane-<index>-<timing>-<shard>-of-<shards><suffix>}. */
  public static FileIO.Write.FileNaming byWindowAndPane(String prefix, String suffix) {
    return new PaneNaming(prefix, suffix);
  }

  /** Names {@code <prefix>-<window><suffix>}: for outputs that fire once per window. */
  public static FileIO.Write.FileNaming byWindow(String prefix, String suffix) {
    return (window, pane, shards, shard, compression) -> prefix + "-" + windowLabel(window) + suffix;
  }

  private static final class PaneNaming implements FileIO.Write.FileNaming {
    private final String prefix;
    private final String suffix;

    PaneNaming(String prefix, String suffix) {
      this.prefix = prefix;
      this.suffix = suffix;
    }

    @Override
    public String getFilename(
        BoundedWindow window, PaneInfo pane, int numShards, int shardIndex, Compression compression) {
      return prefix + "-" + windowLabel(window) + "-pane-" + pane.getIndex() + "-"
          + pane.getTiming().name().toLowerCase().replace('_', '-') + "-" + shardIndex + "-of-" + numShards
          + suffix;
    }
  }
}
