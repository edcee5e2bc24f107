package io.pinpipe.pipelines;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import org.junit.Test;

/**
 * The job jars carry the jobs and what they run on, not the emulator, the local-service launchers or
 * a JDBC driver the jobs never load (docs/design.md#modules). Runs after {@code package}, on the
 * jars a user deploys.
 */
public class JobJarContentsIT {
  /** Classes that must never be in a job jar: the emulator (its generator too), the launchers, unused drivers. */
  private static final List<String> FORBIDDEN =
      List.of(
          "io/pinpipe/emulator/",
          "io/pinpipe/services/",
          "org/h2/",
          "org/postgresql/",
          "org/sqlite/",
          "com/mysql/");

  @Test
  public void theJobJarsHoldNeitherTheEmulatorNorTheLaunchersNorUnusedDrivers() throws IOException {
    for (String name : List.of("pinterest-pipelines.jar", "pinterest-pipelines-spark.jar")) {
      Path jar = Path.of("target", name);
      assertTrue(jar + " is built by package, before this test", Files.isRegularFile(jar));
      TreeSet<String> found = new TreeSet<>();
      try (JarFile file = new JarFile(jar.toFile())) {
        file.stream()
            .map(e -> e.getName())
            .forEach(entry -> FORBIDDEN.stream().filter(entry::startsWith).forEach(found::add));
        assertEquals(name + " holds classes it must not", new TreeSet<String>(), found);
        // What the jobs do use: the shared contract, and MariaDB's driver for a JDBC Iceberg catalog.
        assertTrue(name, file.getEntry("io/pinpipe/contract/RecordKind.class") != null);
        assertTrue(name, file.getEntry("org/mariadb/jdbc/Driver.class") != null);
        assertTrue(name, file.getEntry("io/pinpipe/pipelines/PipelinesMain.class") != null);
      }
    }
  }
}
