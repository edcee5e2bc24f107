package io.pinpipe.contract.cli;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.Test;

public class SuggestionsTest {
  private static final List<String> NAMES =
      List.of("input", "output", "overwrite", "bootstrapServers", "topicPrefix", "count", "runner", "sparkMaster");

  @Test
  public void slipsOfTheKeyboardFindTheirOption() {
    assertEquals(Optional.of("input"), Suggestions.nearest("imput", NAMES));
    assertEquals(Optional.of("output"), Suggestions.nearest("outptu", NAMES)); // a swap counts once
    assertEquals(Optional.of("count"), Suggestions.nearest("cout", NAMES));
    assertEquals(Optional.of("overwrite"), Suggestions.nearest("Overwrite", NAMES)); // case
    assertEquals(Optional.of("bootstrapServers"), Suggestions.nearest("bootstrapServer", NAMES));
    assertEquals(Optional.of("bootstrapServers"), Suggestions.nearest("bootstrap", NAMES)); // a clear start
    assertEquals(Optional.of("sparkMaster"), Suggestions.nearest("sparkmaster", NAMES));
  }

  @Test
  public void unrelatedWordsGetNoHint() {
    assertEquals(Optional.empty(), Suggestions.nearest("bogusOption", NAMES));
    assertEquals(Optional.empty(), Suggestions.nearest("colour", NAMES));
    assertEquals(Optional.empty(), Suggestions.nearest("x", NAMES));
    assertEquals("", Suggestions.didYouMean("colour", NAMES, "--"));
    assertEquals(" (did you mean --runner?)", Suggestions.didYouMean("runer", NAMES, "--"));
  }

  @Test
  public void distanceCountsEditsAndSwaps() {
    assertEquals(0, Suggestions.distance("abc", "abc"));
    assertEquals(1, Suggestions.distance("abc", "acb"));
    assertEquals(1, Suggestions.distance("abc", "abcd"));
    assertEquals(3, Suggestions.distance("kitten", "sitting"));
  }
}
