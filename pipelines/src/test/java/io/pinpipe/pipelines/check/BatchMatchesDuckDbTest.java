package io.pinpipe.pipelines.check;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.check.DuckDbReference.Options;
import io.pinpipe.pipelines.iceberg.BatchTables;
import io.pinpipe.pipelines.iceberg.IcebergCatalog;
import io.pinpipe.pipelines.iceberg.IcebergFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.runner.RunWith;
import org.junit.runners.Parameterized.Parameters;
import org.junit.runners.Parameterized;

/**
 * The independent check (the README's "Tests"): the batch pipeline's nine CSV files equal, byte for byte,
 * what {@link DuckDbReference} computes in DuckDB SQL from the same archive, and so do the rows of
 * the nine result tables' current snapshots (Iceberg, batch's default; DuckDB reads the data files
 * Iceberg's Java API lists), for the defaults and
 * for every non-default option value. The archive is the emulator's generated data (~3,000 events
 * with exact duplicates) plus hand-made conflicting and dirty records; each option must change at
 * least one output on it, or the check would prove nothing about that option.
 */
@RunWith(Parameterized.class)
public class BatchMatchesDuckDbTest {

  private static final String PREFIX = "pinterest";
  private static final long EVENTS = 3_000;
  private static final long SEED = 20_240_501L;
  private static final double DUPLICATE_RATE = 0.05;
  private static final String DAY = "2026-11-23";

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static Path archive;
  private static Map<String, String> defaultReference;

  @Parameters(name = "{0}")
  public static Collection<Object[]> optionSets() {
    return Arrays.asList(
        new Object[] {"defaults", Options.defaults()},
        new Object[] {"ties=first", Options.defaults().ties("first")},
        new Object[] {"median=lower", Options.defaults().median("lower")},
        new Object[] {"userCount=rows", Options.defaults().userCount("rows")},
        new Object[] {
          "postYears=2019-2020,joinYears=2016-2016",
          Options.defaults().postYears(2019, 2020).joinYears(2016, 2016)
        });
  }

  private final String name;
  private final Options options;

  public BatchMatchesDuckDbTest(String name, Options options) {
    this.name = name;
    this.options = options;
  }

  @BeforeClass
  public static void writeArchive() throws Exception {
    archive = TMP.newFolder("archive").toPath();
    generateArchive(archive);
    HandMadeRecords.appendTo(archive);
    // One ingestion day, as the archive job files records: batch's Iceberg tables (its default) need it.
    IcebergFixtures.intoDayFolders(archive, DAY);
    defaultReference = DuckDbReference.compute(archive, PREFIX, Options.defaults());
  }

  /** The emulator's generator, with exact duplicates (the one place that knows its API). */
  private static void generateArchive(Path root) throws IOException {
    ArchiveWriter.generate(
        root, PREFIX, EVENTS, SEED, GeneratorSettings.defaults().withDuplicateRate(DUPLICATE_RATE));
  }

  @Test
  public void batchCsvsAndTablesEqualTheDuckDbReferenceForEachOption() throws IOException {
    Map<String, String> expected = DuckDbReference.compute(archive, PREFIX, options);
    if (!options.equals(Options.defaults())) {
      assertTrue(
          "the test data does not exercise " + name + ": the DuckDB reference gives the same nine"
              + " outputs as with the defaults; add records to HandMadeRecords that this option changes",
          !expected.equals(defaultReference));
    }

    Path output = TMP.newFolder("out-" + name.replaceAll("[^A-Za-z0-9]+", "_")).toPath();
    List<String> args = new ArrayList<>();
    args.add("--input=" + archive);
    args.add("--output=" + output);
    args.add("--topicPrefix=" + PREFIX);
    args.add("--date=" + DAY);
    args.add("--quiet");
    args.addAll(options.pipelineArgs());
    int status = BatchPipeline.run(args.toArray(new String[0]));
    assertEquals("batch exit status for " + args, 0, status);

    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<String, String> output1 : expected.entrySet()) {
      Path file = output.resolve("results").resolve(output1.getKey() + ".csv");
      if (!Files.isRegularFile(file)) {
        mismatches.add(output1.getKey() + ": the pipeline wrote no " + file);
        continue;
      }
      String actual = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      if (!actual.equals(output1.getValue())) {
        mismatches.add(output1.getKey() + ": " + firstDifference(output1.getValue(), actual));
      }
    }
    // The result tables too, each its current snapshot: listed through Iceberg's Java API, read by DuckDB.
    Catalog catalog = IcebergCatalog.hadoop(output.resolve("warehouse").toString()).open();
    for (Map.Entry<String, String> output1 : expected.entrySet()) {
      Table table = catalog.loadTable(BatchTables.identifier(output1.getKey()));
      List<String> files = new ArrayList<>();
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        tasks.forEach(task -> files.add(task.file().path().toString().replaceFirst("^file:", "")));
      }
      String actual = DuckDbReference.rowsOfFiles(files);
      if (!dataLines(actual).equals(dataLines(output1.getValue()))
          || (!actual.isEmpty() && !actual.lines().findFirst().equals(output1.getValue().lines().findFirst()))) {
        mismatches.add("table " + table.name() + ": " + firstDifference(output1.getValue(), actual));
      }
    }
    if (!mismatches.isEmpty()) {
      fail(
          "batch " + name + " (" + String.join(" ", args) + ") differs from the DuckDB reference in "
              + mismatches.size() + " of 18 outputs (nine CSV files, nine tables):\n  " + String.join("\n  ", mismatches));
    }
  }

  /** A CSV text's rows without its header, sorted: a table's files hold its rows in no set order. */
  private static List<String> dataLines(String csv) {
    return csv.lines().skip(1).sorted().collect(Collectors.toList());
  }

  /** Where two CSV texts first differ, readably. */
  static String firstDifference(String expected, String actual) {
    String[] e = expected.split("\n", -1);
    String[] a = actual.split("\n", -1);
    for (int i = 0; i < Math.max(e.length, a.length); i++) {
      String el = i < e.length ? e[i] : "<end of text>";
      String al = i < a.length ? a[i] : "<end of text>";
      if (!el.equals(al)) {
        return String.format(
            "line %d: expected [%s] but was [%s] (expected %d lines, got %d)",
            i + 1, el, al, e.length - 1, a.length - 1);
      }
    }
    return "texts differ";
  }

  /**
   * Conflicting and dirty records added next to the generated ones, in their own partition folder.
   * Row numbers 900000001.. are the check's own; one generated row number gets conflicting geo and
   * user records, and one generated line of each kind is repeated verbatim.
   */
  static final class HandMadeRecords {
    private HandMadeRecords() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    static void appendTo(Path root) throws IOException {
      String pinLine = firstLine(root, "pin");
      String geoLine = firstLine(root, "geo");
      String userLine = firstLine(root, "user");
      long generatedRow = JSON.readTree(pinLine).get("index").asLong();

      write(root, "pin", "pinterest.pin+99+0000000000.json", String.join("\n",
          pinLine, // an exact duplicate of a generated record
          pin(900000001, "Hand Poster", "\"1.5k\"", "diy",
              "\"title\": \"No Title Data Available\", \"description\": \"Untitled\", "
                  + "\"tag_list\": \"N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e\", \"image_src\": \"Image src error.\", "
                  + "\"downloaded\": 0, "),
          pin(900000002, "User Info Error", "\"User Info Error\"", "travel", ""),
          pin(900000003, "Quote \\\"Q\\\" Poster", "\"26k\"", "art", "\"downloaded\": \"1\", "),
          pin(900000004, "Big Hand", "\"6M\"", "art", ""),
          pin(900000005, "Small", "\" 437 \"", "", ""),
          pin(900000006, "Twice Placed", "\"2.5\"", "quotes", ""),
          pin(900000009, "South A", "\"1M\"", "beauty", ""),
          pin(900000010, "South B", "\"1.2345k\"", "art", ""),
          pin(900000011, "Lost Count", "\"many\"", "art", ""),
          // Dead letters: not an object, string and fractional row numbers, no row number, malformed.
          "[]",
          pin(900000012, "Ghost", "\"99M\"", "art", "").replace("\"index\": 900000012", "\"index\": \"900000012\""),
          pin(900000013, "Ghost", "\"99M\"", "art", "").replace("\"index\": 900000013", "\"index\": 900000013.5"),
          "{\"poster_name\": \"Ghost\", \"follower_count\": \"99M\", \"category\": \"art\"}",
          "{\"index\": 900000014, \"category\": ",
          ""));
      // A file holding one pretty-printed object.
      write(root, "pin", "pinterest.pin+98+0000000000.json",
          "{\n  \"index\": 900000008,\n  \"poster_name\": \"Pretty\",\n  \"follower_count\": \"15M\",\n"
              + "  \"category\": \"vehicles\"\n}\n");

      write(root, "geo", "pinterest.geo+99+0000000000.json", String.join("\n",
          geoLine,
          geoLine,
          // Conflict on a generated row number: a second, different geo record.
          geo(generatedRow, "\"2019-03-03 03:03:03\"", "Zz Conflict Land"),
          geo(900000001, "\"2019-07-01T12:00:00+02:00\"", "Hand Land, North"),
          geo(900000002, "\"2020-02-29 12:00:00\"", "Hand Land, North"),
          geo(900000003, "\"2019-12-31T23:30:00-01:00\"", "Hand Land, North"), // 2020 in UTC
          geo(900000004, "\"2017-01-01 00:00:00\"", "Hand Land, North"),
          geo(900000005, "\"2021-05-05 05:05:05\"", "  "),
          // Conflict: row 900000006 is placed in two countries. South ends with a four-way tie
          // (quotes, vehicles, beauty, art), so ties=first changes top_category_by_country whatever
          // the generator writes.
          geo(900000006, "\"2022-06-06 06:06:06\"", "Hand Land, South"),
          geo(900000006, "\"2022-06-06 06:06:06\"", "Hand Land, North"),
          geo(900000008, "\"2018-08-08T08:08:08.123Z\"", "Hand Land, South"),
          geo(900000009, "\"2022-01-01 00:00:00\"", "Hand Land, South"),
          geo(900000010, "\"not a time\"", "Hand Land, South"),
          geo(900000011, "\"2018-01-01 00:00:00\"", "Hand Land, West"),
          "{\"ind\": null, \"timestamp\": \"2019-01-01 00:00:00\", \"country\": \"Nowhere\"}",
          ""));

      write(root, "user", "pinterest.user+99+0000000000.json", String.join("\n",
          userLine,
          // Conflict on a generated row number: a second, different user record.
          user(generatedRow, "\"Con\"", "\"Flict\"", "99", "\"2016-02-02 02:02:02\""),
          // A recurring person (rows 900000001, 900000002), the age once as a numeric string.
          user(900000001, "\"Rita\"", "\"Recur\"", "\"45\"", "\"2016-05-05T05:05:05Z\""),
          user(900000002, "\"Rita\"", "\"Recur\"", "45", "\"2016-05-05 05:05:05\""),
          user(900000003, "\"Solo\"", "null", "17", "\"2016-01-01 00:00:00\""),
          user(900000004, "\"Old\"", "\"Timer\"", "51", "\"2021-01-01T00:30:00+01:00\""), // 2020 in UTC
          user(900000005, "\"Young\"", "\"Adult\"", "18", "\"2015-01-01 00:00:00\""),
          user(900000006, "\"\"", "\"Twice\"", "24.0", "\"2020-12-31T23:59:59\""),
          user(900000008, "\"Pat\"", "\"Pretty\"", "50", "\"2014-12-31 23:59:59\""),
          user(900000009, "\"Kid\"", "\"South\"", "17", "\"2017-03-03 03:03:03\""),
          user(900000010, "\"No\"", "\"Age\"", "\"abc\"", "\"2018-04-04 04:04:04\""),
          user(900000011, "\"No\"", "\"Date\"", "36", "\"someday\""),
          "{\"ind\": 900000015, \"first_name\": \"Broken\"",
          ""));
    }

    private static String pin(long index, String poster, String followerJson, String category, String extra) {
      return "{\"index\": " + index + ", \"unique_id\": \"hand-" + index + "\", " + extra
          + "\"poster_name\": \"" + poster + "\", \"follower_count\": " + followerJson
          + ", \"is_image_or_video\": \"image\", \"save_location\": \"Local save in /data/" + category
          + "\", \"category\": \"" + category + "\"}";
    }

    private static String geo(long ind, String timestampJson, String country) {
      return "{\"ind\": " + ind + ", \"timestamp\": " + timestampJson
          + ", \"latitude\": 12.5, \"longitude\": -45.25, \"country\": \"" + country + "\"}";
    }

    private static String user(long ind, String firstJson, String lastJson, String ageJson, String joinedJson) {
      return "{\"ind\": " + ind + ", \"first_name\": " + firstJson + ", \"last_name\": " + lastJson
          + ", \"age\": " + ageJson + ", \"date_joined\": " + joinedJson + "}";
    }

    /**
     * The first line of the generated files of a kind (files in name order) that is a JSON object
     * with an integral row number: a record the pipeline keeps.
     */
    private static String firstLine(Path root, String kind) throws IOException {
      String rowField = kind.equals("pin") ? "index" : "ind";
      try (Stream<Path> files = Files.walk(root.resolve("topics").resolve(PREFIX + "." + kind))) {
        for (Path file : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
          for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (isKeptRecord(line, rowField)) {
              return line;
            }
          }
        }
      }
      throw new IllegalStateException("the generator wrote no " + kind + " record under " + root);
    }

    private static boolean isKeptRecord(String line, String rowField) {
      try {
        JsonNode node = JSON.readTree(line);
        return node != null && node.isObject() && node.path(rowField).isIntegralNumber();
      } catch (IOException notJson) {
        return false;
      }
    }

    private static void write(Path root, String kind, String fileName, String content) throws IOException {
      String partition = fileName.replaceAll("^.*\\+(\\d+)\\+.*$", "$1");
      Path file =
          root.resolve("topics").resolve(PREFIX + "." + kind).resolve("partition=" + partition).resolve(fileName);
      Files.createDirectories(file.getParent());
      Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    }
  }
}
