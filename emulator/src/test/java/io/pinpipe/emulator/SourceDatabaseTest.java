package io.pinpipe.emulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.emulator.post.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code load-db} and {@code post --source jdbc} against the real MariaDB (127.0.0.1:3306, root,
 * database test), as on every machine of this project and in CI; outside CI, when no server
 * answers, against embedded H2 in MySQL mode, saying so. The embedded database is also checked on
 * its own, so the fallback is known to work.
 */
public class SourceDatabaseTest {
  static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test";

  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** MariaDB if it answers; else H2, unless CI=true, where MariaDB is required. */
  static String databaseUrl() {
    try (Connection c = DriverManager.getConnection(MARIADB, "root", "")) {
      return MARIADB;
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true requires the MariaDB server at " + MARIADB + ": " + e.getMessage());
      }
      System.err.println("MariaDB not reachable at 127.0.0.1:3306 (" + e.getMessage()
          + "); using embedded H2 in MySQL mode instead");
      return h2Url();
    }
  }

  static String h2Url() {
    return "jdbc:h2:mem:source" + System.nanoTime() + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
  }

  private int run(String... args) {
    err.reset();
    return EmulatorMain.run(
        args,
        Map.of("load-db", new LoadDbCommand(Clock.SYSTEM, Map.of()), "post", new PostCommand(Clock.SYSTEM, Map.of(), false),
            "generate", new GenerateCommand()),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  public void theRealDatabaseServesLoadedRowsInOrderOrAsSeededRandomDraws() throws Exception {
    checkRoundTrip(databaseUrl());
  }

  @Test
  public void embeddedH2ServesLoadedRowsInOrderOrAsSeededRandomDraws() throws Exception {
    checkRoundTrip(h2Url());
  }

  private void checkRoundTrip(String url) throws Exception {
    assertEquals(err.toString(), 0, run("load-db", "--jdbcUrl", url, "--count", "200", "--seed", "6", "--overwrite", "--batchSize", "64"));
    assertEquals(2, run("load-db", "--jdbcUrl", url, "--count", "10"));
    assertEquals(
        "error: the database already has pinterest_data (200 rows), geolocation_data (200 rows),"
            + " user_data (200 rows) (use --overwrite to drop and recreate the tables)\n",
        err.toString(StandardCharsets.UTF_8));

    // Every row once, in order: exactly the bytes generate writes for the same seed.
    Path sequential = tmp.newFolder().toPath();
    Path generated = tmp.newFolder().toPath();
    assertEquals(err.toString(), 0, run("post", "--source", "jdbc", "--jdbcUrl", url, "--selection", "sequential",
        "--sink", "files", "--output", sequential.toString()));
    assertEquals(0, run("generate", "--count", "200", "--seed", "6", "--output", generated.toString()));
    assertEquals(contents(generated), contents(sequential));

    // Random rows with replacement, seeded like the original's random.randint.
    Path first = tmp.newFolder().toPath();
    Path second = tmp.newFolder().toPath();
    for (Path out : List.of(first, second)) {
      assertEquals(err.toString(), 0, run("post", "--source", "jdbc", "--jdbcUrl", url, "--count", "700", "--seed", "4",
          "--sink", "files", "--output", out.toString()));
    }
    assertEquals(contents(first), contents(second));
    SplittableRandom random = new SplittableRandom(4);
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      expected.add(1L + random.nextInt(200)); // row numbers 1..200, sorted
    }
    assertEquals(expected, rowNumbers(first.resolve("topics/pinterest.pin/partition=0/pinterest.pin+0+0000000000.json"), "index"));
    assertEquals(expected, rowNumbers(first.resolve("topics/pinterest.user/partition=0/pinterest.user+0+0000000000.json"), "ind"));
    assertTrue("700 draws from 200 rows repeat some", expected.stream().distinct().count() < 200);
  }

  private static List<Long> rowNumbers(Path file, String field) throws Exception {
    Pattern p = Pattern.compile("^\\{\"" + field + "\": (\\d+),");
    List<Long> numbers = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      Matcher m = p.matcher(line);
      assertTrue(line, m.find());
      numbers.add(Long.parseLong(m.group(1)));
    }
    return numbers;
  }

  private static Map<String, String> contents(Path root) throws Exception {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(f).toString(), Files.readString(f));
      }
    }
    return files;
  }
}
