package io.pinpipe.pipelines.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Held by the one run that writes an output root (docs/design.md#outputs): an operating-system
 * lock on {@value #FILE} in the root. Two runs on one root would otherwise undo each other (a batch
 * run removes the folder of a run that has not committed, which is what a running one looks like;
 * two archives would write the same offsets). The system drops the lock when its process ends, even
 * by {@code kill -9}, so a crash leaves nothing to clean up. The file itself stays (the job owns
 * it) and says who holds it, for the refusal message.
 *
 * <p>Object stores have no lock: on {@code s3://} runs on one root must be serialised by whoever
 * starts them (the Airflow DAG runs one at a time).
 */
final class RunLock implements AutoCloseable {
  static final String FILE = "_pinpipe.lock";

  /** An object store's: nothing to hold or release. */
  static final RunLock NONE = new RunLock(null, null, null);

  /**
   * The lock files this JVM holds, with their holders. A lock this JVM holds is never opened
   * again: on POSIX systems, closing any descriptor of a file drops every lock the process holds on
   * it ({@link FileLock}), so a second run refused in this JVM would otherwise free the first's.
   */
  private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

  private final FileChannel channel;
  private final FileLock lock;
  private final Path file;

  private RunLock(FileChannel channel, FileLock lock, Path file) {
    this.channel = channel;
    this.lock = lock;
    this.file = file;
  }

  /** Another run holds the lock. */
  static final class HeldElsewhere extends Exception {
    private static final long serialVersionUID = 1L;

    HeldElsewhere(String holder) {
      super(holder);
    }

    /** The holder's line from the lock file. */
    String holder() {
      return getMessage();
    }
  }

  /**
   * Takes the lock of {@code dir}, creating the folder and the file if needed, and records {@code
   * holder} in it.
   *
   * @throws HeldElsewhere when another run, in this process or another, holds it
   */
  static RunLock take(Path dir, String holder) throws IOException, HeldElsewhere {
    Files.createDirectories(dir);
    Path file = dir.toRealPath().resolve(FILE);
    String here = HELD_HERE.putIfAbsent(file, holder);
    if (here != null) {
      throw new HeldElsewhere(here);
    }
    boolean taken = false;
    try {
      FileChannel channel =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          throw new HeldElsewhere("another run in this process");
        }
        if (lock == null) {
          // Another process holds it: who, read through this channel (closing it frees nothing of theirs).
          String text = contents(channel).strip();
          throw new HeldElsewhere(text.isEmpty() ? "another run" : text);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        taken = true;
        return new RunLock(channel, lock, file);
      } finally {
        if (!taken) {
          channel.close();
        }
      }
    } finally {
      if (!taken) {
        HELD_HERE.remove(file, holder);
      }
    }
  }

  private static String contents(FileChannel channel) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
    while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0) {
      // reads up to the lock line's length
    }
    return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
  }

  /** This process's line in the lock file: job, process id and when it started. */
  static String holder(String job) {
    ProcessHandle self = ProcessHandle.current();
    return job + " run, process " + self.pid()
        + self.info().startInstant().map(started -> ", started " + started).orElse("");
  }

  @Override
  public void close() throws IOException {
    if (channel == null) {
      return;
    }
    try {
      lock.release();
    } finally {
      try {
        channel.close();
      } finally {
        HELD_HERE.remove(file);
      }
    }
  }
}
