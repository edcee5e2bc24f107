package io.pinpipe.transforms.results;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Ages to the age groups of q4, q5 and q8, and the order the groups are reported in. */
@RunWith(JUnit4.class)
public class AgeGroupsTest {

  @Test
  public void eachBoundaryAgeFallsInItsDocumentedGroup() {
    assertEquals("<18", AgeGroups.of(0));
    assertEquals("<18", AgeGroups.of(17));
    assertEquals("18-24", AgeGroups.of(18));
    assertEquals("18-24", AgeGroups.of(24));
    assertEquals("25-35", AgeGroups.of(25));
    assertEquals("25-35", AgeGroups.of(35));
    assertEquals("36-50", AgeGroups.of(36));
    assertEquals("36-50", AgeGroups.of(50));
    assertEquals("+50", AgeGroups.of(51));
    assertEquals("+50", AgeGroups.of(120));
  }

  @Test
  public void groupsSortYoungestFirstNotByLabel() {
    List<String> groups = new ArrayList<>(List.of("+50", "36-50", "18-24", "<18", "25-35"));
    groups.sort(AgeGroups::compare);
    assertEquals(List.of("<18", "18-24", "25-35", "36-50", "+50"), groups);
    // By code point "+50" would come first: the order must not be the strings'.
    assertTrue("+50".compareTo("18-24") < 0);
  }

  @Test
  public void anUnknownGroupIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> AgeGroups.rank("50+"));
  }
}
