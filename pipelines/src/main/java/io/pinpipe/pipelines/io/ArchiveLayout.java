package io.pinpipe.pipelines.io;

import io.pinpipe.transforms.schema.RecordKind;
import java.util.regex.Pattern;

/**
 * Paths of the archived raw layout (docs/semantics.md):
 * {@code <root>/topics/<prefix>.<kind>/[dt=<YYYY-MM-DD>/]partition=<p>/<prefix>.<kind>+<p>+<offset>.json}.
 */
public final class ArchiveLayout {
  private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private final String root;
  private final String topicPrefix;
  private final String day;

  public ArchiveLayout(String root, String topicPrefix, String day) {
    if (day != null && !DAY.matcher(day).matches()) {
      throw new IllegalArgumentException("--date must be a day YYYY-MM-DD, got '" + day + "'");
    }
    this.root = Paths.withoutTrailingSlash(root);
    this.topicPrefix = topicPrefix;
    this.day = day;
  }

  public String root() {
    return root;
  }

  public String topic(RecordKind kind) {
    return topicPrefix + "." + kind.id();
  }

  /** The folder whose files hold this kind's records (one day's, when a day is set). */
  public String folder(RecordKind kind) {
    String topicFolder = root + "/topics/" + topic(kind) + "/";
    return day == null ? topicFolder : topicFolder + "dt=" + day + "/";
  }

  /** Every file under {@link #folder}, at any depth. */
  public String filepattern(RecordKind kind) {
    return folder(kind) + "**";
  }
}
