package io.pinpipe.transforms.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixed templates every dead letter's {@code reason} is written from. A reason is its template
 * with the placeholders filled in: positions, sizes and quoted values vary, the template does not.
 * {@link #groupOf} maps a written reason back to its template, so a report counts "invalid UTF-8 at
 * byte 0", "... at byte 7" as one kind of problem while the examples keep the exact reasons.
 *
 * <p>In a template, {@code {name}} is a placeholder removed from the group ({@code <name>} stands
 * in its place), {@code {#name}} one that is a whole number, and {@code {=name}} one kept in the
 * group because it says what kind of problem it is (what was found instead of an object, which row
 * number field); {@code {~name}} is the parser's message, of which the group keeps the first phrase
 * (Jackson's "Unexpected character", without the character and where it was).
 */
public enum DeadLetterReason {
  RECORD_TOO_LARGE("record too large: {#bytes} bytes, more than the limit of {#limit} bytes"),
  INVALID_UTF8("invalid UTF-8 at byte {#byte}"),
  EMPTY_RECORD("empty record"),
  NESTED_TOO_DEEPLY("JSON nested too deeply: more than {#limit} levels of objects and arrays"),
  MALFORMED_JSON_AT_COLUMN("malformed JSON: {~problem} at column {#column}"),
  MALFORMED_JSON("malformed JSON: {~problem}"),
  NOT_AN_OBJECT("not a JSON object (found {=found})"),
  ROW_NUMBER_MISSING("row number '{=field}' is missing"),
  ROW_NUMBER_NULL("row number '{=field}' is null"),
  ROW_NUMBER_OUT_OF_RANGE("row number '{=field}' is out of range (int64): {value}"),
  ROW_NUMBER_NOT_INTEGRAL("row number '{=field}' is not an integral number: {value}"),
  ROW_NUMBER_NOT_A_NUMBER("row number '{=field}' is not a JSON number: {value}"),
  ROW_NUMBER_TOO_LONG(
      "row number '{=field}' is too long: a number of {#length} characters, more than the limit of {#limit}"),
  /** The archive job's size check, before parsing (its {@code --maxRecordBytes}). */
  ARCHIVE_RECORD_TOO_LARGE("record of {#bytes} bytes is larger than the limit of {#limit} bytes (--maxRecordBytes)"),
  /** A bug in the parser, not bad input: the record is still accounted for. */
  PARSER_FAILURE("parser failure: {exception}");

  /** In a holder: an enum's constructor may not read the enum's own static fields. */
  private static final class Patterns {
    static final Pattern PLACEHOLDER = Pattern.compile("\\{([#=~]?)([a-z]+)\\}");

    /** Jackson's message up to its first detail: a quote, a parenthesis, a colon or a bracket. */
    static final Pattern FIRST_PHRASE = Pattern.compile("^[^'\"(:\\[]*");
  }

  private final String template;
  private final Pattern reading;
  private final List<Character> sorts = new ArrayList<>();
  private final List<String> names = new ArrayList<>();

  DeadLetterReason(String template) {
    this.template = template;
    StringBuilder regex = new StringBuilder("^");
    Matcher m = Patterns.PLACEHOLDER.matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start())));
      char sort = m.group(1).isEmpty() ? ' ' : m.group(1).charAt(0);
      regex.append(sort == '#' ? "(-?\\d+)" : "(.*)");
      sorts.add(sort);
      names.add(m.group(2));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last))).append('$');
    this.reading = Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** The template as written in the docs, e.g. {@code invalid UTF-8 at byte {#byte}}. */
  public String template() {
    return template;
  }

  /** The reason: the template with {@code values} in its placeholders, in order. */
  public String format(Object... values) {
    if (values.length != names.size()) {
      throw new IllegalArgumentException(name() + " takes " + names + ", not " + values.length + " values");
    }
    Matcher m = Patterns.PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(values[i++])));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * The group a written reason belongs to: its template with positions, sizes and values taken out,
   * e.g. {@code invalid UTF-8 at byte <byte>}. A reason no template matches (one written by another
   * version) is grouped by its text with every number taken out.
   */
  public static String groupOf(String reason) {
    for (DeadLetterReason r : values()) {
      Matcher m = r.reading.matcher(reason);
      if (m.matches()) {
        return r.group(m);
      }
    }
    return reason.replaceAll("\\d+", "<n>");
  }

  private String group(Matcher read) {
    Matcher m = Patterns.PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (m.find()) {
      String shown;
      switch (sorts.get(i)) {
        case '=' -> shown = read.group(i + 1);
        case '~' -> {
          Matcher phrase = Patterns.FIRST_PHRASE.matcher(read.group(i + 1));
          String first = phrase.find() ? phrase.group().strip() : "";
          shown = first.isEmpty() ? "<" + names.get(i) + ">" : first + " …";
        }
        default -> shown = "<" + names.get(i) + ">";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(shown));
      i++;
    }
    m.appendTail(out);
    return out.toString();
  }
}
