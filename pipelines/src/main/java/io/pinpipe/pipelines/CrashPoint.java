package io.pinpipe.pipelines;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named points where the crash tests stop a job as {@code kill -9} would: no shutdown hook, no
 * {@code finally}, files left as they are. Inert unless the JVM runs with the system property
 * {@code pinpipe.crashAt=<point>} (the first time the point is reached) or {@code <point>#<n>} (the
 * n-th time). The job then prints {@code pinpipe.crashAt: halting at <point>} on stderr, so the
 * test knows the point was reached, and halts with status {@link #STATUS}.
 */
public final class CrashPoint {
  public static final String PROPERTY = "pinpipe.crashAt";
  /** What a shell reports for a process killed by SIGKILL. */
  public static final int STATUS = 137;

  private static final Map<String, AtomicInteger> REACHED = new ConcurrentHashMap<>();

  private CrashPoint() {}

  /** Halts here if this is the point (and occurrence) that {@value #PROPERTY} names. */
  public static void reach(String point) {
    String wanted = System.getProperty(PROPERTY);
    if (wanted == null || !wanted.startsWith(point)) {
      return;
    }
    int times = REACHED.computeIfAbsent(point, p -> new AtomicInteger()).incrementAndGet();
    String occurrence = wanted.substring(point.length());
    boolean now = occurrence.isEmpty() ? times == 1 : occurrence.equals("#" + times);
    if (now) {
      System.out.flush();
      System.err.println("pinpipe.crashAt: halting at " + wanted);
      System.err.flush();
      Runtime.getRuntime().halt(STATUS);
    }
  }
}
