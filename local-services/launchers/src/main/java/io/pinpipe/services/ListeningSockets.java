package io.pinpipe.services;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The TCP sockets that this JVM and the processes it started (all its descendants) listen on, read
 * from {@code /proc/net/tcp} and {@code /proc/net/tcp6} and matched to processes through their
 * {@code /proc/<pid>/fd} links, and a check that each is on a loopback address (127.0.0.0/8,
 * ::1, or ::ffff:127.x). Every server this project or its tests start, and every runner's local
 * cluster, must be unreachable from other machines: the tests call {@link #assertLoopbackOnly}
 * while their services run, or {@link #watch} around a job whose servers live only while it runs.
 *
 * <p>Linux only: where {@code /proc/net/tcp} does not exist the lists are empty and the checks
 * pass ({@link #supported()} says which).
 */
public final class ListeningSockets {
  private static final Path PROC = Path.of("/proc");
  private static final String LISTEN = "0A";

  private ListeningSockets() {}

  /** One listening socket: the process holding it and the address and port it is bound to. */
  public record Listener(long pid, String command, InetAddress address, int port)
      implements Comparable<Listener> {
    public boolean loopback() {
      return address.isLoopbackAddress();
    }

    @Override
    public int compareTo(Listener o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      String host = address.getHostAddress();
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port + " (pid " + pid + ": " + command + ")";
    }
  }

  /** True where the kernel's socket tables can be read (Linux). */
  public static boolean supported() {
    return Files.isReadable(PROC.resolve("net/tcp")) && Files.isDirectory(PROC.resolve("self/fd"));
  }

  /** The sockets this JVM and its descendants listen on now. */
  public static List<Listener> ofThisProcessTree() {
    List<ProcessHandle> processes = new ArrayList<>();
    processes.add(ProcessHandle.current());
    ProcessHandle.current().descendants().forEach(processes::add);
    return of(processes);
  }

  /** The sockets the given processes listen on now. */
  public static List<Listener> of(List<ProcessHandle> processes) {
    if (!supported()) {
      return List.of();
    }
    Map<Long, InetAndPort> listening = new HashMap<>();
    readTable(PROC.resolve("net/tcp"), listening);
    readTable(PROC.resolve("net/tcp6"), listening);
    List<Listener> found = new ArrayList<>();
    for (ProcessHandle process : processes) {
      for (long inode : socketInodes(process.pid())) {
        InetAndPort endpoint = listening.get(inode);
        if (endpoint != null) {
          found.add(new Listener(process.pid(), describe(process), endpoint.address(), endpoint.port()));
        }
      }
    }
    return found;
  }

  /**
   * Throws an AssertionError that lists every socket of this JVM or its descendants listening
   * on an address other than loopback; {@code when} says at which point of which test.
   */
  public static void assertLoopbackOnly(String when) {
    check(ofThisProcessTree(), when);
  }

  /**
   * Samples the sockets of this JVM and its descendants every 100 ms on a daemon thread until
   * closed, for servers that live only while a job runs (a local Spark or Flink cluster).
   */
  public static Watch watch() {
    return watch(Duration.ofMillis(100));
  }

  /** A {@link #watch()} that samples every {@code every}: servers living shorter may be missed. */
  public static Watch watch(Duration every) {
    return new Watch(every);
  }

  /** Listening sockets seen by a {@link #watch}. */
  public static final class Watch implements AutoCloseable {
    private final Set<Listener> seen = ConcurrentHashMap.newKeySet();
    private final Thread sampler;
    private volatile boolean closed;

    private Watch(Duration every) {
      sample();
      sampler =
          new Thread(
              () -> {
                while (!closed) {
                  sample();
                  try {
                    Thread.sleep(every.toMillis());
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "listening-sockets-watch");
      sampler.setDaemon(true);
      sampler.start();
    }

    private void sample() {
      try {
        seen.addAll(ofThisProcessTree());
      } catch (RuntimeException e) {
        // A process or socket went away while being read; the next sample sees the rest.
      }
    }

    /** Every listening socket seen so far (each once). */
    public Set<Listener> seen() {
      sample();
      return new TreeSet<>(seen);
    }

    /** Stops watching, then fails on any socket seen on an address other than loopback. */
    public void assertLoopbackOnly(String when) {
      close();
      check(seen(), when);
    }

    @Override
    public void close() {
      closed = true;
      sampler.interrupt();
      try {
        sampler.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void check(Iterable<Listener> listeners, String when) {
    Set<Listener> open = new TreeSet<>();
    listeners.forEach(
        l -> {
          if (!l.loopback()) {
            open.add(l);
          }
        });
    if (!open.isEmpty()) {
      throw new AssertionError(
          when + ": listening on addresses other than loopback (reachable from other machines):\n  "
              + open.stream().map(Listener::toString).collect(Collectors.joining("\n  ")));
    }
  }

  private record InetAndPort(InetAddress address, int port) {}

  /** Adds the LISTEN rows of one of /proc/net/tcp{,6} by socket inode. */
  private static void readTable(Path table, Map<Long, InetAndPort> into) {
    List<String> lines;
    try {
      lines = Files.readAllLines(table);
    } catch (java.nio.file.NoSuchFileException e) {
      return; // no IPv6 in this kernel
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
      String[] f = line.trim().split("\\s+");
      if (f.length < 10 || !f[3].equals(LISTEN)) {
        continue;
      }
      int colon = f[1].indexOf(':');
      into.put(
          Long.parseLong(f[9]),
          new InetAndPort(address(f[1].substring(0, colon)), Integer.parseInt(f[1].substring(colon + 1), 16)));
    }
  }

  /**
   * The kernel prints an address as 32-bit words, each in the machine's byte order: 0100007F is
   * 127.0.0.1 on x86.
   */
  static InetAddress address(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < hex.length() / 8; word++) {
      int value = Integer.parseUnsignedInt(hex.substring(word * 8, word * 8 + 8), 16);
      if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
        value = Integer.reverseBytes(value);
      }
      for (int b = 0; b < 4; b++) {
        bytes[word * 4 + b] = (byte) (value >>> (24 - 8 * b));
      }
    }
    try {
      return InetAddress.getByAddress(bytes); // ::ffff:a.b.c.d comes back as the IPv4 address
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: " + hex, e);
    }
  }

  /** The inodes of the sockets a process has open ({@code /proc/<pid>/fd/N -> socket:[inode]}). */
  private static List<Long> socketInodes(long pid) {
    List<Long> inodes = new ArrayList<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
          }
        } catch (IOException closedMeanwhile) {
          // The descriptor was closed while the directory was read.
        }
      }
    } catch (IOException gone) {
      // The process ended (or is not ours to read): it listens on nothing we can see.
    }
    return inodes;
  }

  /** "this JVM", "java -jar kafka.jar", "java kafka.Kafka", "node --require ... main.js". */
  private static String describe(ProcessHandle process) {
    if (process.pid() == ProcessHandle.current().pid()) {
      return "this JVM";
    }
    String command = process.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("?");
    String[] args = process.info().arguments().orElse(new String[0]);
    if (command.equals("java")) {
      for (int i = 0; i < args.length; i++) {
        if (List.of("-cp", "-classpath", "--class-path", "-p", "--module-path").contains(args[i])) {
          i++;
        } else if (args[i].equals("-jar") && i + 1 < args.length) {
          return "java -jar " + Path.of(args[i + 1]).getFileName();
        } else if (!args[i].startsWith("-")) {
          return "java " + args[i];
        }
      }
    }
    String line = command + " " + String.join(" ", args);
    return line.length() > 160 ? line.substring(0, 157) + "..." : line;
  }
}
