package io.pinpipe.transforms.clean;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * What happened to one record while it was cleaned: the issues its parser recorded, the rules that
 * fired and the fields set to null (with why). The data-quality report sums these over all cleaned
 * records, one count per distinct story ({@code rule:…}, {@code nulled:<field>:<reason>}, in order).
 *
 * <p>Millions of records tell a few dozen distinct stories, so a log is reused from record to record
 * ({@link #restart}) and walks a tree of the stories it has seen: recording an event is a lookup of
 * the rule's name, and a story's text and its {@link #describedBy description} are built once per
 * distinct story, not once per record (BENCHMARKS.md). Unknown fields make stories from the input's
 * own text, so the tree is bounded; past {@link #MAX_STORIES} a story is built as text each time.
 */
public final class CleaningLog {
  /** Distinct stories a log remembers; beyond, events cost a string each (and nothing is lost). */
  static final int MAX_STORIES = 4_096;

  private static final String RULE = "rule:";
  private static final String NULLED = "nulled:";

  private final Story root = new Story(List.of());
  private int stories = 1;
  private @Nullable Story at = root;
  /** The story as text once the tree is full ({@code at == null}). */
  private @Nullable List<String> uncached;

  public CleaningLog() {}

  /** Starts from the issues the parser recorded, so one record's whole story stays together. */
  public CleaningLog(@Nullable Iterable<String> parseIssues) {
    restart(parseIssues);
  }

  /** Forgets the last record's story and starts the next one's from its parse issues. */
  public CleaningLog restart(@Nullable Iterable<String> parseIssues) {
    at = root;
    uncached = null;
    if (parseIssues != null) {
      for (String issue : parseIssues) {
        append(null, issue);
      }
    }
    return this;
  }

  public void fired(String rule) {
    append(RULE, rule);
  }

  public void nulled(String field, String reason) {
    if (at == null) {
      uncached.add(NULLED + field + ":" + reason);
      return;
    }
    Map<String, Story> byReason = at.nulled.computeIfAbsent(field, f -> new HashMap<>(4));
    Story next = byReason.get(reason);
    at = next != null ? next : grow(at, NULLED + field + ":" + reason, child -> byReason.put(reason, child));
  }

  /** The events so far, in order: parse issues as the parser wrote them, then {@code rule:} and {@code nulled:} entries. */
  public List<String> events() {
    return at != null ? at.events : Collections.unmodifiableList(uncached);
  }

  /**
   * {@code describe.apply(events())}, computed once per distinct story of this log: give a log one
   * description function for its lifetime (the quality counts' key of its kind).
   */
  public String describedBy(Function<List<String>, String> describe) {
    if (at == null) {
      return describe.apply(events());
    }
    if (at.description == null) {
      at.description = describe.apply(at.events);
    }
    return at.description;
  }

  private void append(@Nullable String prefix, String name) {
    if (at == null) {
      uncached.add(prefix == null ? name : prefix + name);
      return;
    }
    Map<String, Story> children = prefix == null ? at.issues : at.rules;
    Story next = children.get(name);
    at = next != null ? next : grow(at, prefix == null ? name : prefix + name, child -> children.put(name, child));
  }

  private @Nullable Story grow(Story parent, String event, Consumer<Story> attach) {
    if (stories >= MAX_STORIES) {
      uncached = new ArrayList<>(parent.events);
      uncached.add(event);
      return null;
    }
    List<String> events = new ArrayList<>(parent.events.size() + 1);
    events.addAll(parent.events);
    events.add(event);
    Story child = new Story(Collections.unmodifiableList(events));
    attach.accept(child);
    stories++;
    return child;
  }

  /** One distinct sequence of events, and the ones that have followed it. */
  private static final class Story {
    final List<String> events;
    final Map<String, Story> issues = new HashMap<>(4);
    final Map<String, Story> rules = new HashMap<>(4);
    final Map<String, Map<String, Story>> nulled = new HashMap<>(4);
    @Nullable String description;

    Story(List<String> events) {
      this.events = events;
    }
  }
}
