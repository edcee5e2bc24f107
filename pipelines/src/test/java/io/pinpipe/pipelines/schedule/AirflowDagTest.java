package io.pinpipe.pipelines.schedule;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Runs the Python tests of the Airflow DAG (src/main/airflow/pinterest_batch_daily.py) so that
 * {@code mvn test} covers it: {@code python3 -m unittest discover} over src/test/airflow, which
 * imports the DAG with stand-in {@code airflow} modules (Airflow itself is not installed).
 * Without python3 the test is skipped, except on CI ({@code CI=true}) where it fails.
 */
public class AirflowDagTest {
  /** Number of test methods in src/test/airflow/test_*.py; a test silently not collected fails this. */
  private static final int EXPECTED_TESTS = 17;

  private static final long TIMEOUT_SECONDS = 120;

  // Maven runs tests with the module directory (pipelines/) as the working directory.
  private static final Path TESTS = Paths.get("src", "test", "airflow");
  private static final Path DAG = Paths.get("src", "main", "airflow", "pinterest_batch_daily.py");

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void dagPythonTestsPass() throws Exception {
    assertTrue("no " + TESTS.toAbsolutePath() + " (run from the pipelines module directory)",
        Files.isDirectory(TESTS));
    assertTrue("no DAG file " + DAG.toAbsolutePath(), Files.isRegularFile(DAG));
    requirePython3();

    Result result = run(List.of("python3", "-m", "unittest", "discover",
        "-s", TESTS.toAbsolutePath().toString(), "-p", "test_*.py", "-v"));

    assertEquals("python3 -m unittest failed:\n" + result.output, 0, result.status);
    assertThat(result.output, containsString("Ran " + EXPECTED_TESTS + " tests"));
    assertThat(result.output, containsString("\nOK"));
  }

  private void requirePython3() throws Exception {
    String missing;
    try {
      Result version = run(List.of("python3", "--version"));
      if (version.status == 0) {
        return;
      }
      missing = "python3 --version exited " + version.status + ": " + version.output.strip();
    } catch (IOException e) {
      missing = "python3 is not on the PATH (install Python 3, e.g. Debian's python3; " + e.getMessage() + ")";
    }
    String message = missing + "; the Airflow DAG tests (src/test/airflow) need Python 3";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + ", and CI=true does not allow skipping them");
    }
    Assume.assumeTrue("skipped: " + message, false);
  }

  private Result run(List<String> command) throws IOException, InterruptedException {
    // Output goes to a file, so a chatty process can never block on a full pipe.
    File output = tmp.newFile();
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output);
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in src/
    builder.environment().remove("PYTHONPATH"); // only the stand-ins, never a real airflow
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      fail(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s:\n"
          + Files.readString(output.toPath(), StandardCharsets.UTF_8));
    }
    return new Result(process.exitValue(), Files.readString(output.toPath(), StandardCharsets.UTF_8));
  }

  private static final class Result {
    final int status;
    final String output;

    Result(int status, String output) {
      this.status = status;
      this.output = output;
    }
  }
}
