package io.pinpipe.pipelines.report.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Inline SVG charts drawn from result rows: no library, no network. Every chart is an {@code
 * <svg data-chart="<result name>">} whose marks are {@code rect.bar} or {@code rect.cell}, one per
 * result row, so a test can count them. Colours: the Okabe-Ito palette (distinguishable with the
 * common colour-vision deficiencies) for categories, a single-hue ramp for the heat map.
 *
 * <p>The charts are drawn {@value #WIDTH} units wide with {@value #FONT}-unit text and scale to the
 * page: on a phone (a 390 px viewport leaves about 356 px) the text is still more than 12 px, and
 * the page's CSS caps a chart's width on a wide screen so that it does not grow past about 16 px.
 * Bars are horizontal, so every label is written level, whatever the width.
 */
final class Charts {
  private Charts() {}

  static final String[] OKABE_ITO = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"
  };
  static final int WIDTH = 400;
  static final int FONT = 14;
  /** A generous average advance of the page's sans-serif at {@link #FONT} units, to make room for labels. */
  private static final double CHAR_WIDTH = 0.6 * FONT;
  private static final int TOP = 30;
  private static final int LEFT = 64;
  private static final int BAR_HEIGHT = 22;
  private static final int BAR_GAP = 4;
  private static final int GROUP_GAP = 14;

  /** One bar: its group (a year, an age group), an optional label (e.g. the category), and its value. */
  record Bar(String group, String label, double value) {}

  /**
   * Horizontal bars grouped by {@code group}; several bars in one group are a tie and are drawn one
   * under the other, the group's label marked "(tie)". Each bar has its label and value written at
   * its end, so colour (by label when {@code colourByLabel}) is never the only cue.
   */
  static String bars(String chart, String groupTitle, String valueTitle, List<Bar> bars, boolean colourByLabel) {
    Map<String, List<Bar>> groups = new LinkedHashMap<>();
    for (Bar b : bars) {
      groups.computeIfAbsent(b.group(), g -> new ArrayList<>()).add(b);
    }
    List<String> labels = new ArrayList<>(new TreeSet<>(bars.stream().map(Bar::label).toList()));
    double max = bars.stream().mapToDouble(Bar::value).max().orElse(1);
    int textRoom = (int) Math.ceil(bars.stream().mapToInt(b -> barText(b).length()).max().orElse(0) * CHAR_WIDTH) + 8;
    double barRoom = WIDTH - LEFT - 2 - textRoom;
    int height = TOP;
    for (List<Bar> members : groups.values()) {
      height += members.size() * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + GROUP_GAP;
    }
    height += 4;
    StringBuilder svg = open(chart, WIDTH, height, valueTitle + " by " + groupTitle);
    svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"0\" y=\"18\">%s</text>",
        Html.escape(valueTitle + " by " + groupTitle)));
    int y = TOP;
    for (Map.Entry<String, List<Bar>> group : groups.entrySet()) {
      List<Bar> members = group.getValue();
      int groupHeight = members.size() * (BAR_HEIGHT + BAR_GAP) - BAR_GAP;
      int middle = y + groupHeight / 2;
      if (members.size() > 1) {
        svg.append(String.format(Locale.ROOT,
            "<text class=\"tick tie\" text-anchor=\"end\"><tspan x=\"%d\" y=\"%d\">%s</tspan>"
                + "<tspan x=\"%d\" y=\"%d\">(tie)</tspan></text>",
            LEFT - 8, middle - 3, Html.escape(group.getKey()), LEFT - 8, middle + FONT + 1));
      } else {
        svg.append(String.format(Locale.ROOT,
            "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
            LEFT - 8, middle + 5, Html.escape(group.getKey())));
      }
      for (Bar b : members) {
        double length = Math.max(1, barRoom * b.value() / max);
        String colour = colourByLabel ? OKABE_ITO[labels.indexOf(b.label()) % OKABE_ITO.length] : OKABE_ITO[0];
        svg.append(String.format(Locale.ROOT,
            "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
            LEFT, y, length, BAR_HEIGHT, colour,
            Html.escape(b.group() + ": " + (b.label().isEmpty() ? "" : b.label() + ", ") + Html.number(b.value()))));
        svg.append(String.format(Locale.ROOT, "<text class=\"value\" x=\"%.1f\" y=\"%d\">%s</text>",
            LEFT + length + 6, y + BAR_HEIGHT / 2 + 5, Html.escape(barText(b))));
        y += BAR_HEIGHT + BAR_GAP;
      }
      y += GROUP_GAP - BAR_GAP;
    }
    svg.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>",
        LEFT, LEFT, TOP - 4, y - GROUP_GAP + 4));
    return svg.append("</svg>").toString();
  }

  /** What is written at a bar's end: its label (the category) and its value. */
  private static String barText(Bar b) {
    return (b.label().isEmpty() ? "" : b.label() + " · ") + Html.number(b.value());
  }

  /**
   * A heat map: one {@code rect.cell} per (row, column) value, the value written in it in black or
   * white, whichever contrasts more with the cell (WCAG 2 contrast ratio, at least 4.58:1 for any
   * fill).
   */
  static String heatMap(String chart, String rowTitle, String columnTitle, String valueTitle,
      List<String> rows, List<String> columns, Map<String, Double> values) {
    int top = 50;
    int cellHeight = 32;
    double cellWidth = (double) (WIDTH - LEFT - 4) / Math.max(1, columns.size());
    int height = top + cellHeight * rows.size() + 30;
    double min = values.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
    StringBuilder svg = open(chart, WIDTH, height, valueTitle + " by " + rowTitle + " and " + columnTitle);
    svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%.1f\" y=\"18\" text-anchor=\"middle\">%s</text>",
        LEFT + cellWidth * columns.size() / 2, Html.escape(columnTitle)));
    // The rows' title in the top corner, clear of the column labels below it however many there are.
    svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"0\" y=\"18\">%s</text>", Html.escape(rowTitle)));
    for (int c = 0; c < columns.size(); c++) {
      svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"40\" text-anchor=\"middle\">%s</text>",
          LEFT + c * cellWidth + cellWidth / 2, Html.escape(columns.get(c))));
    }
    for (int r = 0; r < rows.size(); r++) {
      int y = top + r * cellHeight;
      svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
          LEFT - 8, y + cellHeight / 2 + 5, Html.escape(rows.get(r))));
      for (int c = 0; c < columns.size(); c++) {
        Double v = values.get(rows.get(r) + "|" + columns.get(c));
        if (v == null) {
          continue;
        }
        String fill = ramp(max > min ? (v - min) / (max - min) : 0.5);
        double x = LEFT + c * cellWidth;
        svg.append(String.format(Locale.ROOT,
            "<rect class=\"cell\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
            x, y, cellWidth - 2, cellHeight - 2, fill,
            Html.escape(rows.get(r) + ", " + columns.get(c) + ": " + Html.number(v))));
        // A style attribute, not a fill attribute: the page's CSS for svg text would override that.
        svg.append(String.format(Locale.ROOT,
            "<text class=\"cell-value\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" style=\"fill:%s\">%s</text>",
            x + (cellWidth - 2) / 2, y + cellHeight / 2 + 4, labelColour(fill), Html.escape(Html.compact(v))));
      }
    }
    svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"0\" y=\"%d\">%s</text>",
        height - 8, Html.escape("colour: " + valueTitle + ", darker is more")));
    return svg.append("</svg>").toString();
  }

  /** Light to dark blue: ordered by lightness, so it reads in greyscale and for colour-blind readers. */
  static String ramp(double t) {
    int r = (int) Math.round(222 - t * (222 - 8));
    int g = (int) Math.round(235 - t * (235 - 48));
    int b = (int) Math.round(247 - t * (247 - 107));
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  /** Black or white, whichever has the higher WCAG 2 contrast ratio with {@code background}. */
  static String labelColour(String background) {
    double l = luminance(background);
    double withBlack = (l + 0.05) / 0.05;
    double withWhite = 1.05 / (l + 0.05);
    return withBlack >= withWhite ? "#000000" : "#ffffff";
  }

  /** WCAG 2's relative luminance of a {@code #rrggbb} colour. */
  static double luminance(String hex) {
    double[] c = new double[3];
    for (int i = 0; i < 3; i++) {
      double s = Integer.parseInt(hex.substring(1 + 2 * i, 3 + 2 * i), 16) / 255.0;
      c[i] = s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  /** The WCAG 2 contrast ratio of two {@code #rrggbb} colours, 1 to 21. */
  static double contrast(String a, String b) {
    double la = luminance(a);
    double lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  private static StringBuilder open(String chart, int width, int height, String label) {
    return new StringBuilder(
        String.format(Locale.ROOT,
            "<svg data-chart=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" preserveAspectRatio=\"xMinYMin meet\">",
            Html.escape(chart), width, height, Html.escape(label)));
  }
}
