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
  private static final String[] PROPERTIES = {SparkShuffleDefaults.SERIALIZER, SparkShuffleDefaults.KRYO_BUFFER_MAX};
  private final String[] saved = new String[PROPERTIES.length];

  @Before
  public void clearSerializer() {
    for (int i = 0; i < PROPERTIES.length; i++) {
      saved[i] = System.getProperty(PROPERTIES[i]);
      System.clearProperty(PROPERTIES[i]);
    }
  }

  @After
  public void restoreSerializer() {
    for (int i = 0; i < PROPERTIES.length; i++) {
      if (saved[i] == null) {
        System.clearProperty(PROPERTIES[i]);
      } else {
        System.setProperty(PROPERTIES[i], saved[i]);
      }
    }
  }

  private static PipelineOptions options(String... args) {
    return PipelineOptionsFactory.fromArgs(args).create();
  }

  @Test
  public void sparkRunnerGetsKryoAndSerializedCachesUnlessGiven() {
    String[] args = {"--runner=SparkRunner", "--sparkMaster=local[2]"};
    PipelineOptions options = options(args);
    SparkShuffleDefaults.applyUnlessSet(options, GivenFlags.in(args));
    assertEquals("org.apache.spark.serializer.KryoSerializer", System.getProperty("spark.serializer"));
    // Kryo's buffer no smaller than an object Java serialization would have taken.
    assertEquals("2000m", System.getProperty("spark.kryoserializer.buffer.max"));
    assertEquals("MEMORY_AND_DISK_SER", options.as(SparkCommonPipelineOptions.class).getStorageLevel());

    System.setProperty("spark.serializer", "org.apache.spark.serializer.JavaSerializer");
    String[] given = {"--runner=SparkRunner", "--storageLevel=MEMORY_ONLY"};
    PipelineOptions chosen = options(given);
    SparkShuffleDefaults.applyUnlessSet(chosen, GivenFlags.in(given));
    assertEquals("org.apache.spark.serializer.JavaSerializer", System.getProperty("spark.serializer"));
    assertEquals("MEMORY_ONLY", chosen.as(SparkCommonPipelineOptions.class).getStorageLevel());
  }

  @Test
  public void otherRunnersAreLeftAlone() {
    String[] args = {"--runner=DirectRunner"};
    SparkShuffleDefaults.applyUnlessSet(options(args), GivenFlags.in(args));
    assertNull(System.getProperty("spark.serializer"));
    assertNull(System.getProperty("spark.kryoserializer.buffer.max"));
  }
}
