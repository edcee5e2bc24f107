package io.pinpipe.emulator.post;

import io.pinpipe.contract.ArchiveLayout;
import io.pinpipe.emulator.archive.ArchiveWriter;
import io.pinpipe.emulator.generate.GeneratedPost;
import java.io.IOException;
import java.nio.file.Path;

/** The archived layout on disk, as {@code generate} and the archive job write it. */
public final class FilesSink implements PostSink {
  private final ArchiveWriter writer;
  private final Path root;
  private long sent;

  public FilesSink(Path root, String topicPrefix, int partitions, long recordsPerFile) throws IOException {
    this.writer = new ArchiveWriter(root, topicPrefix, partitions, recordsPerFile);
    this.root = root;
  }

  @Override
  public void send(GeneratedPost post) throws IOException {
    writer.write(post);
    sent += 3;
  }

  @Override
  public void flush() {}

  @Override
  public long recordsSent() {
    return sent;
  }

  @Override
  public long recordsAcknowledged() {
    return sent;
  }

  @Override
  public long recordsFailed() {
    return 0;
  }

  @Override
  public String firstFailure() {
    return null;
  }

  @Override
  public String describe() {
    return "files under " + ArchiveLayout.topicsDirectory(root);
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
