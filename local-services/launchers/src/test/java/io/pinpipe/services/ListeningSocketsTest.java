package io.pinpipe.services;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Assume;
import org.junit.Test;

/**
 * Finds the listening sockets of this JVM and of a child process in the kernel's tables, and
 * fails on one bound to an address other than loopback (checked on a made-up listener: a test
 * must not open a port to other machines to prove the check works).
 */
public class ListeningSocketsTest {
  @Test
  public void decodesTheKernelsAddresses() {
    boolean little = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    assertEquals("127.0.0.1", ListeningSockets.address(little ? "0100007F" : "7F000001").getHostAddress());
    assertEquals("0.0.0.0", ListeningSockets.address("00000000").getHostAddress());
    assertEquals("192.0.2.2", ListeningSockets.address(little ? "020200C0" : "C0000202").getHostAddress());
    InetAddress v6loopback = ListeningSockets.address(little ? "00000000000000000000000001000000" : "00000000000000000000000000000001");
    assertTrue(v6loopback.isLoopbackAddress());
    InetAddress mapped = ListeningSockets.address(little ? "0000000000000000FFFF00000100007F" : "00000000000000000000FFFF7F000001");
    assertEquals("127.0.0.1", mapped.getHostAddress());
    assertFalse(ListeningSockets.address("00000000000000000000000000000000").isLoopbackAddress());
  }

  @Test
  public void findsThisJvmsAndItsChildsLoopbackListeners() throws Exception {
    Assume.assumeTrue("no /proc/net/tcp here", ListeningSockets.supported());
    try (ServerSocket own = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Process child = loopbackListenerChild();
      try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
        int childPort = Integer.parseInt(out.readLine().trim());
        List<ListeningSockets.Listener> listeners = ListeningSockets.ofThisProcessTree();
        assertTrue(listeners.toString(), listeners.stream().anyMatch(
            l -> l.pid() == ProcessHandle.current().pid() && l.port() == own.getLocalPort() && l.loopback()));
        assertTrue(listeners.toString(), listeners.stream().anyMatch(
            l -> l.pid() == child.pid() && l.port() == childPort && l.loopback() && l.command().startsWith("python3")));
        ListeningSockets.assertLoopbackOnly("while this test listens on loopback");
        try (ListeningSockets.Watch watch = ListeningSockets.watch()) {
          assertTrue(watch.seen().stream().anyMatch(l -> l.port() == childPort));
          watch.assertLoopbackOnly("watched");
        }
      } finally {
        child.destroy();
        child.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  public void failsOnAListenerOnAllInterfaces() throws Exception {
    ListeningSockets.Listener open =
        new ListeningSockets.Listener(42, "java kafka.Kafka", InetAddress.getByName("0.0.0.0"), 9092);
    ListeningSockets.Listener closed =
        new ListeningSockets.Listener(42, "java kafka.Kafka", InetAddress.getByName("::ffff:127.0.0.1"), 9093);
    ListeningSockets.check(List.of(closed), "loopback only");
    AssertionError e = assertThrows(AssertionError.class, () -> ListeningSockets.check(List.of(open, closed), "after start"));
    assertThat(e.getMessage(), containsString("after start"));
    assertThat(e.getMessage(), containsString("0.0.0.0:9092 (pid 42: java kafka.Kafka)"));
    assertFalse(e.getMessage(), e.getMessage().contains("9093"));
  }

  /** A child that listens on a free loopback port, prints it and waits. */
  private static Process loopbackListenerChild() throws Exception {
    try {
      return new ProcessBuilder(
              "python3", "-c",
              "import socket,sys\n"
                  + "s=socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)\n"
                  + "print(s.getsockname()[1], flush=True); sys.stdin.read()")
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (java.io.IOException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("CI=true requires python3 (Debian's python3)", e);
      }
      Assume.assumeNoException("skipped: python3 is not on the PATH (install Python 3, e.g. Debian's python3)", e);
      throw e;
    }
  }
}
