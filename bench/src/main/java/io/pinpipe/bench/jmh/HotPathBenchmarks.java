package io.pinpipe.bench.jmh;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.transforms.clean.CleaningLog;
import io.pinpipe.transforms.clean.FollowerCounts;
import io.pinpipe.transforms.clean.RecordCleaner;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.schema.RecordSchemas;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.values.Row;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-record hot paths of the cleaning stage, one record per call, as the pipeline's DoFns call
 * them: JSON parse (bytes to parsed row), clean (parsed row to clean row with its cleaning log), and
 * the follower-count parse inside the pin cleaner. Average time per record; lower is better.
 *
 * <p>Run: {@code bench/jmh.sh} (or {@code java -cp "bench/target/pinterest-bench.jar:bench/target/lib/*"
 * org.openjdk.jmh.Main HotPathBenchmarks}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class HotPathBenchmarks {

  /** One kind's sample records, raw and parsed, taken in turn. */
  @State(Scope.Thread)
  public static class Records {
    @Param({"PIN", "GEO", "USER"})
    public RecordKind kind;

    JsonRecordParser parser;
    RecordCleaner cleaner;
    RawRecord[] raw;
    Row[] parsed;
    int next;

    @Setup(Level.Trial)
    public void setUp() {
      parser = new JsonRecordParser(kind);
      cleaner = RecordCleaner.forKind(kind);
      raw = RecordSamples.raw(kind);
      parsed = new Row[raw.length];
      for (int i = 0; i < raw.length; i++) {
        parsed[i] = parser.parse(raw[i]).row();
        if (parsed[i] == null) {
          throw new IllegalStateException("sample " + i + " of " + kind + " does not parse");
        }
      }
    }

    int nextIndex() {
      next = next + 1 == raw.length ? 0 : next + 1;
      return next;
    }
  }

  @Benchmark
  public JsonRecordParser.Outcome parseJson(Records records) {
    return records.parser.parse(records.raw[records.nextIndex()]);
  }

  @Benchmark
  public Row clean(Records records) {
    Row parsed = records.parsed[records.nextIndex()];
    CleaningLog log = new CleaningLog(parsed.<String>getArray(RecordSchemas.PARSE_ISSUES));
    return records.cleaner.clean(parsed, log);
  }

  /** The follower-count forms real pins carry: plain, k, M, and the error placeholder. */
  @State(Scope.Thread)
  public static class FollowerCountSamples {
    final String[] texts = {"0", "912", "39k", "124k", "1M", "2.5M", "User Info Error", "12,345"};
    int next;

    String nextText() {
      next = next + 1 == texts.length ? 0 : next + 1;
      return texts[next];
    }
  }

  @Benchmark
  public FollowerCounts.Parsed parseFollowerCount(FollowerCountSamples texts) {
    return FollowerCounts.parse(texts.nextText());
  }
}
