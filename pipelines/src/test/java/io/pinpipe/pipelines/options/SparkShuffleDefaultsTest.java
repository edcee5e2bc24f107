package io.pinpipe.pipelines.options;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.apache.beam.runners.spark.SparkCommonPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Batch on SparkRunner: Kryo and serialized multi-output caches unless the user chose; other runners untouched. */
public class SparkShuffleDefaultsTest {
  private String saved;

  @Before
  public void clearSerializer() {
    saved = System.getProperty(SparkShuffleDefaults.SERIALIZER);
    System.clearProperty(SparkShuffleDefaults.SERIALIZER);
  }

  @After
  public void restoreSerializer() {
    if (saved == null) {
      System.clearProperty(SparkShuffleDefaults.SERIALIZER);
    } else {
      System.setProperty(SparkShuffleDefaults.SERIALIZER, saved);
    }
  }

  private static PipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).create();
  }

  @Test
  public void sparkRunnerGetsKryoAndSerializedCachesUnlessGiven() {
    String[] args = {"--runner=SparkRunner", "--sparkMaster=local[2]"};
    PipelineOptions options = options(args);
    SparkShuffleDefaults.applyUnlessSet(options, args);
    assertEquals("org.apache.spark.serializer.KryoSerializer", System.getProperty("spark.serializer"));
    assertEquals("MEMORY_AND_DISK_SER", options.as(SparkCommonPipelineOptions.class).getStorageLevel());

    System.setProperty("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
    String[] given = {"--runner=SparkRunner", "--storageLevel=MEMORY_ONLY"};
    PipelineOptions chosen = options(given);
    SparkShuffleDefaults.applyUnlessSet(chosen, given);
    assertEquals("org.apache.spark.serializer.JavaSerializer", System.getProperty("spark.serializer"));
    assertEquals("MEMORY_ONLY", chosen.as(SparkCommonPipelineOptions.class).getStorageLevel());
  }

  @Test
  public void otherRunnersAreLeftAlone() {
    String[] args = {"--runner=DirectRunner"};
    SparkShuffleDefaults.applyUnlessSet(options(args), args);
    assertNull(System.getProperty("spark.serializer"));
  }
}
