package io.pinpipe.contract.docs;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The anchors GitHub gives a Markdown file's headings, so a citation such as {@code
 * docs/design.md#outputs} can be checked without a browser.
 */
final class MarkdownAnchors {
  private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\([^)]*\\)");

  private MarkdownAnchors() {}

  /**
   * GitHub's rule: a link keeps its text, lower case, every character that is not a letter, a digit,
   * a hyphen, an underscore or a space dropped, each space a hyphen.
   */
  static String anchorOf(String headingText) {
    String text = LINK.matcher(headingText.strip()).replaceAll("$1").toLowerCase(Locale.ROOT);
    StringBuilder anchor = new StringBuilder();
    text.codePoints()
        .forEach(
            c -> {
              if (c == ' ') {
                anchor.append('-');
              } else if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                anchor.appendCodePoint(c);
              }
            });
    return anchor.toString();
  }

  /**
   * Every anchor of a Markdown file's lines, in order: a heading's text repeated gets {@code -1},
   * {@code -2}, ...; lines in fenced code blocks are not headings (a shell comment there starts with
   * {@code #} too).
   */
  static Set<String> anchorsOf(List<String> lines) {
    Set<String> anchors = new LinkedHashSet<>();
    Map<String, Integer> timesSeen = new HashMap<>();
    for (String line : FencedCode.outsideFences(lines)) {
      Matcher heading = ATX_HEADING.matcher(line);
      if (!heading.matches()) {
        continue;
      }
      String anchor = anchorOf(heading.group(1));
      int seen = timesSeen.merge(anchor, 1, Integer::sum) - 1;
      anchors.add(seen == 0 ? anchor : anchor + "-" + seen);
    }
    return anchors;
  }
}
