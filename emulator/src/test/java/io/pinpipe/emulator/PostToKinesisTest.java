package io.pinpipe.emulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.pinpipe.contract.RecordKind;
import io.pinpipe.emulator.generate.GeneratedPost;
import io.pinpipe.emulator.generate.GeneratorSettings;
import io.pinpipe.emulator.post.GeneratorSource;
import io.pinpipe.contract.KinesisStreams;
import io.pinpipe.services.KafkaBroker;
import io.pinpipe.services.KinesisLocal;
import io.pinpipe.services.KinesisTestSupport;
import io.pinpipe.services.LocalProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * {@code post --sink kinesis} into a real local Kinesis endpoint (npm kinesis-local, started
 * here), read back shard by shard. The endpoint needs Node: without it these tests skip, except
 * under {@code CI=true}, where they must run.
 */
public class PostToKinesisTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();
  private static KinesisLocal kinesis;

  private final EmulatorRun run = new EmulatorRun();

  @BeforeClass
  public static void startEndpoint() throws Exception {
    KinesisTestSupport.useDummyKeysForTheLocalEndpoint();
    if (KinesisLocal.available() || "true".equals(System.getenv("CI"))) {
      kinesis = KinesisLocal.onFreePorts(TMP.newFolder("kinesis").toPath()).start(Duration.ofSeconds(60));
    }
  }

  @AfterClass
  public static void stopEndpoint() {
    if (kinesis != null) {
      kinesis.close();
    }
  }

  private int post(String... args) {
    return run.post(args);
  }

  private String err() {
    return run.err();
  }

  /** What {@code post --count count --seed seed --duplicateRate rate} sends, resends included. */
  private static List<GeneratedPost> sent(long seed, int count, double duplicateRate) {
    GeneratorSource source = new GeneratorSource(seed, GeneratorSettings.defaults().withDuplicateRate(duplicateRate), count);
    List<GeneratedPost> posts = new ArrayList<>();
    for (Optional<GeneratedPost> p = source.next(); p.isPresent(); p = source.next()) {
      posts.add(p.get());
    }
    return posts;
  }

  /**
   * 700 distinct events cross PutRecords' 500-record batch limit; two shards per stream make the
   * read-back cover more than one shard; resends must arrive as often as they were sent.
   */
  @Test
  public void eachRecordArrivesOnItsStreamByteForByteKeyedByRowNumber() throws Exception {
    KinesisTestSupport.assumeEndpointCanStart();
    List<String> streams = new ArrayList<>();
    for (RecordKind kind : RecordKind.values()) {
      streams.add(KinesisStreams.name("kt", kind));
    }
    assertEquals(List.of("streaming-kt-pin", "streaming-kt-geo", "streaming-kt-user"), streams);
    kinesis.createStreams(streams, 2);

    int status =
        post("--sink", "kinesis", "--kinesisEndpoint", kinesis.endpoint().toString(), "--kinesisRegion",
            kinesis.region(), "--topicPrefix", "kt", "--count", "700", "--seed", "4", "--duplicateRate", "0.02");
    List<GeneratedPost> expected = sent(4, 700, 0.02);
    assertTrue("the seed should produce resends", expected.size() > 700);
    assertEquals(err(), 0, status);
    assertTrue(err(), err().contains(String.format(Locale.ROOT, "%,d records acknowledged, 0 failed", 3 * expected.size())));

    try (KinesisClient client = kinesis.client()) {
      for (RecordKind kind : RecordKind.values()) {
        List<String> wanted = new ArrayList<>();
        for (GeneratedPost p : expected) {
          wanted.add(p.index() + " " + p.json(kind));
        }
        List<String> got = readAll(client, KinesisStreams.name("kt", kind));
        assertSameRecords(KinesisStreams.name("kt", kind), wanted, got);
      }
    }
  }

  @Test
  public void aMissingStreamIsOneErrorLineAndStatusOne() {
    KinesisTestSupport.assumeEndpointCanStart();
    int status =
        post("--sink", "kinesis", "--kinesisEndpoint", kinesis.endpoint().toString(), "--topicPrefix", "absent",
            "--count", "3");
    assertEquals(1, status);
    assertTrue(err(), err().startsWith("error: cannot use Kinesis stream streaming-absent-pin at " + kinesis.endpoint() + ": "));
    assertEquals(err(), 1, err().strip().split("\n").length);
  }

  /** Needs no endpoint: nothing listens on the port. */
  @Test
  public void anUnreachableEndpointIsOneErrorLineAndStatusOne() {
    int closed = LocalProcess.freePort();
    assertEquals(1, post("--sink", "kinesis", "--kinesisEndpoint", "http://127.0.0.1:" + closed, "--count", "1"));
    assertEquals("error: cannot connect to Kinesis at http://127.0.0.1:" + closed + ": Connection refused\n", err());
  }

  /** Equal as multisets; on a difference, the counts and the first differing record, not two long lists. */
  private static void assertSameRecords(String stream, List<String> wanted, List<String> got) {
    List<String> w = new ArrayList<>(wanted);
    List<String> g = new ArrayList<>(got);
    w.sort(null);
    g.sort(null);
    for (int i = 0; i < Math.min(w.size(), g.size()); i++) {
      if (!w.get(i).equals(g.get(i))) {
        fail(stream + ": record " + i + " (sorted by key and data) differs:\n  expected " + around(w.get(i), g.get(i))
            + "\n  but got  " + around(g.get(i), w.get(i)));
      }
    }
    assertEquals(stream + ": records", w.size(), g.size());
  }

  /** The text of {@code a} around its first difference from {@code b}. */
  private static String around(String a, String b) {
    int d = 0;
    while (d < a.length() && d < b.length() && a.charAt(d) == b.charAt(d)) {
      d++;
    }
    return (d > 60 ? "..." : "") + a.substring(Math.max(0, d - 60), Math.min(a.length(), d + 60));
  }

  /**
   * Every record of every shard, as "partitionKey data". kinesis-mock answers a GetRecords at
   * the shard's end with no records and millisBehindLatest 0.
   */
  private static List<String> readAll(KinesisClient client, String stream) {
    List<String> records = new ArrayList<>();
    List<Shard> shards = client.listShards(b -> b.streamName(stream)).shards();
    assertEquals(stream, 2, shards.size());
    for (Shard shard : shards) {
      String iterator =
          client.getShardIterator(
                  b -> b.streamName(stream).shardId(shard.shardId()).shardIteratorType(ShardIteratorType.TRIM_HORIZON))
              .shardIterator();
      while (iterator != null) {
        String it = iterator;
        GetRecordsResponse page = client.getRecords(b -> b.shardIterator(it).limit(10_000));
        for (Record r : page.records()) {
          records.add(r.partitionKey() + " " + r.data().asUtf8String());
        }
        if (page.records().isEmpty() || page.millisBehindLatest() == 0) {
          break;
        }
        iterator = page.nextShardIterator();
      }
    }
    return records;
  }
}
