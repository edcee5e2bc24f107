package io.pinpipe.pipelines.options;

import org.apache.beam.runners.spark.SparkCommonPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What SparkRunner keeps on heap beyond Spark's own accounting, bounded for batch
 * (BENCHMARKS.md#10000000-events-on-sparkrunner-bounded-2026-12-06-fifth-session); the user's settings win:
 *
 * <ul>
 *   <li>{@code spark.serializer} is Kryo unless set ({@code -Dspark.serializer=...} or {@code
 *       spark-submit --conf}). Spark serializes what it shuffles and spills with it, Java
 *       serialization by default; reading a spill file back, Java serialization keeps the last
 *       {@code spark.serializer.objectStreamReset} (100) objects in its handle table, memory Spark
 *       does not count, for each of the many spill files a merge reads at once. Kryo keeps no such
 *       table, and Beam's SparkRunner registers its classes with it; with it, {@code
 *       spark.kryoserializer.buffer.max} is 2000m unless set, so no single object is refused that
 *       Java serialization took. Set as a JVM system property,
 *       which the SparkContext Beam creates reads; for every master, since a cluster's executors
 *       take the driver's configuration.
 *   <li>{@code --storageLevel} is {@code MEMORY_AND_DISK_SER} unless given. SparkRunner keeps a
 *       multi-output step's whole output at that level, since each output's reader reads it; at
 *       Beam's {@code MEMORY_ONLY} an output that does not fit is dropped and the step runs again
 *       for each reader (the bucket step: parsing, cleaning and the table files all over again).
 *       Serialized, it is encoded once and goes to disk when memory is short.
 * </ul>
 */
public final class SparkShuffleDefaults {
  static final String SERIALIZER = "spark.serializer";
  static final String KRYO = "org.apache.spark.serializer.KryoSerializer";
  static final String KRYO_BUFFER_MAX = "spark.kryoserializer.buffer.max";
  /** Spark's largest allowed (below 2 GiB). */
  static final String KRYO_BUFFER_MAX_DEFAULT = "2000m";
  static final String STORAGE_LEVEL = "MEMORY_AND_DISK_SER";

  private SparkShuffleDefaults() {}

  public static void applyUnlessSet(PipelineOptions options, GivenFlags given) {
    if (!"SparkRunner".equals(options.getRunner().getSimpleName())) {
      return;
    }
    if (System.getProperty(SERIALIZER) == null) {
      System.setProperty(SERIALIZER, KRYO);
      if (System.getProperty(KRYO_BUFFER_MAX) == null) {
        // Kryo refuses an object larger than its buffer (64 MiB by default), where Java
        // serialization had no limit: a task's result (a combine's accumulator, a sorted file's
        // lines) may be larger.
        System.setProperty(KRYO_BUFFER_MAX, KRYO_BUFFER_MAX_DEFAULT);
      }
    }
    if (!given.gave("storageLevel")) {
      options.as(SparkCommonPipelineOptions.class).setStorageLevel(STORAGE_LEVEL);
    }
  }
}
