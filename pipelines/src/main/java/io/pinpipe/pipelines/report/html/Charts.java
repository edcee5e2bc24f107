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
 */
final class Charts {
  private Charts() {}

  static final String[] OKABE_ITO = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"
  };
  private static final int WIDTH = 720;
  private static final int PLOT_TOP = 30;
  private static final int PLOT_HEIGHT = 220;
  private static final int LEFT = 70;

  /** One bar: its x group, an optional label drawn on it (e.g. the category), and its value. */
  record Bar(String group, String label, double value) {}

  /**
   * Bars grouped by x value; several bars in one group are a tie and are drawn side by side,
   * the group's axis label marked "(tie)". Bars are coloured by label when {@code colourByLabel}.
   */
  static String bars(String chart, String xTitle, String yTitle, List<Bar> bars, boolean colourByLabel) {
    Map<String, List<Bar>> groups = new LinkedHashMap<>();
    for (Bar b : bars) {
      groups.computeIfAbsent(b.group(), g -> new ArrayList<>()).add(b);
    }
    List<String> labels = new ArrayList<>(new TreeSet<>(bars.stream().map(Bar::label).toList()));
    double max = niceMax(bars.stream().mapToDouble(Bar::value).max().orElse(1));
    int plotWidth = WIDTH - LEFT - 20;
    double groupWidth = (double) plotWidth / Math.max(1, groups.size());
    StringBuilder svg = open(chart, WIDTH, PLOT_TOP + PLOT_HEIGHT + 68, yTitle + " by " + xTitle);
    axes(svg, max, yTitle, xTitle, plotWidth);
    int g = 0;
    for (Map.Entry<String, List<Bar>> group : groups.entrySet()) {
      List<Bar> members = group.getValue();
      double x0 = LEFT + g * groupWidth + groupWidth * 0.1;
      double barWidth = groupWidth * 0.8 / members.size();
      for (int i = 0; i < members.size(); i++) {
        Bar b = members.get(i);
        double h = PLOT_HEIGHT * b.value() / max;
        double x = x0 + i * barWidth;
        double y = PLOT_TOP + PLOT_HEIGHT - h;
        String colour = colourByLabel ? OKABE_ITO[labels.indexOf(b.label()) % OKABE_ITO.length] : OKABE_ITO[0];
        svg.append(String.format(Locale.ROOT,
            "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s</title></rect>",
            x, y, Math.max(1, barWidth - 2), Math.max(1, h), colour,
            Html.escape(b.group() + ": " + (b.label().isEmpty() ? "" : b.label() + ", ") + Html.number(b.value()))));
        String text = Html.number(b.value());
        svg.append(String.format(Locale.ROOT,
            "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>",
            x + barWidth / 2, y - 4, Html.escape(text)));
      }
      String axisLabel = group.getKey() + (members.size() > 1 ? " (tie)" : "");
      double centre = LEFT + g * groupWidth + groupWidth / 2;
      svg.append(String.format(Locale.ROOT,
          "<text class=\"tick%s\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
          members.size() > 1 ? " tie" : "", centre, PLOT_TOP + PLOT_HEIGHT + 18, Html.escape(axisLabel)));
      // The categories in words under the axis, so the chart does not rely on colour alone.
      String names = String.join(" / ", members.stream().map(Bar::label).filter(l -> !l.isEmpty()).toList());
      if (!names.isEmpty()) {
        svg.append(String.format(Locale.ROOT,
            "<text class=\"category\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
            centre, PLOT_TOP + PLOT_HEIGHT + 34, Html.escape(names)));
      }
      g++;
    }
    return svg.append("</svg>").toString();
  }

  /** The smallest 4 x (1, 2, 2.5 or 5 x 10^k) at or above {@code max}: round axis ticks. */
  static double niceMax(double max) {
    if (max <= 0) {
      return 4;
    }
    double rough = max / 4;
    double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double f : new double[] {1, 2, 2.5, 5, 10}) {
      if (f * magnitude >= rough) {
        return 4 * f * magnitude;
      }
    }
    return 40 * magnitude;
  }

  /** A heat map: one {@code rect.cell} per (row, column) value, the value written in it. */
  static String heatMap(String chart, String rowTitle, String columnTitle, String valueTitle,
      List<String> rows, List<String> columns, Map<String, Double> values) {
    int cellW = Math.max(60, (WIDTH - 120) / Math.max(1, columns.size()));
    int cellH = 36;
    int width = 120 + cellW * columns.size();
    int height = 50 + cellH * rows.size() + 30;
    double min = values.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
    StringBuilder svg = open(chart, width, height, valueTitle + " by " + rowTitle + " and " + columnTitle);
    for (int c = 0; c < columns.size(); c++) {
      svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"40\" text-anchor=\"middle\">%s</text>",
          120 + c * cellW + cellW / 2, Html.escape(columns.get(c))));
    }
    svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%d\" y=\"18\" text-anchor=\"middle\">%s</text>",
        120 + cellW * columns.size() / 2, Html.escape(columnTitle)));
    for (int r = 0; r < rows.size(); r++) {
      int y = 50 + r * cellH;
      svg.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"110\" y=\"%d\" text-anchor=\"end\">%s</text>",
          y + cellH / 2 + 4, Html.escape(rows.get(r))));
      for (int c = 0; c < columns.size(); c++) {
        Double v = values.get(rows.get(r) + "|" + columns.get(c));
        if (v == null) {
          continue;
        }
        double t = max > min ? (v - min) / (max - min) : 0.5;
        svg.append(String.format(Locale.ROOT,
            "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>",
            120 + c * cellW, y, cellW - 2, cellH - 2, ramp(t),
            Html.escape(rows.get(r) + ", " + columns.get(c) + ": " + Html.number(v))));
        svg.append(String.format(Locale.ROOT,
            "<text class=\"cell-value\" x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%s</text>",
            120 + c * cellW + cellW / 2, y + cellH / 2 + 4, t > 0.55 ? "#fff" : "#000", Html.escape(Html.number(v))));
      }
    }
    svg.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"10\" y=\"%d\">%s</text>",
        height - 8, Html.escape("rows: " + rowTitle + "; colour: " + valueTitle)));
    return svg.append("</svg>").toString();
  }

  /** Light to dark blue: ordered by lightness, so it reads in greyscale and for colour-blind readers. */
  static String ramp(double t) {
    int r = (int) Math.round(222 - t * (222 - 8));
    int g = (int) Math.round(235 - t * (235 - 48));
    int b = (int) Math.round(247 - t * (247 - 107));
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  private static StringBuilder open(String chart, int width, int height, String label) {
    return new StringBuilder(
        String.format(Locale.ROOT,
            "<svg data-chart=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\" preserveAspectRatio=\"xMinYMin meet\">",
            Html.escape(chart), width, height, Html.escape(label)));
  }

  private static void axes(StringBuilder svg, double max, String yTitle, String xTitle, int plotWidth) {
    for (int i = 0; i <= 4; i++) {
      double v = max * i / 4;
      double y = PLOT_TOP + PLOT_HEIGHT - PLOT_HEIGHT * i / 4.0;
      svg.append(String.format(Locale.ROOT,
          "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\"/><text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
          LEFT, LEFT + plotWidth, y, y, LEFT - 6, y + 4, Html.escape(Html.number(Math.round(v)))));
    }
    svg.append(String.format(Locale.ROOT,
        "<text class=\"axis-title\" x=\"12\" y=\"%d\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>",
        PLOT_TOP + PLOT_HEIGHT / 2, PLOT_TOP + PLOT_HEIGHT / 2, Html.escape(yTitle)));
    svg.append(String.format(Locale.ROOT,
        "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
        LEFT + plotWidth / 2, PLOT_TOP + PLOT_HEIGHT + 58, Html.escape(xTitle)));
  }
}
