package io.pinpipe.pipelines;

import io.pinpipe.services.ListeningSockets;
import java.time.Duration;
import org.junit.rules.ExternalResource;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * A rule that watches the listening sockets of the test JVM and every process it starts for as
 * long as the test class (as a {@code @ClassRule}) or test runs, and fails it if any listened on an
 * address other than loopback: the services, the jobs' local Spark and Flink clusters and
 * anything else must be unreachable from other machines. Sampling every 250 ms costs next to
 * nothing; a server that lives less than that may be missed.
 */
public final class LoopbackOnly extends ExternalResource {
  private String name = "test";
  private ListeningSockets.Watch watch;

  @Override
  public Statement apply(Statement base, Description description) {
    name = description.getDisplayName();
    return super.apply(base, description);
  }

  @Override
  protected void before() {
    watch = ListeningSockets.watch(Duration.ofMillis(250));
  }

  @Override
  protected void after() {
    watch.assertLoopbackOnly(name);
  }
}
