package io.pinpipe.pipelines.options;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A job's {@code --help}: a usage line, what the job does, then its options grouped by task
 * (input and output, Kafka, Kinesis, S3, windows, query semantics, limits, runner), each with its
 * value, description and default and the required ones marked. The job's own options take their
 * words from their {@code @Description} and {@code @Default} annotations; the runner and AWS options
 * people set are described here in a line each. {@code --help=all} adds every other option the job
 * accepts (the runners', AWS's, Beam's), grouped by where it comes from.
 */
public final class JobHelp {
  static final int WIDTH = 100;
  static final int COLUMN = 34;

  /** One option in the help; null fields come from the option's annotations. */
  record Entry(String name, String value, String description, String defaultText, String required) {}

  record Group(String title, List<Entry> entries) {}

  private final String job;
  private final String synopsis;
  private final String summary;
  private final List<Group> groups;
  /** Options of the job's own interfaces that it does not use, and why they are not shown. */
  private final Map<String, String> unused;

  private JobHelp(String job, String synopsis, String summary, List<Group> groups, Map<String, String> unused) {
    this.job = job;
    this.synopsis = synopsis;
    this.summary = summary;
    this.groups = groups;
    this.unused = unused;
  }

  public static JobHelp batch() {
    return new JobHelp(
        "batch",
        "batch (--input=PATH | --bootstrapServers=HOST:PORT,...) --output=PATH [options]",
        "Reads the raw archive (or the Kafka topics), cleans the records, runs the eight queries and"
            + " writes their nine result files, the dead letters, summary.json and report.html under --output,"
            + " and the cleaned tables, dead letters and results as Iceberg tables (or, with --tableFormat=parquet,"
            + " the cleaned tables as Parquet files under --output).",
        List.of(
            new Group(
                "Input and output",
                List.of(
                    required("input", "PATH", "unless --bootstrapServers"),
                    required("output", "PATH", ""),
                    flag("overwrite"),
                    flag("adoptOutput"),
                    option("topicPrefix", "PREFIX"),
                    option("date", "YYYY-MM-DD"),
                    described(
                        "tableFormat",
                        "iceberg|parquet",
                        "iceberg: the cleaned tables, dead letters and nine results as Iceberg tables batch.* in a catalog,"
                            + " partitioned by ingestion_date (--date's day, each file's dt= folder, or from Kafka each"
                            + " record's arrival day; an archive without dt= folders needs --date or parquet);"
                            + " parquet: plain files under tables/ of the run (docs/iceberg.md)",
                        "iceberg"),
                    option("warehouse", "PATH"),
                    option("catalogUri", "JDBC-URI"),
                    option("catalogName", "NAME"))),
            new Group(
                "Kafka (instead of --input)",
                List.of(
                    described("bootstrapServers", "HOST:PORT,...", "Read the three topics directly, each partition from --startFrom to its end offset when the run starts; nothing is committed", null),
                    described("startFrom", "earliest|INSTANT", "Where reading starts in each partition: earliest, or an ISO-8601 instant (the first record at or after it)", "earliest"),
                    option("clientConfig", "FILE"))),
            s3(),
            queries(),
            limits(List.of(option("maxRecordBytes", "BYTES"), option("maxPackRecords", "N"), option("maxPackBytes", "BYTES"))),
            progress("a progress line (counts so far per kind)"),
            runner("batch", false)),
        Map.of("groupId", "batch commits no offsets"));
  }

  public static JobHelp archive() {
    return new JobHelp(
        "archive",
        "archive --bootstrapServers=HOST:PORT,... --output=PATH [options]",
        "Copies the three Kafka topics into the raw archive that batch reads, exactly once: the"
            + " archive records which offsets it holds (its range records), and a run writes, whole,"
            + " only the offsets it does not hold yet, up to the end offsets at the run's start.",
        List.of(
            new Group(
                "Kafka",
                List.of(
                    required("bootstrapServers", "HOST:PORT,...", ""),
                    option("topicPrefix", "PREFIX"),
                    described("groupId", "GROUP", "The consumer group a run commits its next offsets to, for monitoring the lag only", "pinterest-archive"),
                    described("startFrom", "earliest|committed|INSTANT", "Where a partition the archive holds nothing of yet starts: earliest, committed (the group's offset), or an ISO-8601 instant", "earliest"),
                    option("clientConfig", "FILE"))),
            new Group(
                "Output",
                List.of(
                    required("output", "PATH", ""),
                    flag("adoptOutput"),
                    option("maxRecordsPerFile", "N"),
                    flag("dailyFolders"),
                    flag("allowGaps"))),
            new Group("Schedule", List.of(flag("continuous"), option("intervalSeconds", "SECONDS"))),
            s3(),
            limits(List.of(option("maxRecordBytes", "BYTES"))),
            progress("a progress line (offsets so far, per kind archived and dead-lettered)"),
            runner("archive", false)),
        Map.of());
  }

  public static JobHelp streaming() {
    return new JobHelp(
        "streaming",
        "streaming --source=kafka|kinesis --output=PATH [options]",
        "Reads Kafka or Kinesis as records arrive, cleans them with the batch job's transforms,"
            + " commits them to Iceberg tables, exactly once (or, with --tableFormat=parquet, appends"
            + " them to windowed Parquet files) and writes the nine result files of every window under --output.",
        List.of(
            new Group(
                "Input and output",
                List.of(
                    required("source", "kafka|kinesis", ""),
                    required("output", "PATH", ""),
                    described(
                        "overwrite",
                        null,
                        "Delete what earlier runs of this job wrote in --output first, and the Iceberg tables of its own"
                            + " warehouse, <output>/warehouse without --catalogUri (a fresh start: leave it out of a"
                            + " command that restarts the job); without it a restarted job appends to --output and"
                            + " resumes from the tables' positions",
                        "false"),
                    flag("adoptOutput"),
                    option("topicPrefix", "PREFIX"),
                    described(
                        "startFrom",
                        "earliest|latest|committed|INSTANT",
                        "Iceberg tables: where fresh tables start, earliest or (Kafka) latest, the end offsets at the start;"
                            + " once they hold positions a restart resumes from them; --tableFormat=parquet: committed"
                            + " (Kafka: the group's offsets, earliest for a new group), earliest, latest (Kinesis) or an"
                            + " ISO-8601 instant",
                        "earliest (Parquet from Kafka: committed)"),
                    option("maxRecordsPerStream", "N"),
                    option("maxReadSeconds", "SECONDS"))),
            new Group(
                "Kafka (--source=kafka)",
                List.of(
                    option("bootstrapServers", "HOST:PORT,..."),
                    described("groupId", "GROUP", "The consumer group: set to the Iceberg tables' positions (for lag monitoring); with --tableFormat=parquet the job commits to it and a restart resumes from it", "pinterest-streaming"),
                    option("clientConfig", "FILE"))),
            new Group(
                "Kinesis and S3 (--source=kinesis, s3:// output or warehouse)",
                List.of(
                    described("awsRegion", "REGION", "The streams' and the buckets' region", "the AWS SDK's region chain"),
                    described(
                        "endpoint",
                        "URL",
                        "A Kinesis- and S3-compatible endpoint instead of AWS's (one for both: e.g. the local Kinesis of"
                            + " bin/local-kinesis, or an S3 server such as MinIO with --source=kafka); credentials come from"
                            + " the AWS SDK's default chain, never from options",
                        "AWS"),
                    flag("s3PathStyleAccess"))),
            new Group(
                "Windows",
                List.of(
                    option("windowSeconds", "SECONDS"),
                    option("earlyFiringSeconds", "SECONDS"),
                    option("allowedLatenessSeconds", "SECONDS"),
                    option("assemblyWaitSeconds", "SECONDS"))),
            new Group(
                "Tables",
                List.of(
                    described(
                        "tableFormat",
                        "iceberg|parquet",
                        "iceberg: Iceberg tables streaming.* committed as windows are written, at most once every --commitSeconds, exactly once across"
                            + " restarts, Kafka or Kinesis input with windows or one global window (--windowSeconds=0)"
                            + " committed once at the replay's end (Kinesis: a restart reads each stream again from its"
                            + " trim horizon, dropping each shard's records up to the tables' anchor; docs/iceberg.md);"
                            + " parquet: plain files under tables/ of the output, appended (at least once)",
                        "iceberg"),
                    option("commitSeconds", "SECONDS"),
                    option("warehouse", "PATH"),
                    option("catalogUri", "JDBC-URI"),
                    option("catalogName", "NAME"))),
            queries(),
            limits(List.of(option("maxRecordBytes", "BYTES"), option("maxPackRecords", "N"), option("maxPackBytes", "BYTES"))),
            progress(null),
            runner("streaming", true)),
        Map.of());
  }

  /** The help of job {@code job}, or empty if there is no such job. */
  public static Optional<JobHelp> of(String job) {
    switch (job) {
      case "batch":
        return Optional.of(batch());
      case "archive":
        return Optional.of(archive());
      case "streaming":
        return Optional.of(streaming());
      default:
        return Optional.empty();
    }
  }

  public String job() {
    return job;
  }

  List<Group> groups() {
    return groups;
  }

  Map<String, String> unused() {
    return unused;
  }

  /** The help text; with {@code all}, every other accepted option too. */
  public String render(OptionCatalog catalog, boolean all) {
    StringBuilder s = new StringBuilder();
    s.append("usage: java -jar pinterest-pipelines.jar ").append(synopsis).append("\n\n");
    wrap(s, summary, 0, 0);
    Set<String> shown = new java.util.HashSet<>();
    for (Group group : groups) {
      StringBuilder block = new StringBuilder();
      for (Entry entry : group.entries()) {
        Optional<OptionCatalog.Option> option = catalog.find(entry.name());
        if (option.isEmpty()) {
          continue; // a runner this jar leaves out (the Spark cluster jar has no Flink)
        }
        shown.add(entry.name());
        line(block, option.get(), entry);
      }
      if (block.length() > 0) {
        s.append('\n').append(group.title()).append(":\n").append(block);
      }
    }
    if (all) {
      Map<String, StringBuilder> others = new TreeMap<>();
      for (OptionCatalog.Option option : catalog.all()) {
        if (!shown.contains(option.name()) && !option.isHidden() && !unused.containsKey(option.name())
            && !CredentialOptions.REFUSED.equals(option.name())) {
          line(others.computeIfAbsent(origin(option), o -> new StringBuilder()), option, new Entry(option.name(), null, null, null, null));
        }
      }
      others.forEach((title, block) -> s.append('\n').append(title).append(":\n").append(block));
    }
    s.append('\n');
    wrap(s, "Options are written --name=value or --name value; a yes/no option alone means yes (--overwrite), no is --overwrite=false.", 0, 0);
    if (!all) {
      wrap(s, "'" + job + " --help=all' also lists the other options of the runners, of AWS and of Beam that the job accepts.", 0, 0);
    }
    wrap(s, "Exit status: 0 done; 1 failed, also when a configured endpoint (Kafka, Kinesis, S3) cannot be reached;"
        + " 2 a mistake in the command line or the input (a bad option, a missing input, an output that is a file).", 0, 0);
    return s.toString();
  }

  private static void line(StringBuilder s, OptionCatalog.Option option, Entry entry) {
    String head = "  --" + option.name() + (option.isYesNo() ? "[=true|false]" : "=" + valueName(option, entry));
    StringBuilder text = new StringBuilder(entry.description() != null ? entry.description() : firstSentences(option.description()));
    if (text.length() > 0 && ".!?".indexOf(text.charAt(text.length() - 1)) < 0) {
      text.append('.');
    }
    if (entry.required() != null) {
      text.append(" Required").append(entry.required().isEmpty() ? "" : " " + entry.required()).append('.');
    }
    Optional<String> dflt = Optional.ofNullable(entry.defaultText()).or(option::defaultText);
    if (entry.required() == null || !entry.required().isEmpty()) {
      dflt.filter(d -> !d.isEmpty()).ifPresent(d -> text.append(" Default: ").append(d).append('.'));
    }
    if (head.length() >= COLUMN - 1) {
      s.append(head).append('\n').append(" ".repeat(COLUMN));
    } else {
      s.append(head).append(" ".repeat(COLUMN - head.length()));
    }
    wrap(s, text.toString().strip(), COLUMN, COLUMN);
  }

  private static String valueName(OptionCatalog.Option option, Entry entry) {
    if (entry.value() != null) {
      return entry.value();
    }
    Class<?> t = option.type();
    if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
      return "N";
    }
    if (t.isEnum()) {
      StringBuilder names = new StringBuilder();
      for (Object c : t.getEnumConstants()) {
        names.append(names.length() == 0 ? "" : "|").append(((Enum<?>) c).name());
      }
      return names.toString();
    }
    return "VALUE";
  }

  /** Beam's descriptions run to paragraphs; the help keeps their first two sentences. */
  static String firstSentences(String description) {
    String flat =
        description
            .replaceAll("\\{@link (?:[\\w.]+\\.)?(\\w+)\\}", "$1") // Javadoc in Beam's words
            .replaceAll("\\{@(?:code|literal) ([^}]*)\\}", "$1")
            .replaceAll("\\s+", " ")
            .strip();
    int end = -1;
    for (int n = 0; n < 2; n++) {
      int next = flat.indexOf(". ", end + 1);
      if (next < 0) {
        return flat;
      }
      end = next;
    }
    return flat.substring(0, end + 1);
  }

  /** Where an option comes from, in words: the group title of {@code --help=all}. */
  static String origin(OptionCatalog.Option option) {
    String p = option.declaredIn().getName();
    if (option.isJobs() || OptionCatalog.isOurs(option.declaredIn())) {
      return "More of this job's options";
    }
    if (p.startsWith("org.apache.beam.runners.flink")) {
      return "Flink runner";
    }
    if (p.startsWith("org.apache.beam.runners.spark")) {
      return "Spark runner";
    }
    if (p.startsWith("org.apache.beam.runners.direct")) {
      return "Direct runner";
    }
    if (p.startsWith("org.apache.beam.sdk.io.aws2")) {
      return "AWS (S3, Kinesis)";
    }
    if (p.startsWith("org.apache.beam.sdk.extensions.gcp")) {
      return "Google Cloud";
    }
    return "Beam";
  }

  /**
   * Appends {@code text} wrapped at {@link #WIDTH}, from column {@code start} (where the caller's
   * line already is), further lines indented to {@code rest}.
   */
  private static void wrap(StringBuilder s, String text, int start, int rest) {
    int column = start;
    boolean lineStart = true;
    for (String word : text.split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      if (!lineStart && column + 1 + word.length() > WIDTH) {
        s.append('\n').append(" ".repeat(rest));
        column = rest;
        lineStart = true;
      }
      if (!lineStart) {
        s.append(' ');
        column++;
      }
      s.append(word);
      column += word.length();
      lineStart = false;
    }
    s.append('\n');
  }

  private static Entry option(String name, String value) {
    return new Entry(name, value, null, null, null);
  }

  private static Entry flag(String name) {
    return new Entry(name, null, null, null, null);
  }

  private static Entry required(String name, String value, String unless) {
    return new Entry(name, value, null, null, unless);
  }

  private static Entry described(String name, String value, String description, String defaultText) {
    return new Entry(name, value, description, defaultText, null);
  }

  private static Group s3() {
    return new Group(
        "S3 (s3:// paths)",
        List.of(
            described("awsRegion", "REGION", "The bucket's region, e.g. eu-west-1", "the AWS SDK's region chain"),
            described("endpoint", "URL", "An S3-compatible server instead of AWS, e.g. http://127.0.0.1:9090; credentials come from the AWS SDK's default chain, never from options", "AWS"),
            flag("s3PathStyleAccess")));
  }

  private static Group queries() {
    return new Group(
        "Query semantics (docs/semantics.md)",
        List.of(
            option("ties", "all|first"),
            option("median", "exact|lower"),
            option("userCount", "distinct|rows"),
            option("postYearFrom", "YEAR"),
            option("postYearTo", "YEAR"),
            option("joinYearFrom", "YEAR"),
            option("joinYearTo", "YEAR")));
  }

  /** {@code line}: what batch and archive print every --progressSeconds; null for streaming. */
  private static Group progress(String line) {
    return new Group(
        "Progress and metrics",
        List.of(
            described("quiet", null, "Print no progress lines on standard error; the summary at the end is printed all the same", "false"),
            line == null
                ? described("progressSeconds", "SECONDS", "How often to look for windows written; a line for each", "5")
                : described("progressSeconds", "SECONDS", "Print " + line + " every SECONDS", "5"),
            described("prometheusPort", "PORT", "FlinkRunner (embedded cluster): serve Flink's metrics and the job's counters for Prometheus at http://HOST:PORT/metrics; 0 for any free port, or a range such as 9249-9259", "none"),
            option("prometheusHost", "HOST")));
  }

  private static Group limits(List<Entry> entries) {
    return new Group("Limits", entries);
  }

  private static Group runner(String job, boolean streaming) {
    List<Entry> entries = new ArrayList<>();
    entries.add(described("runner", "NAME", "Where the job runs: DirectRunner (this JVM), SparkRunner or FlinkRunner", "DirectRunner"));
    entries.add(described("appName", "NAME", "The Spark or Flink application name", "pinterest-" + job));
    entries.add(described("sparkMaster", "URL", "SparkRunner: local[N] (in this JVM), spark://host:7077, yarn or k8s://...; spark-submit's --master wins", "local[4]"));
    entries.add(described("flinkMaster", "HOST:PORT", "FlinkRunner: a JobManager to submit to, or [local] / [auto] for an embedded cluster in this JVM", "[auto]"));
    entries.add(described("parallelism", "N", "FlinkRunner: the parallelism of every step", "the cluster's; on an embedded cluster, the machine's cores"));
    if (streaming) {
      entries.add(described("checkpointingInterval", "MS", "FlinkRunner: take a checkpoint every MS milliseconds", "-1 (none); 60000 with --flinkCheckpointDir"));
      entries.add(described("flinkCheckpointDir", "DIR", "FlinkRunner: keep the checkpoints under this local directory, retained when the job is cancelled or killed", null));
      entries.add(described("restoreFromLatestCheckpoint", null, "FlinkRunner: start from the newest checkpoint under --flinkCheckpointDir instead of the group's committed offsets", "false"));
    } else {
      entries.add(described("checkpointingInterval", "MS", "FlinkRunner: take a checkpoint every MS milliseconds", "-1 (none)"));
    }
    if (streaming) {
      entries.add(described("maxBundleSize", "N", "FlinkRunner: elements per bundle; smaller bundles pass the watermark on sooner", "100"));
    }
    entries.add(described("flinkConfDir", "DIR", "FlinkRunner: a directory holding Flink's config.yaml (else FLINK_CONF_DIR); without either, the embedded cluster listens on 127.0.0.1 only", null));
    entries.add(described("targetParallelism", "N", "DirectRunner: worker threads", "the machine's cores, at least 3"));
    entries.add(described("enforceImmutability", null, "DirectRunner: check on every element that no step modifies its input (slow; for tests)", "false"));
    entries.add(described("enforceEncodability", null, "DirectRunner: check on every element that it survives its coder (slow; for tests)", "false"));
    return new Group("Runner", entries);
  }
}
