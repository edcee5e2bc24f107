package io.pinpipe.pipelines.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** An output root on the local disk, through java.nio: atomic rename and symbolic links. */
final class LocalOutputRoot extends OutputRoot {
  private final Path dir;

  LocalOutputRoot(String root) {
    super(root);
    this.dir = Path.of(root.startsWith("file:") ? java.net.URI.create(root).getPath() : root);
  }

  Path dir() {
    return dir;
  }

  @Override
  RunLock lock(String holder) throws IOException, RunLock.HeldElsewhere {
    return RunLock.take(dir, holder);
  }

  @Override
  public boolean isLocal() {
    return true;
  }

  @Override
  public SortedMap<String, Long> files() throws IOException {
    SortedMap<String, Long> files = new TreeMap<>();
    if (!Files.exists(dir)) {
      return files;
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("it is a file, not a folder");
    }
    // The root itself may be a link to a folder; what is under it is never followed.
    Path start = dir.toRealPath();
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            files.put(relative(start, file), attrs.isSymbolicLink() ? 0L : attrs.size());
            return FileVisitResult.CONTINUE;
          }
        });
    return files;
  }

  private static String relative(Path start, Path file) {
    return start.relativize(file).toString().replace('\\', '/');
  }

  @Override
  public boolean isLink(String relative) {
    return Files.isSymbolicLink(dir.resolve(relative));
  }

  @Override
  public Optional<String> read(String relative) throws IOException {
    try {
      return Optional.of(Files.readString(dir.resolve(relative), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  @Override
  public void replace(String relative, String text, Runnable staged) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (FileChannel channel =
        FileChannel.open(
            temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      // On disk before the rename makes it visible: a power cut must not leave a named empty file.
      channel.force(true);
    }
    staged.run();
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Points a link at {@code target} (relative to the link's folder) in one step: a new link renamed over it. */
  void link(String relative, String target) throws IOException {
    Path link = dir.resolve(relative);
    Path temporary = link.resolveSibling("." + link.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    Files.createSymbolicLink(temporary, Path.of(target));
    Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** Where a link points, as written; empty when {@code relative} is not a link. */
  Optional<String> linkTarget(String relative) throws IOException {
    Path link = dir.resolve(relative);
    if (!Files.isSymbolicLink(link)) {
      return Optional.empty();
    }
    return Optional.of(Files.readSymbolicLink(link).toString().replace('\\', '/'));
  }

  /** Whether nothing, not even a broken link, is at {@code relative}. */
  boolean isAbsent(String relative) {
    return !Files.exists(dir.resolve(relative), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void delete(Collection<String> relatives) throws IOException {
    for (String relative : relatives) {
      // deleteIfExists removes a link itself, never what it points to.
      Files.deleteIfExists(dir.resolve(relative));
    }
  }

  @Override
  public void removeEmptyFolders(String relative) throws IOException {
    Path top = relative.isEmpty() ? dir : dir.resolve(relative);
    if (!Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        top,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
            if (!folder.equals(dir)) {
              try {
                Files.delete(folder);
              } catch (DirectoryNotEmptyException notEmpty) {
                // Holds something: kept.
              }
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  @Override
  public void removeEmptyParents(Collection<String> deleted) throws IOException {
    java.util.TreeSet<Path> folders = new java.util.TreeSet<>(java.util.Comparator.reverseOrder());
    for (String relative : deleted) {
      for (Path p = dir.resolve(relative).getParent(); p != null && !p.equals(dir) && p.startsWith(dir); p = p.getParent()) {
        folders.add(p);
      }
    }
    // Deepest first, so a folder emptied by removing its empty subfolders goes too.
    for (Path folder : folders) {
      try {
        Files.deleteIfExists(folder);
      } catch (DirectoryNotEmptyException notEmpty) {
        // Holds something else: kept.
      }
    }
  }
}
