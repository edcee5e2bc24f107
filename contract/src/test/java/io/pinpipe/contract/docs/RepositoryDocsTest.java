package io.pinpipe.contract.docs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The repository's citations of its docs lead somewhere: every {@code docs/x.md#anchor} in a comment,
 * a script or a doc names a file and a heading that exist, every Markdown link a file that exists,
 * no section is cited by its quoted title instead, and nothing cites notes readers do not have. Here, in the module built first, so a broken
 * citation fails the build early.
 */
public class RepositoryDocsTest {
  @Test
  public void everyCitationOfADocLeadsToAFileAndAHeadingThatExist() {
    RepositoryFiles repository = RepositoryFiles.fromModule();
    List<String> files = repository.checkedFiles();
    // A wrong root would find nothing to check and pass.
    assertTrue(files.size() + " files", files.size() > 300);
    assertTrue(files.containsAll(List.of("README.md", "docs/design.md", "pom.xml", "bin/local-kafka")));

    CitationCheck check = new CitationCheck(repository);
    List<String> problems = new ArrayList<>();
    for (String file : files) {
      problems.addAll(check.problemsIn(file, repository.linesOf(file).orElseThrow()));
    }
    assertEquals("citations that lead nowhere", "", String.join("\n", problems));
  }
}
