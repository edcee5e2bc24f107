package io.pinpipe.contract.docs;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class MarkdownAnchorsTest {
  @Test
  public void anAnchorIsTheHeadingLowerCasedWithoutPunctuationAndSpacesAsHyphens() {
    assertEquals("restarts-what-resumes-where", MarkdownAnchors.anchorOf("Restarts: what resumes where"));
    assertEquals("upkeep-iceberg-maintain", MarkdownAnchors.anchorOf("Upkeep: iceberg-maintain"));
    assertEquals(
        "clean-schemas-transformsschemarecordschemasjava",
        MarkdownAnchors.anchorOf("Clean schemas (`transforms/.../schema/RecordSchemas.java`)"));
    assertEquals(
        "10000000-events-on-sparkrunner-bounded-2026-12-06-fifth-session",
        MarkdownAnchors.anchorOf("10,000,000 events on SparkRunner: bounded (2026-12-06, fifth session)"));
  }

  @Test
  public void eachSpaceBecomesAHyphenEvenAroundADroppedSymbol() {
    assertEquals(
        "figures-generator-emulator--kafka-per-record-hot-paths",
        MarkdownAnchors.anchorOf("Figures: generator, emulator → Kafka, per-record hot paths"));
  }

  @Test
  public void aLinkInAHeadingKeepsItsTextAndUnderscoresStay() {
    assertEquals("the-max_pack-bound", MarkdownAnchors.anchorOf("The [max_pack](docs/x.md#y) bound"));
  }

  @Test
  public void aRepeatedHeadingIsNumberedAndCodeBlocksHoldNoHeadings() {
    List<String> lines =
        List.of(
            "# Design",
            "## Streaming",
            "```sh",
            "# a shell comment, not a heading",
            "```",
            "#not-a-heading",
            "### Streaming",
            "    ~~~",
            "## Inside a tilde fence",
            "    ~~~",
            "## Streaming ##");
    assertEquals(
        List.of("design", "streaming", "streaming-1", "streaming-2"),
        List.copyOf(MarkdownAnchors.anchorsOf(lines)));
  }
}
