package io.pinpipe.transforms.onepass;

import io.pinpipe.transforms.clean.CleaningLog;
import io.pinpipe.transforms.clean.RecordCleaner;
import io.pinpipe.transforms.join.Post;
import io.pinpipe.transforms.parse.DeadLetter;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.quality.JobCounters;
import io.pinpipe.transforms.quality.QualityMetrics;
import io.pinpipe.transforms.queries.PinterestQueries;
import io.pinpipe.transforms.queries.UsersJoinedByYear;
import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.Row;
import org.apache.beam.sdk.values.TupleTag;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Everything that happens to the records of one row-number bucket, in one step: parse each record
 * (or dead-letter it), drop exact duplicates per row number, apply the kind's cleaning rules, build
 * each row number's {@link Post} and add it to every query's accumulator. The parser, the {@link
 * RecordCleaner}s and {@link PinterestQueries} define what happens to a record; the one rule defined
 * here is what counts as the same record (all parsed fields equal, within a row number: {@link
 * #contentOf}), since it needs all of a row number's records at once (docs/design.md#one-keyed-pass).
 *
 * <p>Outputs: each kind's table rows ({@link PackedRows}, in the pane of the grouping) and dead
 * letters, when {@code tables}; one {@link WindowPartial} per window and bundle and q6's persons by
 * shard, when {@code results}. A streaming job whose tables fire more often than its results runs
 * this step twice, once per firing (see {@link CleanAndQuery}); otherwise once, with both.
 *
 * <p>Every record read is accounted for in the counts: read (counted where the records were packed,
 * {@link RecordPack#read}), then each dead-lettered, duplicate or cleaned here. The pass that
 * computes results also adds each kind's counts to the Beam counters of {@link JobCounters}, once
 * per bucket (the tables' own pass, when there is one, does not, so nothing is counted twice).
 */
final class ProcessBucketFn extends DoFn<KV<Integer, Iterable<RecordPack>>, PackedRows> {
  static final Map<RecordKind, TupleTag<PackedRows>> TABLES = new EnumMap<>(RecordKind.class);
  static final Map<RecordKind, TupleTag<DeadLetter>> DEAD_LETTERS = new EnumMap<>(RecordKind.class);
  static final TupleTag<WindowPartial> PARTIALS = new TupleTag<WindowPartial>("partials") {};
  static final TupleTag<KV<Integer, PersonPack>> PERSONS = new TupleTag<KV<Integer, PersonPack>>("persons") {};
  /** The table sink's notes on the files it wrote (only when the step writes its tables itself). */
  static final TupleTag<byte[]> WRITTEN_FILES = new TupleTag<byte[]>("written-files") {};

  static {
    for (RecordKind kind : RecordKind.values()) {
      TABLES.put(kind, new TupleTag<PackedRows>("table-" + kind.id()) {});
      DEAD_LETTERS.put(kind, new TupleTag<DeadLetter>("dead-letters-" + kind.id()) {});
    }
  }

  /** Distinct persons are counted in this many shards: enough to spread them, few elements. */
  static final int PERSON_SHARDS = 64;

  private static final RecordKind[] KINDS = RecordKind.values();
  /**
   * Where each kind's parsed row holds its row number and its parse issues, by kind ordinal: found
   * once, as a read by field name looks the name up in a hash map for every record.
   */
  private static final int[] ROW_NUMBER_AT = new int[KINDS.length];
  private static final int[] PARSE_ISSUES_AT = new int[KINDS.length];

  static {
    for (RecordKind kind : KINDS) {
      ROW_NUMBER_AT[kind.ordinal()] = RecordSchemas.parsed(kind).indexOf(kind.rowNumberField());
      PARSE_ISSUES_AT[kind.ordinal()] = RecordSchemas.parsed(kind).indexOf(RecordSchemas.PARSE_ISSUES);
    }
  }

  private final boolean tables;
  private final boolean results;
  /** Whether this pass adds its counts to the job's Beam counters (the results pass, once). */
  private final boolean jobCounters;
  private final PinterestQueries queries;
  private final PackLimits limits;
  private final int maxRecordBytes;
  private final @Nullable TablePackSink tableSink;
  private transient TablePackSink.@Nullable Writer tableWriter;
  private transient JsonRecordParser[] parsers;
  private transient RecordCleaner[] cleaners;
  /** One per kind, reused record after record: a story's count key is built once (CleaningLog). */
  private transient CleaningLog[] logs;
  private transient List<Function<List<String>, String>> countKeys;
  private transient Map<BoundedWindow, WindowPartial> partials;
  private transient OpenPacks<Integer, PersonPack> persons;
  // Per kind: cleaned, dead-lettered, duplicates, conflicts.
  private transient Counter[] cleanedCounters;
  private transient Counter[] deadLetteredCounters;
  private transient Counter[] duplicateCounters;
  private transient Counter[] conflictCounters;

  ProcessBucketFn(
      boolean tables,
      boolean results,
      boolean jobCounters,
      PinterestQueries queries,
      PackLimits limits,
      int maxRecordBytes,
      @Nullable TablePackSink tableSink) {
    this.tables = tables;
    this.results = results;
    this.jobCounters = jobCounters;
    this.queries = queries;
    this.limits = limits;
    this.maxRecordBytes = maxRecordBytes;
    this.tableSink = tableSink;
  }

  /** Whether the step hands its table rows on as elements (not when it writes them itself). */
  static boolean tableOutputs(boolean tables, @Nullable TablePackSink tableSink) {
    return tables && tableSink == null;
  }

  static TupleTag<PackedRows> mainTag(boolean tableOutputs) {
    // A DoFn's main output: the pins' table, or an output nothing reads.
    return tableOutputs ? TABLES.get(RecordKind.PIN) : new TupleTag<PackedRows>("unused") {};
  }

  @Teardown
  public void teardown() throws IOException {
    if (tableWriter != null) {
      tableWriter.close();
      tableWriter = null;
    }
  }

  @Setup
  public void setup() {
    parsers = new JsonRecordParser[KINDS.length];
    cleaners = new RecordCleaner[KINDS.length];
    logs = new CleaningLog[KINDS.length];
    countKeys = new ArrayList<>();
    tableWriter = tables && tableSink != null ? tableSink.open() : null;
    for (RecordKind kind : KINDS) {
      parsers[kind.ordinal()] = new JsonRecordParser(kind, maxRecordBytes);
      cleaners[kind.ordinal()] = RecordCleaner.forKind(kind);
      logs[kind.ordinal()] = new CleaningLog();
      countKeys.add(events -> QualityMetrics.cleaned(kind, events).getKey());
    }
    cleanedCounters = counters(QualityMetrics.CLEANED);
    deadLetteredCounters = counters(QualityMetrics.DEAD_LETTERED);
    duplicateCounters = counters(QualityMetrics.DUPLICATES);
    conflictCounters = counters(QualityMetrics.CONFLICTS);
  }

  private static Counter[] counters(String measure) {
    Counter[] counters = new Counter[KINDS.length];
    for (RecordKind kind : KINDS) {
      counters[kind.ordinal()] = JobCounters.counter(kind, measure);
    }
    return counters;
  }

  @StartBundle
  public void startBundle() {
    partials = new HashMap<>();
    persons = new OpenPacks<>(limits, PersonPack::new);
  }

  @ProcessElement
  public void process(
      @Element KV<Integer, Iterable<RecordPack>> bucket, BoundedWindow window, PaneInfo pane, MultiOutputReceiver out) {
    WindowPartial partial = results ? partials.computeIfAbsent(window, w -> WindowPartial.empty(queries)) : null;

    // Parse; keep one record per distinct content and row number, per kind.
    long[] read = new long[KINDS.length];
    long[] deadLettered = new long[KINDS.length];
    long[] parsed = new long[KINDS.length];
    // Sorted by row number, so a bucket's table rows, and so its files, come out the same
    // whatever order the runner gave the packs in: a retried write names and fills its files alike.
    List<Map<Long, Map<List<Object>, Row>>> byRowNumber = new ArrayList<>();
    for (int k = 0; k < KINDS.length; k++) {
      byRowNumber.add(new TreeMap<>());
    }
    // Each parsed row's record, when the table sink wants origins: of exact duplicates, the row
    // kept is then the one of the lowest origin, whatever the order the packs came in.
    Map<Row, RawRecord> origins = keepsOrigins() ? new IdentityHashMap<>() : null;
    for (RecordPack pack : bucket.getValue()) {
      for (RecordKind kind : KINDS) {
        read[kind.ordinal()] += pack.read(kind);
      }
      for (int i = 0; i < pack.size(); i++) {
        int k = pack.kind(i).ordinal();
        JsonRecordParser.Outcome outcome = parsers[k].parse(pack.record(i));
        Row row = outcome.row();
        if (row == null) {
          deadLettered[k]++;
          if (tables) {
            out.get(DEAD_LETTERS.get(KINDS[k])).output(outcome.deadLetter());
          }
          continue;
        }
        parsed[k]++;
        Map<List<Object>, Row> distinct =
            byRowNumber.get(k).computeIfAbsent(row.getInt64(ROW_NUMBER_AT[k]), ind -> new HashMap<>(2));
        if (origins == null) {
          distinct.merge(contentOf(row, k), row, ProcessBucketFn::preferred);
        } else {
          origins.put(row, pack.record(i));
          distinct.merge(contentOf(row, k), row, (a, b) -> preferredWithOrigin(a, b, origins));
        }
      }
    }

    // Clean; build the posts.
    Map<Long, Post> posts = results ? new LinkedHashMap<>() : null;
    for (RecordKind kind : KINDS) {
      int k = kind.ordinal();
      List<Row> tableRows = tables ? new ArrayList<>() : null;
      List<String> tableOrigins = tables && origins != null ? new ArrayList<>() : null;
      long distinct = 0;
      long conflicting = 0;
      for (Map.Entry<Long, Map<List<Object>, Row>> records : byRowNumber.get(k).entrySet()) {
        int n = records.getValue().size();
        distinct += n;
        if (n > 1) {
          conflicting += n;
        }
        for (Row record : inFixedOrder(records.getValue())) {
          CleaningLog log = logs[k].restart(record.<String>getArray(PARSE_ISSUES_AT[k]));
          Row clean = cleaners[k].clean(record, log);
          if (tables) {
            if (tableOrigins == null) {
              tableRows.add(clean);
            } else {
              RawRecord raw = origins.get(record);
              if (!heldByTable(kind, raw)) {
                tableRows.add(clean);
                tableOrigins.add(raw.origin);
              }
            }
          }
          if (results) {
            partial.count(log.describedBy(countKeys.get(k)), 1L);
            addTo(posts.computeIfAbsent(records.getKey(), Post::new), kind, clean);
          }
        }
      }
      if (tables && !tableRows.isEmpty()) {
        if (tableWriter != null) {
          writeTable(kind, bucket.getKey(), tableRows, tableOrigins, window, pane, out);
        } else {
          PackedRows.pack(RecordSchemas.clean(kind), bucket.getKey(), tableRows, limits, out.get(TABLES.get(kind))::output);
        }
      }
      if (results) {
        partial.count(QualityMetrics.key(kind, QualityMetrics.READ), read[k]);
        partial.count(QualityMetrics.key(kind, QualityMetrics.DEAD_LETTERED), deadLettered[k]);
        partial.count(QualityMetrics.key(kind, QualityMetrics.DUPLICATES), parsed[k] - distinct);
        partial.count(QualityMetrics.key(kind, QualityMetrics.CONFLICTS), conflicting);
      }
      if (jobCounters) {
        // Zeros too, so that a runner's reporter shows every counter from the start.
        cleanedCounters[k].inc(distinct);
        deadLetteredCounters[k].inc(deadLettered[k]);
        duplicateCounters[k].inc(parsed[k] - distinct);
        conflictCounters[k].inc(conflicting);
      }
    }

    if (results) {
      UsersJoinedByYear q6 = queries.usersJoinedByYear();
      for (Post post : posts.values()) {
        queries.addInputLeavingPersonsOut(partial.queries, post);
        if (q6.countsDistinctPersons()) {
          for (Row user : post.users()) {
            Integer year = q6.joinYear(user);
            if (year != null) {
              addPerson(window, year, UsersJoinedByYear.personKey(user), out);
            }
          }
        }
      }
    }
  }

  /** Writes the rows a pack (one file) at a time, as they are packed. */
  private void writeTable(
      RecordKind kind,
      int bucket,
      List<Row> rows,
      @Nullable List<String> origins,
      BoundedWindow window,
      PaneInfo pane,
      MultiOutputReceiver out) {
    PackedRows.pack(
        RecordSchemas.clean(kind),
        bucket,
        rows,
        origins,
        limits,
        pack -> {
          try {
            byte[] note = tableWriter.write(kind, pack, window, pane);
            if (note != null) {
              out.get(WRITTEN_FILES).output(note);
            }
          } catch (IOException e) {
            throw new UncheckedIOException("writing the " + kind.id() + " table's rows of bucket " + bucket, e);
          }
        });
  }

  private boolean keepsOrigins() {
    return tables && tableSink != null && tableSink.keepsOrigins();
  }

  /** Whether the sink's table already holds this record (a record read again after a restart). */
  private boolean heldByTable(RecordKind kind, RawRecord raw) {
    int plus = raw.origin.lastIndexOf('+');
    if (plus < 0 || plus == raw.origin.length() - 1) {
      return false;
    }
    long number;
    try {
      number = Long.parseLong(raw.origin.substring(plus + 1));
    } catch (NumberFormatException e) {
      return false;
    }
    return tableWriter.holds(kind, raw.origin.substring(0, plus + 1), number);
  }

  /**
   * {@link #preferred}, and of two rows equally preferred (exact duplicates) the one whose record
   * has the lower origin (prefix, then number): the row a table holds is then the same whatever
   * order the records arrived in, so a restart drops or keeps it alike.
   */
  private static Row preferredWithOrigin(Row a, Row b, Map<Row, RawRecord> origins) {
    String issuesA = String.valueOf(a.getArray(RecordSchemas.PARSE_ISSUES));
    String issuesB = String.valueOf(b.getArray(RecordSchemas.PARSE_ISSUES));
    int byIssues = issuesA.compareTo(issuesB);
    if (byIssues != 0) {
      return byIssues < 0 ? a : b;
    }
    return compareOrigins(origins.get(a).origin, origins.get(b).origin) <= 0 ? a : b;
  }

  /** Origins {@code <prefix><number>}: by prefix, then by number (offset 9 before offset 10). */
  static int compareOrigins(String a, String b) {
    int cut = a.lastIndexOf('+') + 1;
    int cutB = b.lastIndexOf('+') + 1;
    int byPrefix = a.substring(0, cut).compareTo(b.substring(0, cutB));
    if (byPrefix != 0 || cut == 0) {
      return byPrefix != 0 ? byPrefix : a.compareTo(b);
    }
    int byLength = Integer.compare(a.length() - cut, b.length() - cutB);
    return byLength != 0 ? byLength : a.compareTo(b);
  }

  private void addPerson(BoundedWindow window, int year, String person, MultiOutputReceiver out) {
    int shard = Math.floorMod(person.hashCode(), PERSON_SHARDS);
    persons.add(
        window,
        shard,
        pack -> pack.add(year, person),
        (w, key, full) -> out.get(PERSONS).outputWithTimestamp(KV.of(key, full), w.maxTimestamp()));
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    partials.forEach((window, partial) -> context.output(PARTIALS, partial, window.maxTimestamp(), window));
    partials.clear();
    persons.flushTo(context, PERSONS);
  }

  private static void addTo(Post post, RecordKind kind, Row clean) {
    switch (kind) {
      case PIN:
        post.pins().add(clean);
        break;
      case GEO:
        post.geos().add(clean);
        break;
      case USER:
        post.users().add(clean);
        break;
      default:
        throw new IllegalArgumentException(kind.toString());
    }
  }

  /** A row number's distinct records; conflicting ones (rare) in the order of their content. */
  private static Iterable<Row> inFixedOrder(Map<List<Object>, Row> distinct) {
    if (distinct.size() < 2) {
      return distinct.values();
    }
    List<Map.Entry<List<Object>, Row>> entries = new ArrayList<>(distinct.entrySet());
    entries.sort(Comparator.comparing(e -> String.valueOf(e.getKey())));
    List<Row> rows = new ArrayList<>(entries.size());
    for (Map.Entry<List<Object>, Row> entry : entries) {
      rows.add(entry.getValue());
    }
    return rows;
  }

  /** All parsed fields of a row of kind {@code k} but the parse issues, which are not part of the record's content. */
  private static List<Object> contentOf(Row row, int k) {
    List<Object> content = new ArrayList<>(row.getValues());
    content.remove(PARSE_ISSUES_AT[k]);
    return content;
  }

  /** Of two exact duplicates, the one kept: deterministic, whatever the arrival order. */
  private static Row preferred(Row a, Row b) {
    String issuesA = String.valueOf(a.getArray(RecordSchemas.PARSE_ISSUES));
    String issuesB = String.valueOf(b.getArray(RecordSchemas.PARSE_ISSUES));
    return issuesA.compareTo(issuesB) <= 0 ? a : b;
  }
}
