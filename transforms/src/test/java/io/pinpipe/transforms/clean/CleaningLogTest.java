package io.pinpipe.transforms.clean;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.Test;

public class CleaningLogTest {

  @Test
  public void aStoryIsItsParseIssuesThenItsRulesAndNulledFieldsInOrder() {
    CleaningLog log = new CleaningLog(List.of("nulled:age:not_a_number"));
    log.fired("user_name_from_first_and_last");
    log.nulled("date_joined", "unparseable_datetime");
    assertEquals(
        List.of("nulled:age:not_a_number", "rule:user_name_from_first_and_last", "nulled:date_joined:unparseable_datetime"),
        log.events());
  }

  @Test
  public void restartForgetsThePreviousRecordsStory() {
    CleaningLog log = new CleaningLog();
    log.fired("a");
    log.restart(null).fired("b");
    assertEquals(List.of("rule:b"), log.events());
    assertEquals(List.of(), log.restart(List.of()).events());
  }

  @Test
  public void aRepeatedStoryIsDescribedOnceAndTheSameOrderMattersNotTheSameRules() {
    CleaningLog log = new CleaningLog();
    AtomicInteger described = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      log.restart(null).fired("x");
      log.fired("y");
      assertEquals("rule:x|rule:y", log.describedBy(events -> described.incrementAndGet() > 0 ? String.join("|", events) : ""));
    }
    assertEquals(1, described.get());
    log.restart(null).fired("y");
    log.fired("x");
    assertEquals("rule:y|rule:x", log.describedBy(events -> String.join("|", events)));
  }

  @Test
  public void pastTheBoundEveryStoryIsStillToldInFull() {
    CleaningLog log = new CleaningLog();
    for (int i = 0; i < CleaningLog.MAX_STORIES + 10; i++) {
      log.restart(List.of("unknown_field:f" + i)).nulled("age", "out_of_range");
      List<String> expected = new ArrayList<>(List.of("unknown_field:f" + i, "nulled:age:out_of_range"));
      assertEquals(expected, log.events());
      assertEquals(String.join(",", expected), log.describedBy(events -> String.join(",", events)));
    }
    // A story seen before the bound keeps its cached description.
    log.restart(List.of("unknown_field:f0")).nulled("age", "out_of_range");
    String first = log.describedBy(events -> String.join(",", events));
    log.restart(List.of("unknown_field:f0")).nulled("age", "out_of_range");
    assertSame(first, log.describedBy(events -> String.join(",", events)));
  }
}
