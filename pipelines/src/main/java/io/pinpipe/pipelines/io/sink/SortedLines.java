package io.pinpipe.pipelines.io.sink;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.SerializableComparator;

/**
 * Gathers text lines into one text, sorted, one line per {@code \n}: the stable file content of a
 * small output (dead letters of a run). The empty collection gives the empty text.
 */
public final class SortedLines extends Combine.CombineFn<String, List<String>, String> {
  private final SerializableComparator<String> order;

  private SortedLines(SerializableComparator<String> order) {
    this.order = order;
  }

  /** Sorted so numbers inside the lines compare as numbers ({@code file:9} before {@code file:10}). */
  public static SortedLines naturally() {
    return new SortedLines(NaturalOrder::compare);
  }

  @Override
  public List<String> createAccumulator() {
    return new ArrayList<>();
  }

  @Override
  public List<String> addInput(List<String> lines, String line) {
    lines.add(line);
    return lines;
  }

  @Override
  public List<String> mergeAccumulators(Iterable<List<String>> accumulators) {
    List<String> merged = new ArrayList<>();
    accumulators.forEach(merged::addAll);
    return merged;
  }

  @Override
  public String extractOutput(List<String> lines) {
    List<String> sorted = new ArrayList<>(lines);
    sorted.sort(order);
    StringBuilder text = new StringBuilder();
    for (String line : sorted) {
      text.append(line).append('\n');
    }
    return text.toString();
  }

  @Override
  public Coder<List<String>> getAccumulatorCoder(CoderRegistry registry, Coder<String> inputCoder) {
    return ListCoder.of(StringUtf8Coder.of());
  }

  @Override
  public Coder<String> getDefaultOutputCoder(CoderRegistry registry, Coder<String> inputCoder) {
    return StringUtf8Coder.of();
  }

  /** Compares strings by code point, except that runs of digits compare by their numeric value. */
  static final class NaturalOrder {
    private NaturalOrder() {}

    static int compare(String a, String b) {
      int i = 0;
      int j = 0;
      while (i < a.length() && j < b.length()) {
        char ca = a.charAt(i);
        char cb = b.charAt(j);
        if (Character.isDigit(ca) && Character.isDigit(cb)) {
          int si = i;
          int sj = j;
          while (i < a.length() && Character.isDigit(a.charAt(i))) {
            i++;
          }
          while (j < b.length() && Character.isDigit(b.charAt(j))) {
            j++;
          }
          String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
          String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
          int byLength = Integer.compare(na.length(), nb.length());
          if (byLength != 0) {
            return byLength;
          }
          int byDigits = na.compareTo(nb);
          if (byDigits != 0) {
            return byDigits;
          }
        } else {
          if (ca != cb) {
            return Character.compare(ca, cb);
          }
          i++;
          j++;
        }
      }
      int byRest = Integer.compare(a.length() - i, b.length() - j);
      return byRest != 0 ? byRest : a.compareTo(b);
    }
  }
}
