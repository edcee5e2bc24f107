package io.pinpipe.pipelines.io.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.pinpipe.pipelines.DisplayDataScan;
import io.pinpipe.pipelines.batch.BatchPipeline;
import io.pinpipe.pipelines.io.layout.OutputLayout;
import io.pinpipe.pipelines.options.KafkaOptions;
import io.pinpipe.pipelines.streaming.StreamWindowing;
import io.pinpipe.pipelines.streaming.StreamingJob;
import io.pinpipe.pipelines.streaming.StreamingSinks;
import io.pinpipe.transforms.onepass.PackLimits;
import io.pinpipe.transforms.onepass.RecordPack;
import io.pinpipe.transforms.parse.JsonRecordParser;
import io.pinpipe.transforms.parse.RawRecord;
import io.pinpipe.transforms.queries.QuerySettings;
import io.pinpipe.contract.RecordKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Kafka client secrets (the JAAS configuration, a keystore password) given in the client
 * properties file never show in the display data of the batch, streaming or archive job graphs
 * that read Kafka, while the consumers KafkaIO creates still get them. KafkaIO.Read lists its
 * whole consumer config as display data, so without {@link KafkaSecrets} they would. Builds the
 * graphs only: no broker is needed.
 */
public class SecretsNotShownTest {
  /** Fake, recognisable values: any occurrence of them in display data is a leak. */
  static final String JAAS_PASSWORD = "FAKE-JAAS-PASSWORD-7f3a9c";
  static final String JAAS =
      "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"alice\" password=\""
          + JAAS_PASSWORD + "\";";
  static final String KEYSTORE_PASSWORD = "FAKE-KEYSTORE-PASSWORD-91c2e4";

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** The client config as the jobs load it: --bootstrapServers plus the --clientConfig file. */
  public static Map<String, Object> clientConfig(Path dir) throws Exception {
    Path properties = dir.resolve("client.properties");
    Files.writeString(
        properties,
        String.join(
            "\n",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=PLAIN",
            "sasl.jaas.config=" + JAAS.replace("\\", "\\\\"),
            "ssl.keystore.location=/nonexistent/keystore.p12",
            "ssl.keystore.password=" + KEYSTORE_PASSWORD,
            ""),
        StandardCharsets.UTF_8);
    KafkaOptions options = PipelineOptionsFactory.as(KafkaOptions.class);
    options.setBootstrapServers("127.0.0.1:9");
    options.setClientConfig(properties.toString());
    Map<String, Object> config = KafkaOffsets.clientConfig(options);
    assertEquals(JAAS, config.get("sasl.jaas.config"));
    return config;
  }

  /** Fails with every display data item that holds a secret; returns all items otherwise. */
  public static List<String> assertNoSecretShown(String job, Pipeline pipeline) {
    List<String> leaks = DisplayDataScan.itemsContaining(pipeline, JAAS_PASSWORD, KEYSTORE_PASSWORD, "PlainLoginModule");
    assertTrue(job + " shows Kafka secrets in its display data:\n" + String.join("\n", leaks), leaks.isEmpty());
    return DisplayDataScan.items(pipeline);
  }

  @Test
  public void batchFromKafkaShowsNoSecretInItsDisplayData() throws Exception {
    Map<String, Object> config = clientConfig(tmp.getRoot().toPath());
    Map<RecordKind, List<PartitionRange>> ranges = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      ranges.put(kind, List.of(new PartitionRange("pinterest." + kind.id(), 0, 0, 10)));
    }
    KafkaSource source = KafkaSource.of(config, "pinterest", StartPosition.earliest(), ranges);
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    BatchPipeline.build(
        pipeline, source, new OutputLayout(tmp.newFolder("out").toString()), QuerySettings.defaults(), "DirectRunner");
    List<String> items = assertNoSecretShown("batch", pipeline);
    assertFalse("the scan saw no transform", items.isEmpty());
  }

  @Test
  public void streamingFromKafkaShowsNoSecretInItsDisplayData() throws Exception {
    streamingGraphShowsNoSecret(0, "--runner=DirectRunner");
  }

  @Test
  public void boundedStreamingFromKafkaShowsNoSecretInItsDisplayData() throws Exception {
    // --maxRecordsPerStream: the job reads packed as read (ReadKafkaPacks), through KafkaIO's
    // unbounded source, not the splittable DoFn.
    streamingGraphShowsNoSecret(1_000, "--runner=DirectRunner");
  }

  private void streamingGraphShowsNoSecret(long maxRecords, String... args) throws Exception {
    // StreamingPipeline's graph: a read per kind, StreamingJob, StreamingSinks.
    Map<String, Object> config = clientConfig(tmp.getRoot().toPath());
    KafkaStreamSource source =
        new KafkaStreamSource(config, "pinterest", StartPosition.committed(), "pinterest-streaming", maxRecords, null);
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
    Map<RecordKind, PCollection<RawRecord>> raw = new EnumMap<>(RecordKind.class);
    Map<RecordKind, PCollection<KV<Integer, RecordPack>>> packed = new EnumMap<>(RecordKind.class);
    for (RecordKind kind : RecordKind.values()) {
      // As StreamingPipeline.build reads: packed as read where the source can.
      Optional<PTransform<PBegin, PCollection<KV<Integer, RecordPack>>>> packedRead =
          source.readPacked(kind, PackLimits.defaults(), JsonRecordParser.DEFAULT_MAX_RECORD_BYTES);
      if (packedRead.isPresent()) {
        packed.put(kind, pipeline.apply("Read" + kind.id() + "Records", packedRead.get()));
      } else {
        raw.put(kind, pipeline.apply("Read" + kind.id() + "Records", source.read(kind)));
      }
    }
    // Bounded or live, the Kafka reads are packed (ReadKafkaPacks).
    assertEquals(3, packed.size());
    StreamWindowing windowing = StreamWindowing.of(Duration.standardSeconds(10), Duration.ZERO, Duration.ZERO);
    OutputLayout output = new OutputLayout(tmp.newFolder("out").toString());
    StreamingJob job =
        StreamingJob.build(
            raw,
            packed,
            windowing,
            Duration.standardSeconds(5),
            QuerySettings.defaults(),
            PackLimits.defaults(),
            JsonRecordParser.DEFAULT_MAX_RECORD_BYTES,
            StreamingSinks.tables(output));
    StreamingSinks.write(job, windowing, output, source.describe(), "DirectRunner");

    List<String> items = assertNoSecretShown("streaming", pipeline);
    // The scan does reach KafkaIO's consumer config: its other properties are listed.
    assertTrue(
        String.join("\n", items),
        items.stream().anyMatch(i -> i.contains(".sasl.mechanism (") && i.contains("= PLAIN")));
  }

  @Test
  public void consumersStillGetTheSecretsThatTheShownConfigLacks() throws Exception {
    Map<String, Object> config = clientConfig(tmp.getRoot().toPath());
    Map<String, Object> shown = KafkaSecrets.withoutSecrets(config);
    assertFalse(shown.containsKey("sasl.jaas.config"));
    assertFalse(shown.containsKey("ssl.keystore.password"));
    assertEquals("SASL_SSL", shown.get("security.protocol"));
    assertEquals("/nonexistent/keystore.p12", shown.get("ssl.keystore.location"));

    KafkaSecrets.ConsumerFactory factory = KafkaSecrets.consumerFactory(config);
    Map<String, Object> created = factory.withSecrets(shown);
    assertEquals(JAAS, created.get("sasl.jaas.config"));
    assertEquals(KEYSTORE_PASSWORD, created.get("ssl.keystore.password"));
    assertEquals(config, created);
    String text = factory.toString();
    assertFalse(text, text.contains(JAAS_PASSWORD) || text.contains(KEYSTORE_PASSWORD));
    assertTrue(text, text.contains("sasl.jaas.config"));
  }

  @Test
  public void passwordTypedAndSecretNamedPropertiesAreSecretOthersAreNot() {
    for (String name :
        List.of(
            "sasl.jaas.config", "ssl.key.password", "ssl.keystore.password", "ssl.truststore.password",
            "ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
            "sasl.oauthbearer.client.secret", "aws.secret.access.key")) {
      assertTrue(name, KafkaSecrets.isSecret(name));
    }
    for (String name : List.of("bootstrap.servers", "security.protocol", "sasl.mechanism", "ssl.keystore.location", "group.id")) {
      assertFalse(name, KafkaSecrets.isSecret(name));
    }
  }
}
