package io.pinpipe.emulator.generate;

import io.pinpipe.emulator.generate.ReferenceStatistics.Placeholder;
import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Titles, descriptions and tag lists, composed word by word from the category's vocabulary with
 * the sample's word frequencies and lengths. No sentence of the sample is reproduced: words are
 * drawn independently, and only words found in at least two pins of a category are known.
 */
final class TextComposer {
  private static final Set<String> PLACEHOLDERS =
      EnumSet.allOf(Placeholder.class).stream().map(p -> p.text).collect(Collectors.toSet());

  private final Vocabulary vocabulary;
  private final WeightedTable<Integer> titleWords =
      WeightedTable.ofRange(1, ReferenceStatistics.TITLE_WORD_ROWS);
  private final WeightedTable<Integer> uncutDescriptionWords =
      WeightedTable.ofRange(1, ReferenceStatistics.UNCUT_DESCRIPTION_WORD_ROWS);
  private final WeightedTable<Integer> tagsPerList =
      WeightedTable.ofRange(
          ReferenceStatistics.FIRST_TAGS_PER_LIST, ReferenceStatistics.TAGS_PER_LIST_ROWS);
  private final WeightedTable<Integer> wordsPerTag =
      WeightedTable.ofRange(1, ReferenceStatistics.WORDS_PER_TAG);

  TextComposer(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
  }

  String title(String category, SplittableRandom random) {
    String title;
    do {
      title = capitalized(words(vocabulary.titleWords(category), titleWords.pick(random), random));
    } while (PLACEHOLDERS.contains(title));
    return title;
  }

  /**
   * Pinterest cut long descriptions after 176 or 177 characters and appended "…" and a no-break
   * space (40% of the sample's descriptions); the others are a few words to a few sentences.
   */
  String description(String category, SplittableRandom random) {
    WeightedTable<String> words = vocabulary.descriptionWords(category);
    String text;
    do {
      if (random.nextInt(ReferenceStatistics.DESCRIPTION_ROWS)
          < ReferenceStatistics.CUT_DESCRIPTION_ROWS) {
        text = cut(words, random);
      } else {
        text = uncut(words, random);
      }
    } while (PLACEHOLDERS.contains(text));
    return text;
  }

  private static String cut(WeightedTable<String> words, SplittableRandom random) {
    int keep =
        random.nextInt(ReferenceStatistics.CUT_AT_177_ROWS + ReferenceStatistics.CUT_AT_176_ROWS)
                < ReferenceStatistics.CUT_AT_177_ROWS
            ? 177
            : 176;
    StringBuilder text = new StringBuilder(keep + 40);
    while (text.length() <= keep) {
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(words.pick(random));
    }
    text.setLength(keep);
    if (Character.isHighSurrogate(text.charAt(keep - 1))) {
      text.setLength(keep - 1); // never split a character
    }
    while (text.charAt(text.length() - 1) == ' ') {
      text.setLength(text.length() - 1);
    }
    capitalize(text);
    return text.append(ReferenceStatistics.CUT_MARK).toString();
  }

  private String uncut(WeightedTable<String> words, SplittableRandom random) {
    StringBuilder text =
        new StringBuilder(capitalized(words(words, uncutDescriptionWords.pick(random), random)));
    char last = text.charAt(text.length() - 1);
    boolean endsSentence = last == '.' || last == '!' || last == '?';
    if (!endsSentence
        && random.nextInt(ReferenceStatistics.UNCUT_DESCRIPTIONS)
            < ReferenceStatistics.UNCUT_SENTENCE_END_ROWS) {
      // the sample ends sentences with '.' 491 times, with '!' 239 times
      text.append(random.nextInt(730) < 491 ? '.' : '!');
    }
    return text.toString();
  }

  /** Comma-separated tags of one to a few words each, as Pinterest suggested them. */
  String tagList(String category, SplittableRandom random) {
    WeightedTable<String> words = vocabulary.tagWords(category);
    int tags = tagsPerList.pick(random);
    StringBuilder list = new StringBuilder(tags * 24);
    for (int t = 0; t < tags; t++) {
      if (t > 0) {
        list.append(',');
      }
      list.append(words(words, wordsPerTag.pick(random), random));
    }
    String text = list.toString();
    return PLACEHOLDERS.contains(text) ? tagList(category, random) : text;
  }

  private static String words(WeightedTable<String> vocabulary, int count, SplittableRandom random) {
    StringBuilder text = new StringBuilder(count * 8);
    for (int w = 0; w < count; w++) {
      if (w > 0) {
        text.append(' ');
      }
      text.append(vocabulary.pick(random));
    }
    return text.toString();
  }

  private static String capitalized(String text) {
    StringBuilder s = new StringBuilder(text);
    capitalize(s);
    return s.toString();
  }

  private static void capitalize(StringBuilder text) {
    char first = text.charAt(0);
    if (Character.isLowerCase(first)) {
      text.setCharAt(0, Character.toUpperCase(first));
    }
  }
}
