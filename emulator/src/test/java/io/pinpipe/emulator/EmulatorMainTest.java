package io.pinpipe.emulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The emulator's command line as a user meets it: {@code generate}, help, errors and progress. */
public class EmulatorMainTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return EmulatorMain.run(args, print(out), print(err));
  }

  private int run(Subcommand command, String... args) {
    return EmulatorMain.run(
        args, java.util.Map.of(command.name(), command), print(out), print(err));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private void assertUsageError(String expectedLine, String... args) {
    out.reset();
    err.reset();
    assertEquals(String.join(" ", args), 2, run(args));
    assertEquals(expectedLine + System.lineSeparator(), err());
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  public void generateWritesTheArchiveWithBothOptionSpellingsAndOneFinalLine() throws IOException {
    Path dir = tmp.getRoot().toPath();
    int status =
        run("generate", "--count=30", "--seed", "9", "--topicPrefix=t", "--output", dir.toString(),
            "--partitions", "2", "--recordsPerFile=10");
    assertEquals(err(), 0, status);
    assertEquals(
        List.of(
            "topics/t.geo/partition=0/t.geo+0+0000000000.json",
            "topics/t.geo/partition=0/t.geo+0+0000000010.json",
            "topics/t.geo/partition=1/t.geo+1+0000000000.json",
            "topics/t.geo/partition=1/t.geo+1+0000000010.json",
            "topics/t.pin/partition=0/t.pin+0+0000000000.json",
            "topics/t.pin/partition=0/t.pin+0+0000000010.json",
            "topics/t.pin/partition=1/t.pin+1+0000000000.json",
            "topics/t.pin/partition=1/t.pin+1+0000000010.json",
            "topics/t.user/partition=0/t.user+0+0000000000.json",
            "topics/t.user/partition=0/t.user+0+0000000010.json",
            "topics/t.user/partition=1/t.user+1+0000000000.json",
            "topics/t.user/partition=1/t.user+1+0000000010.json"),
        files(dir));
    String[] lines = err().split(System.lineSeparator());
    assertEquals("one final line: " + err(), 1, lines.length);
    assertTrue(lines[0], lines[0].startsWith("generate: wrote 30 events (0 resent) as 30 pin, 30 geo, 30 user records under "));
  }

  @Test
  public void generateWritesTenThousandEventsOfSeed42InOnePartitionByDefault() throws IOException {
    Path dir = tmp.getRoot().toPath();
    assertEquals(err(), 0, run("generate", "--output", dir.toString()));
    Path pins = dir.resolve("topics/pinterest.pin/partition=0/pinterest.pin+0+0000000000.json");
    List<String> lines = Files.readAllLines(pins, StandardCharsets.UTF_8);
    assertEquals(10_000, lines.size());
    assertTrue(lines.get(0), lines.get(0).startsWith("{\"index\": 1, "));
    assertEquals(
        "seed 42 by default",
        new io.pinpipe.emulator.generate.PostGenerator(42).postAt(1).pinJson(), lines.get(0));
  }

  @Test
  public void refusesAnArchiveThatHoldsThePrefixsTopicsUnlessOverwrite() throws IOException {
    Path dir = tmp.getRoot().toPath();
    assertEquals(0, run("generate", "--count=20", "--output=" + dir, "--recordsPerFile=5"));
    Path topic = dir.resolve("topics").resolve("pinterest.pin");
    assertUsageError(
        "error: " + topic + " already holds files (use --overwrite to replace this prefix's topics)",
        "generate", "--count=10", "--output=" + dir);

    err.reset();
    assertEquals(err(), 0, run("generate", "--count=10", "--output=" + dir, "--overwrite"));
    // the 20-event run's files at offsets 5, 10, 15 are gone, not mixed with the new run
    assertEquals(
        List.of(
            "topics/pinterest.geo/partition=0/pinterest.geo+0+0000000000.json",
            "topics/pinterest.pin/partition=0/pinterest.pin+0+0000000000.json",
            "topics/pinterest.user/partition=0/pinterest.user+0+0000000000.json"),
        files(dir));
    assertEquals(
        10,
        Files.readAllLines(topic.resolve("partition=0/pinterest.pin+0+0000000000.json")).size());

    // another prefix beside it is neither refused nor removed
    assertEquals(err(), 0, run("generate", "--count=10", "--output=" + dir, "--topicPrefix=b"));
    assertEquals(6, files(dir).size());
  }

  @Test
  public void usageErrorsAreOneLineAndStatusTwoAndWriteNothing() throws IOException {
    Path dir = tmp.getRoot().toPath();
    Path file = tmp.newFile("plain").toPath();
    assertUsageError("error: no command given (try --help)");
    assertUsageError(
        "error: unknown command 'gen' (commands: "
            + String.join(", ", EmulatorMain.commands().keySet()) + "; try --help)",
        "gen");
    assertUsageError("error: --output is required", "generate");
    assertUsageError("error: --count needs a value", "generate", "--output", dir.toString(), "--count");
    assertUsageError(
        "error: --count must be a whole number, got 'many'", "generate", "--count=many", "--output=" + dir);
    assertUsageError("error: --count must be at least 1, got 0", "generate", "--count=0", "--output=" + dir);
    assertUsageError(
        "error: --partitions must be in 1..1024, got 0", "generate", "--partitions=0", "--output=" + dir);
    assertUsageError(
        "error: --duplicateRate must be at least 0 and below 1, got 1", "generate", "--duplicateRate=1", "--output=" + dir);
    assertUsageError("error: unknown option --cout (did you mean --count?)", "generate", "--cout=5", "--output=" + dir);
    assertUsageError(
        "error: unknown option --outptu (did you mean --output?)", "generate", "--outptu", dir.toString());
    assertUsageError("error: unknown option --bogusOption", "generate", "--bogusOption=1", "--output=" + dir);
    assertUsageError("error: unknown option -o (options start with --)", "generate", "-o", dir.toString());
    assertUsageError(
        "error: unexpected argument 'extra' (options look like --name=value or --name value)",
        "generate", "--output=" + dir, "extra");
    assertUsageError("error: --seed given twice", "generate", "--seed=1", "--seed=2", "--output=" + dir);
    assertUsageError("error: --seed given twice", "generate", "--seed", "1", "--output=" + dir, "--seed=2");
    assertUsageError(
        "error: --overwrite must be true or false, got 'yes'", "generate", "--overwrite=yes", "--output=" + dir);
    assertUsageError(
        "error: --overwrite takes no value after a space: write --overwrite=false",
        "generate", "--overwrite", "false", "--output=" + dir);
    assertUsageError(
        "error: unknown command 'generat' (did you mean generate?) (commands: "
            + String.join(", ", EmulatorMain.commands().keySet()) + "; try --help)",
        "generat");
    assertUsageError(
        "error: --topicPrefix may hold letters, digits, '.', '_' and '-' only, got 'a/b'",
        "generate", "--topicPrefix=a/b", "--output=" + dir);
    assertUsageError(
        "error: --output " + file + " is a file, not a directory", "generate", "--output=" + file);
    assertEquals("nothing written by refused runs", List.of("plain"), files(dir));
  }

  @Test
  public void aYesNoOptionIsYesAloneAndNoOnlyWithEquals() throws IOException {
    Path dir = tmp.getRoot().toPath();
    assertEquals(err(), 0, run("generate", "--count=5", "--output", dir.toString()));
    err.reset();
    assertUsageError(
        "error: " + dir.resolve("topics").resolve("pinterest.pin")
            + " already holds files (use --overwrite to replace this prefix's topics)",
        "generate", "--count=5", "--output", dir.toString(), "--overwrite=false");
    err.reset();
    assertEquals(err(), 0, run("generate", "--overwrite", "--count", "5", "--output", dir.toString()));
    err.reset();
    assertEquals(err(), 0, run("generate", "--count=5", "--overwrite=TRUE", "--output=" + dir));
  }

  @Test
  public void anUnexpectedFailureIsOneLineNamingItsStackTraceFile() throws IOException {
    Subcommand broken =
        new Subcommand() {
          @Override
          public String name() {
            return "broken";
          }

          @Override
          public String summary() {
            return "fails";
          }

          @Override
          public String usage() {
            return "";
          }

          @Override
          public int run(List<String> args, PrintStream out, PrintStream err) {
            throw new NullPointerException("a bug");
          }
        };
    assertEquals(1, run(broken, "broken"));
    String[] lines = err().split(System.lineSeparator());
    assertEquals(err(), 1, lines.length);
    String prefix = "error: broken failed: NullPointerException: a bug; stack trace in ";
    assertTrue(lines[0], lines[0].startsWith(prefix));
    Path trace = Path.of(lines[0].substring(prefix.length()));
    try {
      assertTrue(Files.readString(trace).startsWith("java.lang.NullPointerException: a bug"));
    } finally {
      Files.delete(trace);
    }
  }

  @Test
  public void anUnwritableOutputIsOneErrorLineWithoutAnExceptionAndStatusOne() throws IOException {
    Path file = tmp.newFile("blocker").toPath();
    // the output directory cannot be created below a plain file
    int status = run("generate", "--count=5", "--output=" + file.resolve("below"));
    assertEquals(err(), 1, status);
    String[] lines = err().split(System.lineSeparator());
    assertEquals(err(), 1, lines.length);
    assertTrue(lines[0], lines[0].startsWith("error: "));
    assertFalse(lines[0], lines[0].contains("Exception"));
  }

  @Test
  public void helpPrintsEachCommandsUsageWithItsOptionsUnderHeadings() {
    assertEquals(0, run("--help"));
    String usage = out.toString(StandardCharsets.UTF_8);
    assertTrue(usage, usage.startsWith("usage: java -jar pinterest-emulator.jar <command> [options]"));
    assertTrue(usage, usage.contains("  generate   write synthetic posting events"));
    out.reset();
    assertEquals(0, run("generate", "--help"));
    String generate = out.toString(StandardCharsets.UTF_8);
    assertTrue(generate, generate.startsWith("usage: java -jar pinterest-emulator.jar generate --output=DIR [options]\n"));
    for (String option :
        List.of("\nOutput:\n", "--output=DIR", "(required)", "--count=N", "(default: 10000)", "--seed=S", "(default: 42)",
            "--topicPrefix=P", "--partitions=N", "--recordsPerFile=N", "--duplicateRate=R", "--firstIndex=I",
            "--overwrite[=true|false]", "\nEvents:\n", "Exit status: 0 done; 1 failed")) {
      assertTrue(option, generate.contains(option));
    }
    assertTrue(generate, generate.indexOf("--output=DIR") < generate.indexOf("\nEvents:\n"));
    assertTrue(generate, generate.indexOf("--count=N") > generate.indexOf("\nEvents:\n"));
    out.reset();
    // --help wins over anything else on the line, even a mistake
    assertEquals(0, run("post", "--bogus", "--help"));
    String post = out.toString(StandardCharsets.UTF_8);
    for (String heading :
        List.of("\nSource:\n", "\nAmount and pace:\n", "\nSink:\n", "\nKafka (--sink=kafka):\n",
            "\nKinesis (--sink=kinesis):\n", "\nFiles (--sink=files):\n")) {
      assertTrue(heading, post.contains(heading));
    }
    assertTrue(post, post.contains("--sink=NAME                     kafka, rest-proxy, kinesis, kinesis-gateway or files"));
    for (String command : List.of("load-db", "kafka", "kinesis")) {
      out.reset();
      assertEquals(0, run(command, "--help"));
      assertTrue(command, out.toString(StandardCharsets.UTF_8).startsWith("usage: java -jar pinterest-emulator.jar " + command + " "));
    }
    assertEquals("", err());
  }

  @Test
  public void aLongRunPrintsAProgressLineEveryTwoSeconds() throws IOException {
    // a clock that advances one second per reading: a progress line every other check
    AtomicLong nanos = new AtomicLong();
    GenerateCommand command = new GenerateCommand(() -> nanos.addAndGet(1_000_000_000L));
    Path dir = tmp.getRoot().toPath();
    assertEquals(err(), 0, run(command, "generate", "--count=5000", "--output=" + dir));
    List<String> lines = List.of(err().split(System.lineSeparator()));
    // start at 1 s; clock checks at 1,024 (2 s), 2,048 (3 s), 3,072 (4 s), 4,096 events (5 s);
    // a line once 2 s have passed since the last, the rate over the time since the start
    assertEquals(
        List.of(
            "generate: 2,048 of 5,000 events (41%), 1,024 events/s",
            "generate: 4,096 of 5,000 events (82%), 1,024 events/s"),
        lines.subList(0, 2));
    assertEquals(3, lines.size());
    assertTrue(lines.get(2), lines.get(2).matches(
        "generate: wrote 5,000 events \\(0 resent\\) as 5,000 pin, 5,000 geo, 5,000 user records"
            + " under .* in 5\\.0 s \\(1,000 events/s\\)"));
  }

  private static List<String> files(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
