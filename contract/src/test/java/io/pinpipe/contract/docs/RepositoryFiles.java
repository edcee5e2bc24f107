package io.pinpipe.contract.docs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The repository's own text files, read from the working tree: those Git lists (tracked, or new and
 * not ignored), or without Git every file but build output and what .gitignore keeps out.
 */
final class RepositoryFiles implements CitationCheck.Files {
  /** Without Git: build output, installed packages, Git's store, and what .gitignore keeps out at the root. */
  private static final Set<String> NOT_THE_PROJECTS = Set.of("target", "node_modules", ".git", ".idea");

  private static final Set<String> ROOT_OUTPUTS = Set.of("demo", "out");

  /** As Git decides a file is binary: a NUL byte among its first 8,000. */
  private static final int BINARY_PROBE_BYTES = 8000;

  /**
   * The checker's own tests cite missing files and headings on purpose; they are the inputs that
   * show the check fails.
   */
  private static final String CHECKERS_TESTS = "contract/src/test/java/io/pinpipe/contract/docs/";

  private final Path root;

  RepositoryFiles(Path root) {
    this.root = root;
  }

  /** The repository's root: the nearest folder above the module's that holds docs/design.md. */
  static RepositoryFiles fromModule() {
    Path start = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    for (Path folder = start; folder != null; folder = folder.getParent()) {
      if (Files.isRegularFile(folder.resolve("docs/design.md")) && Files.isRegularFile(folder.resolve("pom.xml"))) {
        return new RepositoryFiles(folder);
      }
    }
    throw new IllegalStateException("no folder above " + start + " holds docs/design.md");
  }

  /** Every checked file, as a path from the root with {@code /}, sorted: each text file but the checker's tests. */
  List<String> checkedFiles() {
    return listedByGit().orElseGet(this::walked).stream()
        .filter(path -> !path.startsWith(CHECKERS_TESTS))
        .filter(this::isText)
        .sorted()
        .toList();
  }

  /** The files Git tracks or would (new, not ignored) that are in the working tree; empty without Git or a repository. */
  private Optional<List<String>> listedByGit() {
    Process git;
    try {
      git =
          new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
              .directory(root.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      return Optional.empty(); // no git on this machine
    }
    try (InputStream listing = git.getInputStream()) {
      String paths = new String(listing.readAllBytes(), StandardCharsets.UTF_8);
      if (git.waitFor() != 0) {
        return Optional.empty(); // not a repository, e.g. an unpacked source archive
      }
      return Optional.of(
          Arrays.stream(paths.split("\0"))
              .filter(path -> !path.isEmpty() && Files.isRegularFile(root.resolve(path)))
              .distinct()
              .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while listing the repository's files", e);
    }
  }

  private List<String> walked() {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .filter(RepositoryFiles::isTheProjects)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean isTheProjects(String path) {
    List<String> folders = List.of(path.split("/"));
    folders = folders.subList(0, folders.size() - 1);
    return folders.stream().noneMatch(NOT_THE_PROJECTS::contains)
        && (folders.isEmpty() || !ROOT_OUTPUTS.contains(folders.get(0)));
  }

  private boolean isText(String path) {
    try (InputStream in = Files.newInputStream(root.resolve(path))) {
      for (byte b : in.readNBytes(BINARY_PROBE_BYTES)) {
        if (b == 0) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Optional<List<String>> linesOf(String path) {
    Path file = root.resolve(path);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      // Decoded leniently: a file that is not UTF-8 still has its citations read.
      return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean exists(String path) {
    return Files.exists(root.resolve(path));
  }
}
