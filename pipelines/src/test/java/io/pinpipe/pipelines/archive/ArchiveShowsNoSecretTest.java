package io.pinpipe.pipelines.archive;

import static org.junit.Assert.assertFalse;

import io.pinpipe.pipelines.io.kafka.PartitionRange;
import io.pinpipe.pipelines.io.kafka.SecretsNotShownTest;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The archive job's graph shows no Kafka secret either (see {@link SecretsNotShownTest}). */
public class ArchiveShowsNoSecretTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void theArchiveJobsGraphShowsNoKafkaSecret() throws Exception {
    Map<String, Object> config = SecretsNotShownTest.clientConfig(tmp.getRoot().toPath());
    ArchiveOptions options = PipelineOptionsFactory.as(ArchiveOptions.class);
    options.setOutput(tmp.newFolder("archive").toString());
    options.setGroupId(ArchiveOptions.DEFAULT_GROUP_ID);
    Pipeline pipeline = Pipeline.create(options);
    List<PartitionRange> ranges =
        List.of(new PartitionRange("pinterest.pin", 0, 0, 10), new PartitionRange("pinterest.geo", 0, 5, 9));
    ArchivePipeline.build(pipeline, options, config, ranges, ranges);
    assertFalse(SecretsNotShownTest.assertNoSecretShown("archive", pipeline).isEmpty());
  }
}
