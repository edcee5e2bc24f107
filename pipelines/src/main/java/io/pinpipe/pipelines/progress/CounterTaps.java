package io.pinpipe.pipelines.progress;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Where {@link FlinkCountersReporter} hands the counters of an embedded Flink cluster to the job's
 * progress lines, in the same JVM. Free of Flink classes, so that the jobs can use it in a jar
 * without Flink (the Spark cluster jar).
 *
 * <p>A tap collects the counters of one Beam namespace that Flink registers while the tap is open;
 * the jobs open one just before they run a pipeline and close it after, and a JVM runs one job at a
 * time (in tests, one after another), so a tap sees its own job's counters only.
 */
public final class CounterTaps {
  private static final Set<Tap> OPEN = ConcurrentHashMap.newKeySet();

  private CounterTaps() {}

  /** Opens a tap for the counters of Beam namespace {@code namespace}. */
  public static Tap open(String namespace) {
    Tap tap = new Tap(namespace);
    OPEN.add(tap);
    return tap;
  }

  /**
   * Called by the reporter for every counter Flink registers: {@code flinkName} is Beam's
   * {@code <namespace><delimiter><name>}, {@code count} reads its current value.
   */
  static void registered(String flinkName, LongSupplier count) {
    for (Tap tap : OPEN) {
      tap.offer(flinkName, count);
    }
  }

  /** The counters of one namespace registered while open: one per operator and subtask. */
  public static final class Tap implements AutoCloseable {
    private final String namespace;
    private final Map<String, List<LongSupplier>> counters = new ConcurrentHashMap<>();

    private Tap(String namespace) {
      this.namespace = namespace;
    }

    private void offer(String flinkName, LongSupplier count) {
      // Beam names a counter <namespace><scope delimiter><name> in Flink; the delimiter is one
      // character, '.' unless Flink's configuration says otherwise.
      if (flinkName.length() > namespace.length() + 1 && flinkName.startsWith(namespace)) {
        String name = flinkName.substring(namespace.length() + 1);
        counters.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(count);
      }
    }

    /** True once Flink registered any counter of the namespace. */
    public boolean sawAny() {
      return !counters.isEmpty();
    }

    /**
     * Each counter summed over the operators and subtasks that registered it. A finished task's
     * counter keeps its last value, so a total never drops when part of the job ends.
     */
    public Map<String, Long> totals() {
      Map<String, Long> totals = new TreeMap<>();
      counters.forEach(
          (name, parts) -> {
            long sum = 0;
            for (LongSupplier part : parts) {
              sum += part.getAsLong();
            }
            totals.put(name, sum);
          });
      return totals;
    }

    @Override
    public void close() {
      OPEN.remove(this);
    }
  }
}
