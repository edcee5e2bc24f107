package io.pinpipe.contract.docs;

import java.util.ArrayList;
import java.util.List;

/** Markdown's fenced code blocks, which hold neither headings nor links. */
final class FencedCode {
  private FencedCode() {}

  /**
   * The lines with every line of a fenced block (fences included) blanked, so the rest keep their
   * line numbers.
   */
  static List<String> outsideFences(List<String> lines) {
    List<String> outside = new ArrayList<>(lines.size());
    String openFence = null;
    for (String line : lines) {
      String start = line.stripLeading();
      if (openFence == null && (start.startsWith("```") || start.startsWith("~~~"))) {
        openFence = start.substring(0, 3);
        outside.add("");
      } else if (openFence != null) {
        if (start.startsWith(openFence)) {
          openFence = null;
        }
        outside.add("");
      } else {
        outside.add(line);
      }
    }
    return outside;
  }
}
