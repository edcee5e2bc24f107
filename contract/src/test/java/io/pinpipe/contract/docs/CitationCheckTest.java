package io.pinpipe.contract.docs;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;

public class CitationCheckTest {
  /** A repository of three docs and a folder. */
  private static final Map<String, List<String>> DOCS =
      Map.of(
          "README.md", List.of("# Pipeline", "## Quick start"),
          "docs/design.md", List.of("# Design", "## Outputs", "### Streaming", "## Streaming"),
          "docs/semantics.md", List.of("# Semantics", "## Queries"),
          "bin/local-kafka", List.of("#!/bin/sh"));

  private final CitationCheck check =
      new CitationCheck(
          new CitationCheck.Files() {
            @Override
            public Optional<List<String>> linesOf(String path) {
              return Optional.ofNullable(DOCS.get(path));
            }

            @Override
            public boolean exists(String path) {
              return DOCS.containsKey(path) || DOCS.keySet().stream().anyMatch(p -> p.startsWith(path + "/"));
            }
          });

  @Test
  public void citationsOfHeadingsThatExistPass() {
    List<String> comment =
        List.of(
            " * The run's folder (docs/design.md#outputs; windows: docs/design.md#streaming-1).",
            " * Whole docs too: docs/semantics.md, README.md, and README.md#quick-start.");
    assertEquals(List.of(), check.problemsIn("pipelines/src/main/java/A.java", comment));
  }

  @Test
  public void aPlantedCitationOfAMissingHeadingOrFileIsNamedWithItsLine() {
    List<String> comment =
        List.of(
            "/**",
            " * Committed in one step (docs/design.md#one-step), as docs/streaming.md says,",
            " * and BENCHMARKS.md#figures measured.",
            " */");
    assertEquals(
        List.of(
            "pipelines/src/main/java/A.java:2: docs/design.md#one-step: no heading of docs/design.md has the anchor #one-step",
            "pipelines/src/main/java/A.java:2: docs/streaming.md: no such file docs/streaming.md",
            "pipelines/src/main/java/A.java:3: BENCHMARKS.md#figures: no such file BENCHMARKS.md"),
        check.problemsIn("pipelines/src/main/java/A.java", comment));
  }

  @Test
  public void theOldNotesAreRefusedWhereverTheyAreCited() {
    // Spelled in two pieces, so this file does not itself cite the notes users do not have.
    String notes = "DESIGN" + ".md";
    assertEquals(
        List.of(
            "bench/run.sh:1: \"" + notes + "\" cites notes that are not in the repository",
            "bench/run.sh:1: \"\u00a7\" cites notes that are not in the repository",
            "bench/run.sh:2: \"helper-notes\" cites notes that are not in the repository",
            "bench/run.sh:3: \"" + notes + "\" cites notes that are not in the repository",
            "bench/run.sh:4: \"\u00a7\" cites notes that are not in the repository",
            "bench/run.sh:5: \"helper-notes\" cites notes that are not in the repository"),
        check.problemsIn(
            "bench/run.sh",
            List.of(
                "# as " + notes + " \u00a73 says",
                "# see helper-notes/semantics.md",
                "# " + notes + ", section 3",
                "# docs/design.md \u00a74",
                "# the helper-notes folder",
                "# docs/design.md and design.md are the project's own")));
  }

  @Test
  public void aSectionCitedByItsQuotedTitleIsRefusedButAMessagesEscapedQuotesAreNot() {
    List<String> lines =
        List.of(
            "  // one run at a time (docs/design.md, \"Outputs\") and (README, \"Quick start\")",
            "  throw new UserError(\"see docs/design.md, \\\"Outputs\\\"\");");
    assertEquals(
        List.of(
            "A.java:1: docs/design.md, \"Outputs\": cite the section as a link to its heading's anchor",
            "A.java:1: README, \"Quick start\": cite the section as a link to its heading's anchor"),
        check.problemsIn("A.java", lines));
  }

  @Test
  public void aMessagesQuotedTitleMustBeAHeadingOfTheFileItNamesEvenAcrossStringPieces() {
    List<String> lines =
        List.of(
            "    throw new UserError(\"see docs/design.md, \\\"Nowhere\\\"\");",
            "    throw new UserError(\"the output (docs/design.md,\"",
            "        + \" \\\"Outputs\\\") and the rules (docs/semantics.md,\"",
            "        + \" \\\"Cleaning\\\"), README \\\"Quick start\\\" and README.md, \\\"Slow start\\\"\");",
            "echo \"Spark SQL on the tables: docs/semantics.md, \\\"Queries\\\"\"");
    assertEquals(
        List.of(
            "A.java:1: docs/design.md, \\\"Nowhere\\\": no heading of docs/design.md has the anchor #nowhere",
            "A.java:3: docs/semantics.md, \\\"Cleaning\\\": no heading of docs/semantics.md has the anchor #cleaning",
            "A.java:4: README.md, \\\"Slow start\\\": no heading of README.md has the anchor #slow-start"),
        check.problemsIn("A.java", lines));
  }

  @Test
  public void markdownLinksResolveFromTheLinkingFilesFolder() {
    List<String> doc =
        List.of(
            "See [Queries](semantics.md#queries), [the start](../README.md#quick-start),",
            "[this page's outputs](#outputs), [the scripts](../bin/) and [a web page](https://example.com/x.md#y).",
            "Wrong: [from the root](docs/semantics.md#queries), [no anchor](semantics.md#cleaning),",
            "[none](#nowhere), [above the root](../../x.md).",
            "```",
            "[in a code block](nowhere.md)",
            "```");
    assertEquals(
        List.of(
            "docs/design.md:3: docs/semantics.md#queries: no such file docs/docs/semantics.md",
            "docs/design.md:3: semantics.md#cleaning: no heading of docs/semantics.md has the anchor #cleaning",
            "docs/design.md:4: #nowhere: no heading of docs/design.md has the anchor #nowhere",
            "docs/design.md:4: ../../x.md: outside the repository"),
        check.problemsIn("docs/design.md", doc));
  }

  @Test
  public void aRootMarkdownLinkThatIsAlsoAPathFromTheRootIsNamedOnce() {
    assertEquals(
        List.of("README.md:1: docs/design.md#nowhere: no heading of docs/design.md has the anchor #nowhere"),
        check.problemsIn("README.md", List.of("[Design](docs/design.md#nowhere)")));
  }
}
