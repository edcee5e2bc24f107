package io.pinpipe.emulator.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The word lists the generator composes text and persons from: resource files under {@code
 * io/pinpipe/emulator/vocabulary/}, derived from the real sample by {@code
 * emulator/calibration/calibrate.py derive}. Weighted files hold "{@code <count>\t<entry>}"
 * lines, plain files one entry a line. Loaded once and shared, as they never change.
 */
final class Vocabulary {
  private static final String ROOT = "/io/pinpipe/emulator/vocabulary/";

  final WeightedTable<String> countries;
  final List<String> firstNames;
  final List<String> lastNames;
  final WeightedTable<String> posterWords;
  private final Map<String, WeightedTable<String>> titleWords = new HashMap<>();
  private final Map<String, WeightedTable<String>> descriptionWords = new HashMap<>();
  private final Map<String, WeightedTable<String>> tagWords = new HashMap<>();

  private Vocabulary() {
    countries = weighted("countries.txt");
    firstNames = plain("first_names.txt");
    lastNames = plain("last_names.txt");
    posterWords = weighted("poster_words.txt");
    for (String category : ReferenceStatistics.CATEGORIES) {
      titleWords.put(category, weighted("title/" + category + ".txt"));
      descriptionWords.put(category, weighted("description/" + category + ".txt"));
      tagWords.put(category, weighted("tag/" + category + ".txt"));
    }
  }

  private static final class Holder {
    static final Vocabulary INSTANCE = new Vocabulary();
  }

  static Vocabulary get() {
    return Holder.INSTANCE;
  }

  WeightedTable<String> titleWords(String category) {
    return titleWords.get(category);
  }

  WeightedTable<String> descriptionWords(String category) {
    return descriptionWords.get(category);
  }

  WeightedTable<String> tagWords(String category) {
    return tagWords.get(category);
  }

  private static WeightedTable<String> weighted(String file) {
    List<String> entries = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    for (String line : lines(file)) {
      int tab = line.indexOf('\t');
      if (tab <= 0 || tab == line.length() - 1) {
        throw new IllegalStateException(ROOT + file + ": expected '<count>\\t<entry>', got: " + line);
      }
      counts.add(Long.parseLong(line.substring(0, tab)));
      entries.add(line.substring(tab + 1));
    }
    return new WeightedTable<>(entries, counts.stream().mapToLong(Long::longValue).toArray());
  }

  private static List<String> plain(String file) {
    return List.copyOf(lines(file));
  }

  private static List<String> lines(String file) {
    List<String> lines = new ArrayList<>();
    try (InputStream in = Vocabulary.class.getResourceAsStream(ROOT + file)) {
      if (in == null) {
        throw new IllegalStateException("missing vocabulary resource " + ROOT + file);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read vocabulary resource " + ROOT + file, e);
    }
    if (lines.isEmpty()) {
      throw new IllegalStateException("empty vocabulary resource " + ROOT + file);
    }
    return lines;
  }
}
