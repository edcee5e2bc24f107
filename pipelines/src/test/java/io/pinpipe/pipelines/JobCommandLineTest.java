package io.pinpipe.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.pinpipe.pipelines.archive.ArchiveOptions;
import io.pinpipe.pipelines.archive.ArchivePipeline;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.batch.BatchOptions;
import io.pinpipe.pipelines.options.JobHelp;
import io.pinpipe.pipelines.options.OptionCatalog;
import io.pinpipe.pipelines.streaming.StreamingOptions;
import io.pinpipe.pipelines.streaming.StreamingPipeline;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkCommonPipelineOptions;
import org.apache.beam.sdk.options.ApplicationNameOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.junit.Rule;
import org.junit.Test;

/**
 * The jobs' command line as a user meets it: the grouped help of every job, both option
 * spellings, and every kind of mistake as one line in the user's words (the option named, a hint
 * for a slip, no Java names) with exit status 2. Nothing here runs a pipeline.
 */
public class JobCommandLineTest {
  @Rule public UserErrorOutput stderr = new UserErrorOutput();

  private static final Map<String, Function<String[], Integer>> JOBS =
      Map.of("batch", BatchPipeline::run, "archive", ArchivePipeline::run, "streaming", StreamingPipeline::run);
  private static final Map<String, Class<? extends PipelineOptions>> OPTIONS =
      Map.of("batch", BatchOptions.class, "archive", ArchiveOptions.class, "streaming", StreamingOptions.class);

  private static String help(String job, String flag) {
    PrintStream original = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      assertEquals(CommandLine.OK, (int) JOBS.get(job).apply(new String[] {"--output=x", flag}));
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String flat(String text) {
    return text.replaceAll("\\s+", " ");
  }

  @Test
  public void everyJobsHelpHasAUsageLineGroupsDefaultsRequiredOptionsAndTheRunnerOptions() {
    Map<String, List<String>> groups =
        Map.of(
            "batch", List.of("Input and output:", "Kafka (instead of --input):", "S3 (s3:// paths):", "Query semantics (docs/semantics.md):", "Limits:", "Runner:"),
            "archive", List.of("Kafka:", "Output:", "Schedule:", "S3 (s3:// paths):", "Limits:", "Runner:"),
            "streaming", List.of("Input and output:", "Kafka (--source=kafka):", "Kinesis and S3 (--source=kinesis, s3:// output or warehouse):", "Windows:", "Query semantics (docs/semantics.md):", "Limits:", "Runner:"));
    for (String job : JOBS.keySet()) {
      String help = help(job, "--help");
      assertThat(help, startsWith("usage: java -jar pinterest-pipelines.jar " + job + " "));
      int at = 0;
      for (String group : groups.get(job)) {
        int next = help.indexOf("\n" + group + "\n");
        assertTrue(job + ": " + group + " after the one before\n" + help, next > at);
        at = next;
      }
      for (String runnerOption : List.of("--runner=NAME", "--appName=NAME", "--sparkMaster=URL", "--flinkMaster=HOST:PORT", "--parallelism=N", "--checkpointingInterval=MS", "--targetParallelism=N")) {
        assertThat(job, help, containsString("\n  " + runnerOption + " "));
      }
      assertThat(flat(help), containsString("Default: DirectRunner."));
      assertThat(flat(help), containsString("Default: pinterest-" + job + "."));
      assertThat(help, containsString("Exit status: 0 done; 1 failed"));
      for (String javaName : List.of("interface ", "io.pinpipe", "org.apache", "Options$", "BatchOptions")) {
        assertThat(job, help, not(containsString(javaName)));
      }
      assertEquals(job, "", stderr.text());
    }
    String batch = help("batch", "--help");
    assertThat(batch, containsString("  --input=PATH                    Root of the raw archive"));
    assertThat(batch, containsString("Required unless --bootstrapServers."));
    assertThat(batch, containsString("  --overwrite[=true|false]        Replace what an earlier run of this job wrote in --output instead\n"));
    assertThat(batch, containsString("  --ties=all|first                How top queries treat ties"));
    assertThat(flat(batch), containsString("--postYearFrom=YEAR First post year (inclusive) of top_category_by_year. Default: 2018."));
    String streaming = help("streaming", "--help");
    assertThat(streaming, containsString("  --source=kafka|kinesis          Where events come from: kafka (--bootstrapServers) or kinesis\n"
        + "                                  (--awsRegion, --endpoint). Required.\n"));
    assertThat(streaming, containsString("  --maxBundleSize=N "));
    // Iceberg tables are streaming's default, as batch's.
    assertThat(flat(streaming), containsString("--tableFormat=iceberg|parquet iceberg: Iceberg tables streaming.* committed every"));
    assertThat(flat(streaming), containsString("parquet: plain files under tables/ of the output, appended (at least once). Default: iceberg."));
    assertThat(flat(help("archive", "--help")), containsString("Default: pinterest-archive."));
  }

  @Test
  public void theHelpShowsEveryOptionOfTheJobsOwnAndOnlyOptionsTheJobAccepts() throws Exception {
    for (String job : JOBS.keySet()) {
      OptionCatalog catalog = OptionCatalog.of(OPTIONS.get(job));
      String help = help(job, "--help");
      for (OptionCatalog.Option option : catalog.all()) {
        if (option.isJobs() && !(job.equals("batch") && option.name().equals("groupId"))) {
          assertThat(job + " --help shows --" + option.name(), help, containsString("\n  --" + option.name() + "="
              .replace("=", option.isYesNo() ? "[=true|false]" : "=")));
        }
      }
      for (String line : help.split("\n")) {
        if (line.startsWith("  --")) {
          String name = line.substring(4).split("[=\\[ ]", 2)[0];
          assertTrue(job + " accepts --" + name, catalog.find(name).isPresent());
        }
      }
      String all = help(job, "--help=all");
      assertThat(all, containsString("\nAWS (S3, Kinesis):\n"));
      assertThat(all, containsString("\nFlink runner:\n"));
      assertThat(all, containsString("\nSpark runner:\n"));
      assertThat(all, containsString("  --jobName=VALUE "));
      assertThat(all, not(containsString("org.apache")));
      assertThat(all, not(containsString("{@")));
    }
    assertThat(help("streaming", "--help=all"), not(containsString("--maxRecordsPerFile"))); // archive's
    assertThat(help("batch", "--help=all"), containsString("  --s3StorageClass=VALUE "));
  }

  /** Batch's options as the job gets them: parsed, then through its validate step and defaults. */
  private static BatchOptions batchOptions(String... args) {
    return CommandLine.parseOptions("batch", args, BatchOptions.class, BatchOptions::validate);
  }

  @Test
  public void bothSpellingsGiveTheSameOptionsAndAYesNoOptionTakesNoValueAfterASpace() {
    String[] equals = {
      "--input=in", "--output=out", "--overwrite", "--ties=first", "--maxRecordBytes=100",
      "--runner=FlinkRunner", "--parallelism=3", "--enforceImmutability=true", "--appName=mine"
    };
    String[] spaces = {
      "--input", "in", "--output", "out", "--overwrite", "--ties", "first", "--maxRecordBytes", "100",
      "--runner", "FlinkRunner", "--parallelism", "3", "--enforceImmutability", "--appName", "mine"
    };
    for (String[] args : List.of(equals, spaces)) {
      BatchOptions o = batchOptions(args);
      assertEquals("in", o.getInput());
      assertEquals("out", o.getOutput());
      assertTrue(o.getOverwrite());
      assertEquals("first", o.getTies());
      assertEquals(100, o.getMaxRecordBytes());
      assertEquals("FlinkRunner", o.getRunner().getSimpleName());
      assertEquals(Integer.valueOf(3), o.as(FlinkPipelineOptions.class).getParallelism());
      assertTrue(o.as(DirectOptions.class).isEnforceImmutability()); // the validate step's default is false
      assertEquals("mine", o.as(ApplicationNameOptions.class).getAppName());
    }
    BatchOptions no = batchOptions("--input", "in", "--output", "o", "--overwrite=false");
    assertEquals(false, no.getOverwrite());
    assertEquals("pinterest-batch", no.as(ApplicationNameOptions.class).getAppName());
    assertEquals(false, no.as(DirectOptions.class).isEnforceImmutability());
    assertEquals("DirectRunner", batchOptions("--input=in", "--output=o", "--runner", "direct").getRunner().getSimpleName());
  }

  @Test
  public void sparksStorageLevelIsTheUsersInBothSpellingsAndTheJobsDefaultOtherwise() {
    String serializer = System.getProperty("spark.serializer");
    String kryoBuffer = System.getProperty("spark.kryoserializer.buffer.max");
    try {
      String[] equals = {"--input=in", "--output=out", "--runner=SparkRunner", "--storageLevel=MEMORY_ONLY"};
      String[] spaces = {"--input", "in", "--output", "out", "--runner", "SparkRunner", "--storageLevel", "MEMORY_ONLY"};
      for (String[] args : List.of(equals, spaces)) {
        assertEquals("MEMORY_ONLY", batchOptions(args).as(SparkCommonPipelineOptions.class).getStorageLevel());
      }
      BatchOptions unset = batchOptions("--input", "in", "--output", "out", "--runner", "SparkRunner");
      assertEquals("MEMORY_AND_DISK_SER", unset.as(SparkCommonPipelineOptions.class).getStorageLevel());
    } finally {
      // The Spark defaults set these for the JVM; the tests after this one start from what was there.
      restoreProperty("spark.serializer", serializer);
      restoreProperty("spark.kryoserializer.buffer.max", kryoBuffer);
    }
  }

  private static void restoreProperty(String name, String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  @Test
  public void mistakesAreOneLineNamingTheOptionWithStatusTwo() {
    Map<List<String>, String> mistakes =
        Map.ofEntries(
            Map.entry(List.of("--output=o", "--bogusOption=1"), "error: unknown option --bogusOption"),
            Map.entry(List.of("--output=o", "--imput=x"), "error: unknown option --imput (did you mean --input?)"),
            Map.entry(List.of("--output=o", "--sparkmaster", "local[2]"), "error: unknown option --sparkmaster (did you mean --sparkMaster?)"),
            Map.entry(List.of("--output=o", "--input"), "error: --input needs a value"),
            Map.entry(List.of("--output=o", "--input", "--date=2020-01-01"), "error: --input needs a value"),
            Map.entry(List.of("--output=o", "--overwrite", "false"), "error: --overwrite takes no value after a space: write --overwrite=false"),
            Map.entry(List.of("--output=o", "--overwrite=yes"), "error: --overwrite must be true or false, got 'yes'"),
            Map.entry(List.of("--output=o", "--output=p"), "error: --output given twice"),
            Map.entry(List.of("--output", "o", "--output=p"), "error: --output given twice"),
            Map.entry(List.of("--output=o", "stray"), "error: unexpected argument 'stray' (options look like --name=value or --name value)"),
            Map.entry(List.of("--output=o", "-i", "x"), "error: unknown option -i (options start with --)"),
            Map.entry(List.of("--output=o", "--maxRecordBytes=lots"), "error: --maxRecordBytes must be a whole number up to 2147483647, got 'lots'"),
            Map.entry(List.of("--output=o", "--parallelism=two"), "error: --parallelism must be a whole number up to 2147483647, got 'two'"),
            Map.entry(List.of("--output=o", "--stableUniqueNames=NO"), "error: --stableUniqueNames must be one of ERROR, OFF, WARNING, got 'NO'"),
            Map.entry(List.of("--output=o", "--runner=Flnk"), "error: --runner: no runner 'Flnk' (did you mean Flink?); runners: DirectRunner, FlinkRunner, SparkRunner, SparkStructuredStreamingRunner"),
            Map.entry(List.of("--input=i"), "error: --output is required: Output directory, or s3://bucket/prefix (any Beam filesystem URL)"),
            Map.entry(List.of("--output=o", "--progressSeconds=0"), "error: --progressSeconds must be at least 1"),
            Map.entry(List.of("--output=o", "--prometheusPort=9249"), "error: --prometheusPort needs --runner=FlinkRunner (on Spark, use Spark's own metrics system: spark.metrics.conf)"),
            Map.entry(List.of("--output=o", "--runner=FlinkRunner", "--prometheusPort=http"), "error: --prometheusPort must be a port (0: any free one), a range such as 9249-9259, or a list of them; got 'http'"));
    mistakes.forEach(
        (args, expected) -> {
          stderr.reset();
          int status = BatchPipeline.run(args.toArray(new String[0]));
          stderr.assertUserError(status, expected);
          assertThat(stderr.text(), startsWith(expected + "\n"));
          assertThat(stderr.text(), not(containsString("interface")));
        });
    stderr.reset();
    stderr.assertUserError(
        StreamingPipeline.run("--output=o", "--windowSeconds=1.5"), "error: --windowSeconds must be a whole number, got '1.5'");
    stderr.reset();
    stderr.assertUserError(
        ArchivePipeline.run("--bootstrapServers=h:1", "--maxRecordsPerFile"), "error: --maxRecordsPerFile needs a value");
    stderr.reset();
    stderr.assertUserError(
        ArchivePipeline.run("--bootstrapServers=h:1", "--output=o", "--progressSeconds=-1"), "error: --progressSeconds must be at least 1");
  }

  @Test
  public void anUnknownJobGetsAHint() {
    stderr.reset();
    int status = PipelinesMain.run(new String[] {"btach", "--input=x"});
    stderr.assertUserError(status, "error: unknown job 'btach' (did you mean batch?) (jobs: archive, batch, iceberg-maintain, streaming; try --help)");
  }

  @Test
  public void anUnexpectedFailureIsOneLineNamingItsStackTraceFileWithStatusOne() throws Exception {
    int status =
        CommandLine.execute(
            "test",
            () -> {
              throw new IllegalStateException("a bug");
            },
            System.err);
    assertEquals(CommandLine.FAILED, status);
    String[] lines = stderr.text().strip().split("\n");
    assertEquals(stderr.text(), 1, lines.length);
    String prefix = "error: test failed: IllegalStateException: a bug; stack trace in ";
    assertThat(lines[0], startsWith(prefix));
    Path trace = Path.of(lines[0].substring(prefix.length()));
    try {
      assertThat(Files.readString(trace), startsWith("java.lang.IllegalStateException: a bug"));
    } finally {
      Files.delete(trace);
    }
  }

  @Test
  public void anEndpointErrorIsOneLineWithStatusOne() {
    int status =
        CommandLine.execute(
            "test",
            () -> {
              throw new EndpointError("cannot reach Kafka at h:1 within 15 s");
            },
            System.err);
    stderr.assertEndpointError(status, "error: cannot reach Kafka at h:1 within 15 s");
  }

  @Test
  public void theJobsListTheirHelpByName() {
    for (String job : JOBS.keySet()) {
      assertEquals(job, JobHelp.of(job).orElseThrow().job());
    }
  }
}
