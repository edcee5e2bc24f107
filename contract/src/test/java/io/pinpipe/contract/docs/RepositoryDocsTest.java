package io.pinpipe.contract.docs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The repository's citations of its docs lead somewhere: every {@code docs/x.md#anchor} in a comment,
 * a script or a doc names a file and a heading that exist, every Markdown link a file that exists,
 * no section is cited by its quoted title instead (a message's quoted title must be a heading of the
 * file it names), and nothing cites notes readers do not have. Here, in contract, which transforms,
 * the emulator and the jobs all build on, so a broken citation fails the build before them.
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

  @Test
  public void everyTextFileOfTheRepositoryIsCheckedWhateverItsEndingButNoBuildOutput() {
    List<String> files = RepositoryFiles.fromModule().checkedFiles();
    // Files without a source ending: CI's script, a resource list, a data file the generator reads.
    assertTrue(
        files.containsAll(
            List.of(
                ".ci/run",
                ".gitignore",
                "pipelines/src/main/resources/META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory",
                "emulator/src/main/resources/io/pinpipe/emulator/vocabulary/countries.txt")));
    assertFalse("a binary file is not read as text", files.contains("docs/report.png"));
    assertTrue(
        "nothing the build writes",
        files.stream().noneMatch(path -> path.startsWith("target/") || path.contains("/target/")));
  }
}
