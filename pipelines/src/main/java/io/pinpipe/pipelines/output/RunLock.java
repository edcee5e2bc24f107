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

/**
 * Held by the one run that writes an output root (docs/design.md, "Outputs"): an operating-system
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
  static final RunLock NONE = new RunLock(null, null);

  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
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
    Path file = dir.resolve(FILE);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by another run in this JVM (the tests run jobs in-process)
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      throw new HeldElsewhere(text.isEmpty() ? "another run" : text);
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(true);
    return new RunLock(channel, lock);
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
      channel.close();
    }
  }
}
