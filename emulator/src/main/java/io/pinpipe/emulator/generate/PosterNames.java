package io.pinpipe.emulator.generate;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Poster names in the sample's shapes. One-word names are handles ("WeddingWire", "Decoist.com",
 * "xolivi"), so they are two vocabulary words run together; a share of two-word names are a
 * person's first and last name; longer names are blog and shop names made of vocabulary words
 * ("Home | Decor Ideas & DIY").
 *
 * <p>Short names take their words uniformly from the capitalized vocabulary words rather than by
 * frequency: frequent words ("The Home", "TheTravel") would make hundreds of accounts share a
 * name in a million events, where the sample's short names are nearly all distinct.
 */
final class PosterNames {
  /** 1,488 accounts: 308 one-word names, of which 34 all lowercase and 30 ending ".com". */
  static final int ONE_WORD_NAMES = 308;

  static final int LOWERCASE_HANDLES = 34;
  static final int DOT_COM_HANDLES = 30;
  /**
   * 98 of the 439 two-word names start with a first name of the user table (a lower bound for
   * person names: rarer first names are not in that list).
   */
  static final int TWO_WORD_NAMES = 439;

  static final int PERSON_NAMES = 98;

  /** Words that lead into a name but do not end one. */
  private static final Set<String> DETERMINERS = Set.of("The", "A", "An", "My", "Your", "Our", "Le", "La");

  private final Vocabulary vocabulary;
  private final List<String> capitalizedWords;
  private final WeightedTable<Integer> wordCounts =
      WeightedTable.ofRange(1, ReferenceStatistics.POSTER_NAME_WORD_ACCOUNTS);

  PosterNames(Vocabulary vocabulary) {
    this.vocabulary = vocabulary;
    this.capitalizedWords =
        vocabulary.posterWords.items().stream()
            .filter(PosterNames::startsCapitalized)
            .collect(Collectors.toUnmodifiableList());
  }

  String draw(SplittableRandom random) {
    int words = wordCounts.pick(random);
    if (words == 1) {
      return handle(random);
    }
    if (words == 2) {
      if (random.nextInt(TWO_WORD_NAMES) < PERSON_NAMES) {
        return pick(vocabulary.firstNames, random) + " " + pick(vocabulary.lastNames, random);
      }
      String first = pick(capitalizedWords, random);
      return first + " " + lastWord(first, random);
    }
    StringBuilder name = new StringBuilder();
    String previous = "";
    for (int w = 0; w < words; w++) {
      String word;
      if (w == 0) {
        word = pick(capitalizedWords, random);
      } else if (w == words - 1) {
        word = lastWord(previous, random);
      } else {
        // "|", "&", "and" join words inside a name, by their real frequency
        word = vocabulary.posterWords.pick(random);
      }
      if (w > 0) {
        name.append(' ');
      }
      name.append(word);
      previous = word;
    }
    return name.toString();
  }

  private String handle(SplittableRandom random) {
    String first = pick(capitalizedWords, random);
    String handle = lettersAndDigits(first) + lettersAndDigits(lastWord(first, random));
    int shape = random.nextInt(ONE_WORD_NAMES);
    if (shape < LOWERCASE_HANDLES) {
      return handle.toLowerCase(Locale.ROOT);
    }
    if (shape < LOWERCASE_HANDLES + DOT_COM_HANDLES) {
      return handle + ".com";
    }
    return handle;
  }

  /** A capitalized word that differs from the one before it and can end a name. */
  private String lastWord(String previous, SplittableRandom random) {
    String word = pick(capitalizedWords, random);
    for (int tries = 0; tries < 16 && (word.equals(previous) || DETERMINERS.contains(word)); tries++) {
      word = pick(capitalizedWords, random);
    }
    return word;
  }

  private static boolean startsCapitalized(String word) {
    int first = word.codePointAt(0);
    return Character.isUpperCase(first) || Character.isDigit(first);
  }

  private static String lettersAndDigits(String word) {
    StringBuilder s = new StringBuilder(word.length());
    word.codePoints().filter(Character::isLetterOrDigit).forEach(s::appendCodePoint);
    return s.toString();
  }

  private static String pick(List<String> uniform, SplittableRandom random) {
    return uniform.get(random.nextInt(uniform.size()));
  }
}
