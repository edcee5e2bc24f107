package io.pinpipe.transforms.clean;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened to one record while it was cleaned: the rules that fired and the fields set to null
 * (with why). The data-quality report sums these over all cleaned records.
 */
public final class CleaningLog {
  private final List<String> events = new ArrayList<>();

  public CleaningLog() {}

  /** Starts from the issues the parser recorded, so one record's whole story stays together. */
  public CleaningLog(Iterable<String> parseIssues) {
    parseIssues.forEach(events::add);
  }

  public void fired(String rule) {
    events.add("rule:" + rule);
  }

  public void nulled(String field, String reason) {
    events.add("nulled:" + field + ":" + reason);
  }

  public List<String> events() {
    return events;
  }
}
